import type { Clock, TimerHandle } from '../clock/clock';
import { parseCron } from '../clock/cron';
import { nextDailyTime, parseTimeOfDay } from '../clock/daily-time';
import type { JobSnapshot } from './snapshot';

interface Job extends JobSnapshot {
  timer?: TimerHandle;
}

/** At most this many pending jobs per app: enough for real apps, a wall against runaway scheduling. */
export const MAX_JOBS_PER_APP = 100;

/**
 * One installed app's scheduled jobs (runIn, runOnce, schedule, runEvery*), on the Thing's clock.
 * Semantics follow SmartThings: a new runIn/runOnce for the same handler replaces the pending one
 * unless overwrite is false; schedule() for a handler replaces its schedule; recurring jobs re-arm
 * after they fire.
 */
export class AppJobs {
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    private readonly timeZone: () => string,
    private readonly fire: (job: JobSnapshot) => void,
    /** In [0, 1): where in its first interval a runEvery* job starts. Tests pass a seeded one. */
    private readonly random: () => number = Math.random,
  ) {}

  runAt(at: number, handler: string, overwrite: boolean, data: string): JobSnapshot {
    if (overwrite) this.removeWhere((j) => j.handler === handler && j.kind === 'once');
    return this.add({ id: this.nextId++, handler, kind: 'once', at, data });
  }

  schedule(spec: string | number, handler: string, data: string): JobSnapshot {
    const now = this.clock.now();
    const tz = this.timeZone();
    let job: Job;
    // 5 fields is a Unix cron written by mistake: let the cron parser say how to fix it.
    if (typeof spec === 'string' && spec.trim().split(/\s+/).length >= 5) {
      const at = parseCron(spec).next(now, tz);
      if (at === undefined) throw new Error(`schedule: cron expression "${spec}" never fires again`);
      job = { id: this.nextId++, handler, kind: 'cron', at, data, spec };
    } else {
      const tod = parseTimeOfDay(spec, tz);
      job = { id: this.nextId++, handler, kind: 'daily', at: nextDailyTime(tod, now, tz), data, spec };
    }
    this.removeWhere((j) => j.handler === handler && (j.kind === 'cron' || j.kind === 'daily'));
    return this.add(job);
  }

  /** runEvery*: the first run is at a random point within the first interval, as SmartThings does. */
  every(minutes: number, handler: string, data: string): JobSnapshot {
    this.removeWhere((j) => j.handler === handler && j.kind === 'every');
    const interval = minutes * 60_000;
    const at = this.clock.now() + 1 + Math.floor(this.random() * interval);
    return this.add({ id: this.nextId++, handler, kind: 'every', at, data, everyMinutes: minutes });
  }

  unschedule(handler?: string): number {
    return this.removeWhere((j) => handler === undefined || j.handler === handler);
  }

  list(): JobSnapshot[] {
    return [...this.jobs.values()].map(({ timer: _timer, ...rest }) => rest).sort((a, b) => a.at - b.at);
  }

  count(): number {
    return this.jobs.size;
  }

  /** Re-arms jobs from a snapshot; jobs whose time passed while the worker was down fire at once. */
  restore(snapshots: readonly JobSnapshot[]): void {
    for (const s of snapshots) {
      this.nextId = Math.max(this.nextId, s.id + 1);
      this.add({ ...s });
    }
  }

  clear(): void {
    this.removeWhere(() => true);
  }

  private add(job: Job): JobSnapshot {
    if (this.jobs.size >= MAX_JOBS_PER_APP) {
      throw new Error(`this app already has ${MAX_JOBS_PER_APP} scheduled jobs; unschedule() some, or pass { overwrite: true }`);
    }
    this.jobs.set(job.id, job);
    this.arm(job);
    const { timer: _timer, ...snapshot } = job;
    return snapshot;
  }

  private arm(job: Job): void {
    job.timer = this.clock.setTimer(job.at, () => this.onTimer(job.id));
  }

  private onTimer(id: number): void {
    const job = this.jobs.get(id);
    if (!job) return;
    const firedAt = job.at;
    const { timer: _timer, ...snapshot } = job;
    if (job.kind === 'once') {
      this.jobs.delete(id);
    } else {
      job.at = this.nextAfter(job, Math.max(firedAt, this.clock.now()));
      this.arm(job);
    }
    this.fire(snapshot);
  }

  private nextAfter(job: Job, after: number): number {
    const tz = this.timeZone();
    if (job.kind === 'every') return job.at + (job.everyMinutes ?? 1) * 60_000;
    if (job.kind === 'cron') return parseCron(String(job.spec)).next(after, tz) ?? Number.MAX_SAFE_INTEGER;
    return nextDailyTime(parseTimeOfDay(job.spec as string | number, tz), after, tz);
  }

  private removeWhere(pred: (j: Job) => boolean): number {
    let n = 0;
    for (const [id, j] of this.jobs) {
      if (!pred(j)) continue;
      if (j.timer) this.clock.clearTimer(j.timer);
      this.jobs.delete(id);
      n++;
    }
    return n;
  }
}
