/** Web-service routes declared with mappings({ "GET /switches/:id": handler }). */
export interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

export function parseRoute(route: string, handler: string): Route {
  const m = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(route);
  if (!m || !METHODS.has(m[1].toUpperCase())) {
    throw new Error(`mappings: "${route}" is not a route; write "METHOD /path", e.g. "GET /status" or "PUT /switches/:id"`);
  }
  const segments = m[2].split('/').filter(Boolean);
  if (segments.length > 4) throw new Error(`mappings: "${route}" is ${segments.length} levels deep; paths may be at most 4 levels deep`);
  return { method: m[1].toUpperCase(), pattern: '/' + segments.join('/'), segments, handler };
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const allowed: string[] = [];
  for (const r of routes) {
    if (r.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = r.segments[i];
      if (seg.startsWith(':')) params[seg.slice(1)] = parts[i];
      else ok = seg === parts[i];
    }
    if (!ok) continue;
    if (r.method === method.toUpperCase()) return { kind: 'found', route: r, params };
    allowed.push(r.method);
  }
  return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}

/** SmartThings' defaults: GET 200, POST 201, PUT and DELETE 204 with no body. */
export function defaultStatus(method: string): number {
  switch (method.toUpperCase()) {
    case 'POST':
      return 201;
    case 'PUT':
    case 'DELETE':
      return 204;
    default:
      return 200;
  }
}
