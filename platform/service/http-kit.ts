/**
 * The little the HTTP API needs on top of node:http: a route table with `:params`, JSON bodies with a
 * size limit, and one error shape. (A framework would add more than it saves for ~25 routes.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStoreError, type StoreErrorCode } from '../store';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type Handler = (req: IncomingMessage, params: Record<string, string>, url: URL) => Promise<Reply>;
export interface Reply {
  status: number;
  /** a JSON value, or raw bytes with their type */
  body?: unknown;
  bytes?: Buffer;
  type?: string;
  headers?: Record<string, string>;
}

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
  }

  get(pattern: string, handler: Handler): void {
    this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): void {
    this.add('POST', pattern, handler);
  }

  put(pattern: string, handler: Handler): void {
    this.add('PUT', pattern, handler);
  }

  delete(pattern: string, handler: Handler): void {
    this.add('DELETE', pattern, handler);
  }

  /** Every route, for the docs test. */
  list(): Array<{ method: string; pattern: string }> {
    return this.routes.map((r) => ({ method: r.method, pattern: '/' + r.parts.join('/') }));
  }

  /** The handler and its params, or a 404/405 HttpError. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string>; pattern: string } {
    const parts = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const r of this.routes) {
      const params = matchParts(r.parts, parts);
      if (!params) continue;
      pathMatched = true;
      if (r.method === method) return { handler: r.handler, params, pattern: '/' + r.parts.join('/') };
    }
    if (pathMatched) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}`);
    throw new HttpError(404, 'not_found', `no route ${method} ${pathname}; see docs/protocol.md for the routes`);
  }
}

/**
 * The params of a path matching a pattern: `:name` takes one segment; a last `*name` takes the rest
 * of the path (none or more segments) as "/a/b", its segments still %-encoded (they are passed on).
 */
function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const rest = pattern[pattern.length - 1]?.startsWith('*') ? pattern.length - 1 : -1;
  if (rest < 0 ? pattern.length !== parts.length : parts.length < rest) return undefined;
  const params: Record<string, string> = {};
  if (rest >= 0) params[pattern[rest].slice(1)] = '/' + parts.slice(rest).join('/');
  for (let i = 0; i < (rest < 0 ? pattern.length : rest); i++) {
    const p = pattern[i];
    let value: string;
    try {
      value = decodeURIComponent(parts[i]);
    } catch {
      return undefined;
    }
    if (p.startsWith(':')) params[p.slice(1)] = value;
    else if (p !== value) return undefined;
  }
  return params;
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'too_large', `the request body is ${declared} bytes, over the limit of ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'too_large', `the request body is over the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit = 1024 * 1024): Promise<Record<string, unknown>> {
  const body = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, 'bad_input', `the request body is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'bad_input', 'the request body must be a JSON object');
  return value as Record<string, unknown>;
}

const STATUS_OF: Record<StoreErrorCode, number> = { not_found: 404, conflict: 409, bad_input: 400, lease_lost: 409, locked: 503 };

export function sendError(res: ServerResponse, e: unknown): void {
  let status = 500;
  let code = 'internal';
  let message = 'internal error; the platform log has the details';
  let headers: Record<string, string> = {};
  if (e instanceof HttpError) ({ status, code, message, headers } = e);
  else if (isStoreError(e)) {
    status = STATUS_OF[e.code];
    code = e.code;
    message = e.message;
  }
  send(res, { status, body: { error: { code, message } }, headers });
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...reply.headers };
  if (reply.bytes) {
    res.writeHead(reply.status, { ...headers, 'content-type': reply.type ?? 'application/octet-stream', 'content-length': String(reply.bytes.length) });
    res.end(reply.bytes);
    return;
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** A required string field of a JSON body. */
export function stringField(body: Record<string, unknown>, key: string, where: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new HttpError(400, 'bad_input', `${where}: "${key}" must be a non-empty string`);
  return v;
}
