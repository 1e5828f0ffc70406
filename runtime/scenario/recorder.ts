/**
 * What happened while a scenario ran, kept in order. Expectations look at a window (what happened
 * since the previous expect step); the failure report shows the app's whole log.
 */
import type { EndpointResponse, ThingEngine } from '../engine/thing-engine';
import type { AppErrorRecord, CommandRecord, LogRecord, NotificationRecord } from '../engine/records';

export interface Recorded {
  commands: CommandRecord[];
  notifications: NotificationRecord[];
  logs: LogRecord[];
  errors: AppErrorRecord[];
}

export interface Mark {
  commands: number;
  notifications: number;
  logs: number;
  errors: number;
}

export class Recorder {
  readonly all: Recorded = { commands: [], notifications: [], logs: [], errors: [] };
  /** The last web-service response, until the next expect looks at it. */
  response: { method: string; path: string; response: EndpointResponse } | undefined;
  private windowStart: Mark = { commands: 0, notifications: 0, logs: 0, errors: 0 };

  constructor(engine: ThingEngine) {
    engine.on('command', (r) => this.all.commands.push(r));
    engine.on('notification', (r) => this.all.notifications.push(r));
    engine.on('log', (r) => this.all.logs.push(r));
    engine.on('appError', (r) => this.all.errors.push(r));
  }

  mark(): Mark {
    return { commands: this.all.commands.length, notifications: this.all.notifications.length, logs: this.all.logs.length, errors: this.all.errors.length };
  }

  /** Records since `from` (default: the start of the current window). */
  since(from: Mark = this.windowStart): Recorded {
    return {
      commands: this.all.commands.slice(from.commands),
      notifications: this.all.notifications.slice(from.notifications),
      logs: this.all.logs.slice(from.logs),
      errors: this.all.errors.slice(from.errors),
    };
  }

  /** An expect step has looked: the next window starts now. */
  nextWindow(): void {
    this.windowStart = this.mark();
    this.response = undefined;
  }
}
