/**
 * Starts worker processes for the pool, and keeps one started ahead when asked (the spare): a
 * re-spawn (a Bundle Sync, a crash) or a new worker then costs only restoring its Things. Starting
 * a process is most of a re-spawn: a fork plus the engine thread's start, ~2× a bare fork.
 */
import type { EngineLostMessage, EventsMessage } from './protocol';
import { WorkerProcess, type WorkerProcessOptions } from './worker-process';

/** What a started process reports, to the one who took it. */
export interface WorkerHandlers {
  events(m: EventsMessage): void;
  exit(why: string): void;
  engineLost(m: EngineLostMessage): void;
}

interface Started {
  worker: WorkerProcess;
  /** Set when the process is taken; a spare has no one to report to (and an exited spare is dropped). */
  handlers?: WorkerHandlers;
}

export class WorkerStarter {
  private spare: Promise<Started> | undefined;
  private closed = false;

  constructor(
    private readonly options: WorkerProcessOptions,
    private readonly keepSpare: boolean,
  ) {}

  /** A ready process (the spare when it is alive, else a new one), reporting to `handlers(worker)`. */
  async take(handlers: (worker: WorkerProcess) => WorkerHandlers): Promise<WorkerProcess> {
    const spare = this.spare;
    this.spare = undefined;
    const ready = spare ? await spare.catch(() => undefined) : undefined;
    const started = ready && !ready.worker.exited ? ready : await this.start();
    started.handlers = handlers(started.worker);
    this.startSpare();
    return started.worker;
  }

  /** The spare's pid once it is ready (undefined when none is kept, or it could not start). */
  async sparePid(): Promise<number | undefined> {
    const spare = await this.spare?.catch(() => undefined);
    return spare && !spare.worker.exited ? spare.worker.pid : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = undefined;
    await spare?.then((s) => s.worker.close(), () => undefined);
  }

  private async start(): Promise<Started> {
    let started: Started | undefined;
    const worker = await WorkerProcess.spawn(
      this.options,
      (m) => started?.handlers?.events(m),
      (_code, _signal, why) => started?.handlers?.exit(why),
      (m) => started?.handlers?.engineLost(m),
      this.options.onInspector,
    );
    started = { worker };
    return started;
  }

  private startSpare(): void {
    // A debug session has one worker, whose inspector its adapter follows: never a spare.
    if (!this.keepSpare || this.options.debug || this.spare || this.closed) return;
    const spare = this.start().then(async (s) => {
      if (this.closed) await s.worker.close();
      return s;
    });
    this.spare = spare;
    // One that could not start is forgotten: the next take starts a process itself.
    spare.catch(() => {
      if (this.spare === spare) this.spare = undefined;
    });
  }
}
