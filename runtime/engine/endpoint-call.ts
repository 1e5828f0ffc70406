/**
 * A web-service call to one of an app's mappings() routes (seed 001): the route matched, the
 * handler run as one execution, and its response read back, checked rather than trusted.
 */
import type { EngineCore } from './engine-core';
import type { EndpointResponse } from './engine-requests';
import type { InstalledApp } from './installed-app';
import { defaultStatus, matchRoute } from './routes';

/** `takeResponse` gives the response text the handler's execution left (by execution id), once. */
export function callEndpoint(core: EngineCore, app: InstalledApp, takeResponse: (execId: number) => string | undefined, method: string, url: string, body?: unknown): EndpointResponse {
  const [path, queryString = ''] = url.split('?', 2);
  let m: ReturnType<typeof matchRoute>;
  try {
    m = matchRoute(app.routes, method, path);
  } catch {
    return json(400, { error: true, type: 'BadRequest', message: `${path} is not a valid path: it has a malformed %-escape` });
  }
  if (m.kind === 'not-found') return json(404, { error: true, type: 'NotFound', message: `no mapping for ${path}; mapped: ${app.routes.map((r) => `${r.method} ${r.pattern}`).join(', ') || 'none'}` });
  if (m.kind === 'method-not-allowed') return { ...json(405, { error: true, type: 'MethodNotAllowed', message: `${method} is not allowed on ${path}` }), headers: { 'content-type': 'application/json', allow: m.allowed.join(', ') } };
  const query = Object.fromEntries(new URLSearchParams(queryString));
  const request = JSON.stringify({ method: method.toUpperCase(), path, params: { ...query, ...m.params }, query, body: body ?? null });
  let execId = 0;
  let ran = false;
  const handler = m.route.handler;
  core.enqueue(() => {
    ran = core.execute(app, 'endpoint', handler, (id) => {
      execId = id;
      return app.sandbox.controls.runEndpoint(id, handler, request);
    });
  });
  const now = core.clock.now();
  const b = app.rate.budget(now);
  const rateHeaders = { 'x-ratelimit-limit': String(b.limit), 'x-ratelimit-current': String(b.used), 'x-ratelimit-ttl': String(Math.max(0, Math.ceil((b.windowEndsAt - now) / 1000))) };
  if (!ran) return { ...json(429, { error: true, type: 'RateLimit', message: 'Please try again later' }), headers: { 'content-type': 'application/json', ...rateHeaders } };
  const raw = takeResponse(execId);
  const r = raw ? readResponse(raw) : undefined;
  if (!r) return { ...json(500, { error: true, type: 'SmartAppException', message: raw ? 'the handler\'s response could not be read (does its data, or Object.prototype, have a toJSON method?)' : 'the handler failed; see the app log' }), headers: { 'content-type': 'application/json', ...rateHeaders } };
  if (r.error !== undefined) return { ...json(r.status ?? 500, { error: true, type: 'SmartAppException', message: r.error }), headers: { 'content-type': 'application/json', ...rateHeaders } };
  const status = r.rendered ? (r.status ?? 200) : defaultStatus(method);
  const noBody = status === 204;
  return { status, headers: { 'content-type': r.contentType ?? 'application/json', ...rateHeaders }, body: noBody ? null : (r.data ?? null) };
}

/**
 * A handler's response as the app's context wrote it, checked rather than trusted (a script can
 * give its data a toJSON method that turns it into anything): undefined when it is not a response.
 */
function readResponse(raw: string): { data: unknown; status?: number; contentType?: string; error?: string; rendered: boolean } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  const status = typeof r.status === 'number' && Number.isInteger(r.status) && r.status >= 100 && r.status <= 599 ? r.status : undefined;
  return {
    data: r.data, status, contentType: typeof r.contentType === 'string' ? r.contentType : undefined,
    error: r.error === undefined ? undefined : String(r.error), rendered: r.__smartplugRender === true,
  };
}

function json(status: number, body: unknown): EndpointResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}
