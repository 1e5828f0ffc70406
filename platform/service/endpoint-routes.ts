/**
 * App endpoints over HTTP (issue 19): an app's `mappings` routes (seed 001's web-service SmartApps)
 * answer at `/things/{thingId}/apps/{installationId}/{path}` on the platform. A call needs a token
 * made for that installation (or the admin token), is held to SmartThings' rate limit here before it
 * travels (endpoint-rate.ts), and is relayed to the Thing over the broker (endpoint-replies.ts); the
 * app's response comes back as it answered it. `POST /api/things/:thingId/apps/:installationId/tokens`
 * makes such a token (provision scope).
 */
import type { IncomingMessage } from 'node:http';
import type { EndpointRequest } from '../protocol';
import type { EndpointTokenAnswer } from '../protocol/api-types';
import { endpointScope } from './auth';
import type { EndpointReplies } from './endpoint-replies';
import { EndpointRate } from './endpoint-rate';
import { HttpError, readBody, readJson, type Reply, type Router } from './http-kit';
import type { ServiceContext } from './service-context';

/** How long the platform waits for the Thing's answer. */
export const ENDPOINT_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 256 * 1024;
const METHODS: ReadonlyArray<EndpointRequest['args']['method']> = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
/** The app's response headers passed on (the rest are the platform's own). */
const PASSED_HEADERS = new Set(['content-type', 'allow', 'x-ratelimit-limit', 'x-ratelimit-current', 'x-ratelimit-ttl']);

export function addEndpointRoutes(router: Router, ctx: ServiceContext, replies: EndpointReplies, rate = new EndpointRate()): void {
  const { store, auth } = ctx;

  router.post('/api/things/:thingId/apps/:installationId/tokens', async (req, p) => {
    await auth.requireToken(req, 'provision');
    const installationId = installationOf(p.installationId);
    const desired = await store.desiredState(p.thingId);
    const app = desired.apps.find((a) => a.installation_id === installationId);
    if (!app) throw new HttpError(404, 'not_found', `${p.thingId} has no app of installation ${installationId}; GET /api/things/${p.thingId} lists its apps`);
    const body = await readJson(req).catch(() => ({}) as Record<string, unknown>);
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : `endpoints of ${app.name} on ${p.thingId}`;
    const made = await store.createToken({ name, scopes: [endpointScope(p.thingId, installationId)] });
    const answer: EndpointTokenAnswer = { ...made, path: `/things/${encodeURIComponent(p.thingId)}/apps/${installationId}` };
    return { status: 201, body: answer };
  });

  for (const method of METHODS) {
    router.add(method, '/things/:thingId/apps/:installationId/*path', async (req, p, url) => {
      const installationId = installationOf(p.installationId);
      await auth.requireEndpoint(req, url, p.thingId, installationId);
      const decision = rate.take(`${p.thingId}/${installationId}`);
      if (!decision.allowed) return { status: 429, headers: decision.headers, body: { error: true, type: 'RateLimit', message: 'Please try again later' } };
      const query = new URLSearchParams(url.search);
      query.delete('access_token'); // the credential is not the app's to see
      const path = p.path + (query.size ? `?${query}` : '');
      const reply = await replies.ask(p.thingId, { installation_id: installationId, method, path, body: await bodyOf(req) }, ENDPOINT_TIMEOUT_MS);
      if (reply === undefined) throw new HttpError(504, 'thing_timeout', `${p.thingId} did not answer within ${ENDPOINT_TIMEOUT_MS / 1000} s: it may be offline`);
      if (typeof reply === 'string') throw new HttpError(502, 'bad_reply', reply);
      return relay(reply.status, reply.headers, reply.body);
    });
  }
}

function installationOf(text: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new HttpError(404, 'not_found', `"${text}" is not an installation id (a number)`);
  return Number(text);
}

/** The request body as the app's handler gets it: JSON as parsed, other text as text, none as null. */
async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const bytes = await readBody(req, MAX_BODY_BYTES);
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  if (!/\bjson\b/i.test(req.headers['content-type'] ?? '')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, 'bad_input', `the request body is not JSON (${(e as Error).message}), as its content-type says`);
  }
}

/** The app's response: JSON bodies as JSON, any other content type as the text the app gave. */
function relay(status: number, headers: Record<string, string>, body: unknown): Reply {
  const passed = Object.fromEntries(Object.entries(headers).filter(([k]) => PASSED_HEADERS.has(k.toLowerCase()) && k.toLowerCase() !== 'content-type'));
  const type = headers['content-type'] ?? 'application/json';
  if (status === 204 || status === 304) return { status, headers: passed };
  if (/\bjson\b/i.test(type)) return { status, headers: passed, body: body ?? null };
  return { status, headers: passed, bytes: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), type };
}
