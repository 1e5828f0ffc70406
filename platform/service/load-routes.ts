/**
 * Load actions through the platform (issue 19): `POST /api/loads/inspect` shows what a load action's
 * url holds (its manifest, before anyone proceeds), and `POST /api/things/:thingId/loads` sends the
 * load action to the Thing, or to one of its devices, and answers its completion object. Both need a
 * token with the provision scope: the first makes the platform fetch a URL, the second changes what
 * runs on a Thing.
 */
import { parseJsonDocument } from '../../runtime/app/json-tree';
import { checkLoadAction } from '../../runtime/load-actions';
import { DEFAULT_DOWNLOAD_LIMITS, type DownloadLimits } from '../load/http-download';
import { inspectImage } from '../load/inspect-image';
import { LoadFailure } from '../load/load-failure';
import { topics } from '../protocol';
import { HttpError, readJson, type Router } from './http-kit';
import { LoadRequests } from './load-requests';
import type { ServiceContext } from './service-context';

/** How long a request waits for the completion by default, and at most (seconds). */
const DEFAULT_WAIT_S = 120;
const MAX_WAIT_S = 900;
/** What the platform fetches to inspect: an outer archive and its manifest, not a whole system image. */
const INSPECT_LIMITS: DownloadLimits = { ...DEFAULT_DOWNLOAD_LIMITS, maxBytes: 64 * 1024 * 1024, timeoutMs: 60_000 };

export function addLoadRoutes(router: Router, ctx: ServiceContext, requests: LoadRequests): void {
  const { store, auth } = ctx;

  router.post('/api/loads/inspect', async (req) => {
    await auth.requireToken(req, 'provision');
    const body = await readJson(req);
    const args = loadArgsOf(body.args, 'POST /api/loads/inspect');
    try {
      return { status: 200, body: await inspectImage(args as { url: string }, INSPECT_LIMITS) };
    } catch (e) {
      if (e instanceof LoadFailure) throw new HttpError(422, e.stage, `the image cannot be inspected (${e.stage}): ${e.text}`);
      throw e;
    }
  });

  router.post('/api/things/:thingId/loads', async (req, p) => {
    await auth.requireToken(req, 'provision');
    const thing = await store.getThing(p.thingId);
    const body = await readJson(req);
    const where = `POST /api/things/${thing.thingId}/loads`;
    const args = loadArgsOf(body.args, where);
    const wait = body.wait === undefined ? DEFAULT_WAIT_S : body.wait;
    if (typeof wait !== 'number' || !(wait >= 0) || wait > MAX_WAIT_S) throw new HttpError(400, 'bad_input', `${where}: "wait" is the seconds to wait for the completion, 0 to ${MAX_WAIT_S}`);
    let doTopic = topics.thingDo(thing.thingId);
    if (body.device !== undefined) {
      const m = typeof body.device === 'string' ? /^([A-Za-z0-9._-]+)\/([A-Za-z0-9._-]+)$/.exec(body.device) : null;
      if (!m) throw new HttpError(400, 'bad_input', `${where}: "device" is "protocol/handle", e.g. "zb/front-door"`);
      doTopic = topics.deviceDo(thing.thingId, m[1], m[2]);
    }
    const response = LoadRequests.responseTopic(thing.thingId);
    const completion = await requests.send(doTopic, { ...args, response }, wait * 1000);
    if (!completion) return { status: 202, body: { thingId: thing.thingId, topic: doTopic, response, completion: null, message: `no completion within ${wait} s: the load may still be under way (a scheduled switchover, a long download); it answers on ${response}` } };
    return { status: 200, body: { thingId: thing.thingId, topic: doTopic, response, completion } };
  });
}

/** A load action's args from a body, checked by the language server's rules; the platform sets `response` itself. */
function loadArgsOf(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'bad_input', `${where}: "args" must be the load action's args object (seed 002)`);
  const { response: _ignored, ...args } = raw as Record<string, unknown>;
  const text = JSON.stringify({ action: 'load', args }, null, 1);
  const errors = checkLoadAction(parseJsonDocument(text, 'args', { allowComments: false })).filter((e) => e.severity === 'error');
  if (errors.length) throw new HttpError(400, 'bad_load', `${where}: the load action is not valid: ${errors.map((e) => `${e.message}${e.fix ? ` (fix: ${e.fix})` : ''}`).join('; ')}`);
  return args;
}
