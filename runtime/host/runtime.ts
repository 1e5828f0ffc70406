/**
 * The runtime's one API for a single Thing: the CLI, the scenario runner, the benches and the
 * debugger drive apps through it. It is a Thing (host/thing.ts) on a pool of one worker process
 * (host/worker-pool.ts), or, for debugging the runtime itself, in this process ("inline").
 */
import type { CallArgs, CallName, CallResult, EngineSettings, SelfCheckResult } from './protocol';
import { Thing, type ThingTransport } from './thing';
import { WorkerPool, type PoolOptions } from './worker-pool';
import { appIdSequence } from '../engine/app-ids';
import { WorkerDispatcher } from '../worker/dispatcher';

export type { HostEventMap, WorkerRecord } from './thing';
export type { QuarantinedApp } from './thing-journal';

export interface RuntimeOptions extends EngineSettings, PoolOptions {
  /** `process` (default): apps run in a worker process under the permission model. `inline`: in this process. */
  isolation?: 'process' | 'inline';
}

/** The Thing's id when the runtime runs one Thing. */
const THING_ID = 'thing-1';

export class SmartPlugRuntime extends Thing {
  private pool: WorkerPool | undefined;
  private inlineDispatcher: WorkerDispatcher | undefined;
  private closed = false;

  static async start(options: RuntimeOptions = { clock: 'real' }): Promise<SmartPlugRuntime> {
    const { clock, start, location, rateLimit, cpuLimitMs } = options;
    const settings: EngineSettings = { clock, start, location, rateLimit, cpuLimitMs };
    if (options.isolation === 'inline') {
      let rt: SmartPlugRuntime | undefined;
      const dispatcher = new WorkerDispatcher((_thing, name, payload) => rt?.receiveRecord(name, payload));
      const transport: ThingTransport = {
        // In this process the table's results are the dispatcher's own values.
        call: async (thing, op, args) => dispatcher.handle({ thing, op, args }) as never,
      };
      rt = new SmartPlugRuntime(THING_ID, settings, transport, appIdSequence());
      rt.inlineDispatcher = dispatcher;
      dispatcher.handle({ thing: THING_ID, op: 'createThing', args: [rt.journal.settings([])] });
      return rt;
    }
    const pool = new WorkerPool(options);
    const rt = await pool.addThing(THING_ID, settings, (id, s, transport, newAppId) => new SmartPlugRuntime(id, s, transport, newAppId));
    rt.pool = pool;
    return rt;
  }

  get isolation(): 'process' | 'inline' {
    return this.inlineDispatcher ? 'inline' : 'process';
  }

  get workerPid(): number | undefined {
    return this.pool?.pidOf(this.id);
  }

  /** Whether the current worker runs under Node's permission model (false only in debug mode). */
  get permissionModel(): boolean | undefined {
    return this.pool?.permissionModelOf(this.id);
  }

  /** Process isolation only: what the worker is allowed to do (reads, writes, spawns, its environment). */
  async selfCheck(): Promise<SelfCheckResult> {
    if (!this.pool) throw new Error('selfCheck needs process isolation');
    return this.pool.selfCheck(this.id);
  }

  /** Re-spawns the worker (as a Bundle Sync does) and restores every app; resolves when they run again. */
  async restartWorker(reason = 'requested'): Promise<void> {
    if (!this.pool) throw new Error('restartWorker needs process isolation');
    await this.pool.restartWorker(this.id, reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.inlineDispatcher?.dispose();
    await this.pool?.close();
  }

  protected override call<K extends CallName>(op: K, args: CallArgs<K>): Promise<CallResult<K>> {
    if (this.closed) return Promise.reject(new Error('the runtime is closed'));
    return super.call(op, args);
  }
}
