/** The host's side of WireSource (protocol.ts): which sources the worker's engine thread already holds. */
import { createHash } from 'node:crypto';
import type { AppSource } from '../engine/installed-app';
import type { CallArgs, CallName, WireSource } from './protocol';

const keys = new WeakMap<AppSource, string>();

/** A source's key: its name, version and a hash of its content (the same object is hashed once). */
export function sourceKey(source: AppSource): string {
  let key = keys.get(source);
  if (!key) {
    const hash = createHash('sha1').update(source.script).update('\u0000').update(JSON.stringify(source.appJson)).digest('base64url');
    key = `${source.name}@${source.version ?? ''}:${source.scriptFile}:${hash}`;
    keys.set(source, key);
  }
  return key;
}

export class SourceWire {
  private readonly sent = new Set<string>();

  /** The engine thread was replaced (or is being): it holds nothing any more. */
  reset(): void {
    this.sent.clear();
  }

  /** The call's args as they go on the wire: a source the thread holds goes by reference. */
  encode(op: CallName, args: CallArgs<CallName>): CallArgs<CallName> {
    if (op === 'install') {
      const [request] = args as CallArgs<'install'>;
      return [{ ...request, source: this.wire(request.source) as unknown as AppSource }] as CallArgs<CallName>;
    }
    if (op === 'registerPackage') return [this.wire((args as CallArgs<'registerPackage'>)[0]) as unknown as AppSource] as CallArgs<CallName>;
    return args;
  }

  private wire(source: AppSource): WireSource {
    const key = sourceKey(source);
    if (this.sent.has(key)) return { sourceRef: key };
    this.sent.add(key);
    return { ...source, sourceKey: key };
  }
}
