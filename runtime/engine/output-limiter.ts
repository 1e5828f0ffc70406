/**
 * Caps on what an app writes (log records and notifications). A real app writes a few lines per
 * execution; one that writes in a loop would otherwise fill the worker's memory (every record is
 * kept until it is sent) and bury everything else in the log. The caps are kept on the host side of
 * the bridge, so nothing a script does in its own context gets around them.
 */
export type OutputKind = 'log' | 'notification';

type Counts = Record<OutputKind, number>;

export const OUTPUT_LIMITS = {
  perExecution: { log: 100, notification: 20 } as Readonly<Counts>,
  /** In line with the rate limit (250 executions in 60 s): a few lines per execution on average. */
  perWindow: { log: 1000, notification: 100 } as Readonly<Counts>,
  windowMs: 60_000,
  /** Longer log and notification messages are cut here, with a marker saying how much was cut. */
  messageChars: 8192,
} as const;

/** What an execution has written so far (kept on its ExecutionContext). */
export interface ExecutionOutput {
  output?: Counts;
}

/**
 * One app's output budget: per execution, and per fixed window that opens with the first record
 * after the previous window ended. Drops are counted and said in one warning: an execution's own
 * cut at the end of its turn, the window's cut once per window (and what it dropped after that at
 * the end of the window).
 */
export class OutputLimiter {
  private windowStart = -Infinity;
  private inWindow: Counts = { log: 0, notification: 0 };
  /** Dropped and not yet said. */
  private unsaid: Counts = { log: 0, notification: 0 };
  /** An unsaid drop was an execution's own cap: said now, whatever the window. */
  private executionCut = false;
  /** This window's cap dropped something, and that was said: the rest waits for the window's end. */
  private windowCut = false;
  private windowSaid = false;

  /** Whether one more record may go out; `execution` is the one running (its counts are kept on it), if any. */
  admit(kind: OutputKind, now: number, execution: ExecutionOutput | undefined): boolean {
    if (now >= this.windowStart + OUTPUT_LIMITS.windowMs) this.openWindow(now);
    const mine = execution ? (execution.output ??= { log: 0, notification: 0 }) : undefined;
    if (mine && mine[kind] >= OUTPUT_LIMITS.perExecution[kind]) {
      this.unsaid[kind]++;
      this.executionCut = true;
      return false;
    }
    if (this.inWindow[kind] >= OUTPUT_LIMITS.perWindow[kind]) {
      this.unsaid[kind]++;
      this.windowCut = true;
      return false;
    }
    this.inWindow[kind]++;
    if (mine) mine[kind]++;
    return true;
  }

  hasUnsaid(): boolean {
    return this.unsaid.log + this.unsaid.notification > 0;
  }

  /** The warning to log now about what was dropped, or undefined when there is none to say yet. */
  report(now: number): string | undefined {
    if (!this.hasUnsaid()) return undefined;
    const ended = now >= this.windowStart + OUTPUT_LIMITS.windowMs;
    if (this.windowSaid && !this.executionCut && !ended) return undefined;
    if (this.windowCut && !ended) this.windowSaid = true;
    const message = cutWarning(this.unsaid);
    this.unsaid = { log: 0, notification: 0 };
    this.executionCut = false;
    return message;
  }

  private openWindow(now: number): void {
    this.windowStart = now;
    this.inWindow = { log: 0, notification: 0 };
    this.windowCut = false;
    this.windowSaid = false;
  }
}

function cutWarning(dropped: Counts): string {
  const parts: string[] = [];
  if (dropped.log) parts.push(`${dropped.log} log record${dropped.log === 1 ? '' : 's'}`);
  if (dropped.notification) parts.push(`${dropped.notification} notification${dropped.notification === 1 ? '' : 's'}`);
  const verb = dropped.log + dropped.notification === 1 ? 'was' : 'were';
  const { perExecution: e, perWindow: w, windowMs, messageChars } = OUTPUT_LIMITS;
  return `output cut: ${parts.join(' and ')} ${verb} dropped; an app may write ${e.log} log records and send ${e.notification} notifications per execution, `
    + `and ${w.log} and ${w.notification} in ${windowMs / 1000} s, each message at most ${messageChars} characters. Log a summary instead of a line per item`;
}

/**
 * A log or notification message cut to OUTPUT_LIMITS.messageChars, with a marker saying how much
 * was cut. `tidy` (e.g. removing the runtime's stack frames) sees only the part that is kept.
 */
export function clipMessage(message: string, tidy: (kept: string) => string = (m) => m): string {
  const max = OUTPUT_LIMITS.messageChars;
  if (message.length <= max) return tidy(message);
  // Never split a surrogate pair: the kept part stays well-formed text.
  const end = isHighSurrogate(message.charCodeAt(max - 1)) ? max - 1 : max;
  return `${tidy(message.slice(0, end))} …[${message.length - end} more characters cut: a message is at most ${max} characters]`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
