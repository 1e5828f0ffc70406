/**
 * A load action that failed, and the stage it failed at (issue 19): the completion object's error
 * names it in its `code`, so a CMS (and the editor) can say what went wrong without parsing text.
 */

/**
 * - `request`: the do envelope or its args are not a load action this agent can take
 * - `fetch`: the image could not be retrieved (refused, redirected, too large, too slow)
 * - `auth`: the server refused the credentials (HTTP 401 or 403)
 * - `integrity`: the checksum does not match the data retrieved
 * - `unpack`: an archive could not be read (not a zip, wrong imgpwd, unsafe names, too large)
 * - `type`: the `type` expression does not match the target's type
 * - `method`: the method or its image cannot be applied (an unknown method, a bad hybrid member,
 *   a system image whose confirmation failed)
 * - `script`: the setup script (or the generic setup) failed
 */
export type LoadStage = 'request' | 'fetch' | 'auth' | 'integrity' | 'unpack' | 'type' | 'method' | 'script';

export class LoadFailure extends Error {
  constructor(
    readonly stage: LoadStage,
    message: string,
    /** what to do about it, and a finer reason than the stage ("redirect", "too-large", …) */
    readonly detail: { fix?: string; reason?: string } = {},
  ) {
    super(message);
  }

  get fix(): string | undefined {
    return this.detail.fix;
  }

  get reason(): string | undefined {
    return this.detail.reason;
  }

  /** The message with its fix, as the completion object carries it. */
  get text(): string {
    return this.fix ? `${this.message}; ${this.fix}` : this.message;
  }
}

/** Any error as a failure at `stage`, keeping a LoadFailure's own stage. */
export function asLoadFailure(e: unknown, stage: LoadStage): LoadFailure {
  if (e instanceof LoadFailure) return e;
  return new LoadFailure(stage, e instanceof Error ? e.message : String(e));
}
