/**
 * A Chrome DevTools Protocol client over any text channel: commands with typed parameters and
 * results (devtools-protocol's mapping), and typed events. The debug adapter uses it over the
 * worker's inspector relay (runtime/host/protocol.ts InspectorMessage).
 */
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;
export type CdpCommand = keyof Commands;
export type CdpEvent = keyof Events;

export class CdpError extends Error {
  constructor(readonly method: string, readonly code: number, message: string) {
    super(`${method}: ${message}`);
  }
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export class CdpClient {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: never) => void>>();

  /** `sender` carries one message (JSON text) to the inspector; replace it when the target changes. */
  constructor(private sender: (message: string) => void) {}

  /** A new target (a new engine thread): commands sent before it can no longer be answered. */
  retarget(sender: (message: string) => void): void {
    this.sender = sender;
    this.failPending('the engine thread was replaced');
  }

  send<M extends CdpCommand>(method: M, ...params: Commands[M]['paramsType']): Promise<Commands[M]['returnType']> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject });
      this.sender(JSON.stringify({ id, method, params: params[0] ?? {} }));
    });
  }

  on<E extends CdpEvent>(event: E, listener: (...params: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as unknown as (params: never) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** One message from the inspector. */
  receive(text: string): void {
    let m: { id?: number; result?: unknown; error?: { code: number; message: string }; method?: string; params?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new CdpError(p.method, m.error.code, m.error.message));
      else p.resolve(m.result ?? {});
      return;
    }
    if (typeof m.method !== 'string') return;
    for (const l of [...(this.listeners.get(m.method) ?? [])]) (l as (p: unknown) => void)(m.params);
  }

  failPending(why: string): void {
    for (const p of this.pending.values()) p.reject(new Error(`${p.method}: ${why}`));
    this.pending.clear();
  }
}
