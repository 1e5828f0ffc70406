/**
 * A worker's Things, and the routing of each call to the Thing it names. Used by the engine thread
 * and, in-process, by the inline runtime.
 */
import { ConfigError } from '../app/instance-config';
import type { ExecutionMonitor } from '../engine/engine-options';
import type { RuntimeEventMap } from '../engine/records';
import { SourceError } from '../errors';
import type { AppSource } from '../engine/installed-app';
import type { CallArgs, CallMessage, DeviceValues, EngineSettings, SerializedError, WireSource } from '../host/protocol';
import { ThingHost } from './thing-host';

export type ThingRecordSink = <K extends keyof RuntimeEventMap>(thing: string, name: K, payload: RuntimeEventMap[K]) => void;

export class WorkerDispatcher {
  private readonly things = new Map<string, ThingHost>();
  /** The app sources this thread was sent, by key (see WireSource in host/protocol.ts). */
  private readonly sources = new Map<string, AppSource>();

  constructor(
    private readonly onRecord: ThingRecordSink,
    /** Each Thing's execution monitor (the warden's slot), if any. */
    private readonly monitorOf?: (thing: string) => ExecutionMonitor,
  ) {}

  handle(m: Pick<CallMessage, 'thing' | 'op' | 'args' | 'skip'>): unknown {
    if (m.op === 'createThing') return this.createThing(m.thing, m.args[0] as EngineSettings);
    if (m.op === 'disposeThing') {
      this.things.get(m.thing)?.dispose();
      this.things.delete(m.thing);
      return undefined;
    }
    const host = this.things.get(m.thing);
    if (!host) throw new Error(`this worker hosts no Thing "${m.thing}"`);
    return host.call(m.op, this.decode(m.op, m.args), m.skip);
  }

  /** The call's args with every app source in full again. */
  private decode(op: CallMessage['op'], args: CallMessage['args']): CallMessage['args'] {
    if (op === 'install') {
      const [request] = args as CallArgs<'install'>;
      return [{ ...request, source: this.source(request.source as unknown as WireSource) }] as CallMessage['args'];
    }
    if (op === 'registerPackage') return [this.source((args as CallArgs<'registerPackage'>)[0] as unknown as WireSource)] as CallMessage['args'];
    return args;
  }

  private source(wire: WireSource): AppSource {
    if ('sourceRef' in wire) {
      const known = this.sources.get(wire.sourceRef);
      if (!known) throw new Error(`this engine thread was never sent the app source ${wire.sourceRef}`);
      return known;
    }
    const { sourceKey, ...source } = wire;
    if (sourceKey) this.sources.set(sourceKey, source);
    return source;
  }

  /** Each Thing's device values changed since the last call. */
  takeDeviceValues(): [thing: string, values: DeviceValues][] {
    const out: [string, DeviceValues][] = [];
    for (const [thing, host] of this.things) {
      const v = host.takeDeviceValues();
      if (v) out.push([thing, v]);
    }
    return out;
  }

  /** A runtime error no app can be named for: logged on every Thing (it cannot be placed). */
  runtimeError(message: string): void {
    for (const host of this.things.values()) host.runtimeError(message);
  }

  dispose(): void {
    for (const host of this.things.values()) host.dispose();
    this.things.clear();
  }

  private createThing(thing: string, settings: EngineSettings): void {
    this.things.get(thing)?.dispose();
    const host = new ThingHost(settings, (name, payload) => this.onRecord(thing, name, payload), { monitor: this.monitorOf?.(thing) });
    this.things.set(thing, host);
  }
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof SourceError) return { name: 'SourceError', message: e.message, problems: e.problems };
  if (e instanceof ConfigError) return { name: 'ConfigError', message: e.message, problems: e.problems, appName: e.appName };
  if (e instanceof Error) {
    const fix = (e as { fix?: unknown }).fix;
    return { name: e.name, message: e.message, ...(typeof fix === 'string' ? { fix } : {}) };
  }
  return { name: 'Error', message: String(e) };
}
