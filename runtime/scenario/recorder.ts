/**
 * What happened while a scenario ran, kept in order. Expectations look at a window (what happened
 * since the previous expect step); the failure report shows the app's whole log. The records come
 * from the Thing's worker, each before the reply of the call that caused it, so once a step's call
 * has been answered its records are all here.
 */
import type { EndpointResponse } from '../engine/engine-requests';
import type { AppErrorRecord, CommandRecord, ExecutionRecord, LogRecord, NotificationRecord } from '../engine/records';
import type { Thing } from '../host/thing';

export interface Recorded {
  commands: CommandRecord[];
  notifications: NotificationRecord[];
  logs: LogRecord[];
  errors: AppErrorRecord[];
  /** Handlers that ran (not those the rate limit dropped, nor the reports of unhandled rejections). */
  executions: ExecutionRecord[];
}

export type Mark = { [K in keyof Recorded]: number };

const KINDS = ['commands', 'notifications', 'logs', 'errors', 'executions'] as const;

export class Recorder {
  readonly all: Recorded = { commands: [], notifications: [], logs: [], errors: [], executions: [] };
  /** The last web-service response, until the next expect looks at it. */
  response: { method: string; path: string; response: EndpointResponse } | undefined;
  private windowStart: Mark = this.mark();

  /** Listens on the Thing; call before anything is installed (the worker sends executions only once asked). */
  constructor(thing: Thing) {
    thing.on('command', (r) => this.all.commands.push(r));
    thing.on('notification', (r) => this.all.notifications.push(r));
    thing.on('log', (r) => this.all.logs.push(r));
    thing.on('appError', (r) => this.all.errors.push(r));
    thing.on('execution', (r) => {
      if (r.outcome !== 'rate-limited' && r.kind !== 'rejection') this.all.executions.push(r);
    });
  }

  mark(): Mark {
    return Object.fromEntries(KINDS.map((k) => [k, this.all[k].length])) as Mark;
  }

  /** Records since `from` (default: the start of the current window). */
  since(from: Mark = this.windowStart): Recorded {
    return Object.fromEntries(KINDS.map((k) => [k, this.all[k].slice(from[k])])) as unknown as Recorded;
  }

  /** An expect step has looked: the next window starts now. */
  nextWindow(): void {
    this.windowStart = this.mark();
    this.response = undefined;
  }
}
