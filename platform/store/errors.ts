/**
 * The one error type of the platform store. Callers (the HTTP API, the CLI) map `code` to a status
 * and show `message`, which always says what was wrong and what to do instead.
 */
export type StoreErrorCode =
  /** the named app, version, Thing, Template, rollout or token does not exist */
  | 'not_found'
  /** the change contradicts what is stored: a version not above the latest, a renamed script, an
   *  inherited app removed from a Thing, a duplicate id, something still in use */
  | 'conflict'
  /** the input itself is malformed (not a version, not an object, an empty name …) */
  | 'bad_input'
  /** a rollout's lease is held by another replica (or has expired for this one) */
  | 'lease_lost'
  /** the embedded store's folder is already open in another live process */
  | 'locked';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
