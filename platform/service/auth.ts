/**
 * Who is calling. The HTTP API takes a bearer token (the admin token the platform was started with,
 * or one made with it); bundle downloads take a Thing's own broker credential as BasicAuth (seed
 * 002's user/passwd). Verified secrets are remembered for a short while (by their hash, never the
 * secret itself), so a fleet connecting at once does not read the store a thousand times.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { PlatformStore } from '../store';
import { HttpError } from './http-kit';

export type Scope = 'read' | 'deploy' | 'provision' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'deploy', 'provision', 'admin'];

const REMEMBER_MS = 60_000;

export interface Caller {
  kind: 'token';
  name: string;
  scopes: readonly string[];
}

export class Authenticator {
  private readonly adminHash: Buffer;
  private readonly tokens = new Map<string, { caller: Caller; until: number }>();
  private readonly things = new Map<string, { hash: string; until: number }>();

  constructor(
    private readonly store: PlatformStore,
    adminToken: string,
  ) {
    if (adminToken.length < 16) throw new Error('the admin token must be at least 16 characters');
    this.adminHash = sha256(adminToken);
  }

  /** The caller of an API request, refused (401/403) unless it holds `scope`. */
  async requireToken(req: IncomingMessage, scope: Scope): Promise<Caller> {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new HttpError(401, 'unauthorized', 'this route needs "Authorization: Bearer <token>" (the admin token, or one made with POST /api/tokens)', { 'www-authenticate': 'Bearer realm="smartplug"' });
    const caller = await this.tokenCaller(m[1]);
    if (!caller) throw new HttpError(401, 'unauthorized', 'the token is unknown or revoked', { 'www-authenticate': 'Bearer realm="smartplug", error="invalid_token"' });
    if (!caller.scopes.includes(scope) && !caller.scopes.includes('admin')) throw new HttpError(403, 'forbidden', `the token "${caller.name}" lacks the "${scope}" scope`);
    return caller;
  }

  /**
   * The caller of an app endpoint (issue 19): a token scoped to that installation of that Thing
   * (`endpoint:{thingId}/{installationId}`, made by POST /api/things/:thingId/apps/:installationId/tokens)
   * or the admin token, given as "Authorization: Bearer" or, as SmartThings' web services took it,
   * as the access_token query parameter.
   */
  async requireEndpoint(req: IncomingMessage, url: URL, thingId: string, installationId: number): Promise<Caller> {
    const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const secret = header?.[1] ?? url.searchParams.get('access_token') ?? undefined;
    const scope = endpointScope(thingId, installationId);
    if (!secret) throw new HttpError(401, 'unauthorized', `this endpoint needs a token: "Authorization: Bearer <token>" with a token made for it (POST /api/things/${thingId}/apps/${installationId}/tokens)`, { 'www-authenticate': 'Bearer realm="smartplug-endpoints"' });
    const caller = await this.tokenCaller(secret);
    if (!caller) throw new HttpError(401, 'unauthorized', 'the token is unknown or revoked', { 'www-authenticate': 'Bearer realm="smartplug-endpoints", error="invalid_token"' });
    if (!caller.scopes.includes(scope) && !caller.scopes.includes('admin')) throw new HttpError(403, 'forbidden', `the token "${caller.name}" is not for the endpoints of installation ${installationId} on ${thingId}`);
    return caller;
  }

  async tokenCaller(secret: string): Promise<Caller | undefined> {
    const hash = sha256(secret);
    if (hash.length === this.adminHash.length && timingSafeEqual(hash, this.adminHash)) return { kind: 'token', name: 'admin', scopes: ['admin'] };
    const key = hash.toString('hex');
    const known = this.tokens.get(key);
    if (known && known.until > Date.now()) return known.caller;
    const token = await this.store.verifyToken(secret);
    if (!token) return undefined;
    const caller: Caller = { kind: 'token', name: token.name, scopes: token.scopes };
    this.tokens.set(key, { caller, until: Date.now() + REMEMBER_MS });
    return caller;
  }

  /** A revoked token stops working at once on this replica (others forget it within a minute). */
  forgetTokens(): void {
    this.tokens.clear();
  }

  /** Whether `secret` is the Thing's broker credential (used by downloads and the embedded broker). */
  async thingSecretMatches(thingId: string, secret: string): Promise<boolean> {
    const hash = sha256(secret).toString('hex');
    const known = this.things.get(thingId);
    if (known && known.until > Date.now() && known.hash === hash) return true;
    const ok = await this.store.verifyThingSecret(thingId, 'broker', secret).catch(() => false);
    if (ok) this.things.set(thingId, { hash, until: Date.now() + REMEMBER_MS });
    return ok;
  }

  forgetThing(thingId: string): void {
    this.things.delete(thingId);
  }

  /** The Thing a BasicAuth download request speaks for, refused (401) unless its credential matches. */
  async requireThing(req: IncomingMessage): Promise<string> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
    const challenge = { 'www-authenticate': 'Basic realm="smartplug bundles", charset="UTF-8"' };
    if (!m) throw new HttpError(401, 'unauthorized', 'bundle downloads need BasicAuth: the Thing id as user and its broker credential as password', challenge);
    const text = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const thingId = colon < 0 ? '' : text.slice(0, colon);
    if (colon < 0 || !(await this.thingSecretMatches(thingId, text.slice(colon + 1)))) throw new HttpError(401, 'unauthorized', 'the Thing id or its credential is wrong', challenge);
    return thingId;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The scope of a token for one installation's endpoints on one Thing. */
export function endpointScope(thingId: string, installationId: number): string {
  return `endpoint:${thingId}/${installationId}`;
}

/** Whether a token's scopes include an API scope (an endpoint token has none: it reaches its endpoints only). */
export function hasApiScope(scopes: readonly string[]): boolean {
  return scopes.some((s) => (SCOPES as readonly string[]).includes(s));
}
