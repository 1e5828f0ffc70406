/** API tokens: made with a secret shown once, kept as its hash, revoked by id. */
import type { Kysely } from 'kysely';
import { StoreError } from './errors';
import type { ReadCache } from './read-cache';
import { hashSecret, newSecret, requireText, toToken } from './rows';
import type { Database } from './schema';
import type { ApiToken } from './types';

type Db = Kysely<Database>;

export async function createToken(db: Db, cache: ReadCache, now: number, input: { name: string; scopes: string[] }): Promise<{ token: ApiToken; secret: string }> {
  const name = requireText('the token name', input.name, 'name the token after who uses it');
  if (!Array.isArray(input.scopes) || input.scopes.some((s) => typeof s !== 'string')) throw new StoreError('bad_input', `token "${name}": scopes must be a list of strings`);
  const secret = newSecret();
  const token: ApiToken = { tokenId: newSecret().slice(0, 12), name, scopes: input.scopes, createdAt: now, revokedAt: null };
  await db.insertInto('tokens').values({ token_id: token.tokenId, name, token_hash: hashSecret(secret), scopes: JSON.stringify(token.scopes), created_at: token.createdAt, revoked_at: null }).execute();
  cache.clear('tokens');
  return { token, secret };
}

export async function verifyToken(db: Db, cache: ReadCache, secret: string): Promise<ApiToken | null> {
  if (typeof secret !== 'string' || secret === '') return null;
  const hash = hashSecret(secret);
  const token = await cache.get('tokens', hash, async () => {
    const r = await db.selectFrom('tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return r ? toToken(r) : null;
  });
  return token && token.revokedAt === null ? token : null;
}

export async function listTokens(db: Db): Promise<ApiToken[]> {
  return (await db.selectFrom('tokens').selectAll().orderBy('created_at').execute()).map(toToken);
}

export async function revokeToken(db: Db, cache: ReadCache, now: number, tokenId: string): Promise<void> {
  const r = await db.updateTable('tokens').set({ revoked_at: now }).where('token_id', '=', tokenId).executeTakeFirst();
  cache.clear('tokens');
  if (Number(r.numUpdatedRows) === 0) throw new StoreError('not_found', `there is no token "${tokenId}"; list the tokens to see their ids`);
}
