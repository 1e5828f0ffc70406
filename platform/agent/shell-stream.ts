/**
 * The answers to one JS Shell request on its respond topic: output chunks (log lines, or a debug
 * session's inspector messages), then the one final message with the result or the error.
 */
import type { DebugFeed, ShellError, ShellLogLine } from '../protocol';

/** Log lines in one answer, at most. */
export const LINES_PER_CHUNK = 200;
/** Inspector messages are sent once they make this many characters (the payload limit is 1 MiB). */
const DEBUG_CHUNK_CHARS = 256 * 1024;

/** The answers to one request: output chunks (a turn's lines in one message), then the one final message. */
export class ShellStream {
  private seq = 0;
  private ended = false;
  private pending: ShellLogLine[] = [];
  private feed: DebugFeed[] = [];
  private feedChars = 0;
  private flushScheduled = false;
  /** log lines sent */
  lines = 0;

  constructor(
    private readonly host: { publish(topic: string, payload: string): void },
    readonly respond: string,
    private readonly meta: unknown,
  ) {}

  output(lines: ShellLogLine[]): void {
    if (this.ended) return;
    this.pending.push(...lines);
    if (this.pending.length >= LINES_PER_CHUNK) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * A debug session's inspector messages, sent together once per turn (a few hundred arrive at
   * once when the debugger attaches), or as soon as they make DEBUG_CHUNK_CHARS.
   */
  debug(feed: DebugFeed): void {
    if (this.ended) return;
    this.feed.push(feed);
    this.feedChars += feed.kind === 'cdp' ? feed.message.length : 20;
    if (this.feedChars >= DEBUG_CHUNK_CHARS || this.feed.length >= 1000) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  done(result: unknown): void {
    this.end({ result, error: null });
  }

  fail(code: ShellError['code'], message: string): void {
    this.end({ error: { code, message } });
  }

  private end(last: { result?: unknown; error: ShellError | null }): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.send({ done: true, ...last });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.ended) return;
    if (this.pending.length > 0) {
      const output = this.pending;
      this.pending = [];
      this.lines += output.length;
      this.send({ done: false, output, error: null });
    }
    if (this.feed.length > 0) {
      const debug = this.feed;
      this.feed = [];
      this.feedChars = 0;
      this.send({ done: false, debug, error: null });
    }
  }

  private send(body: { done: boolean; output?: ShellLogLine[]; debug?: DebugFeed[]; result?: unknown; error: ShellError | null }): void {
    this.host.publish(this.respond, JSON.stringify({ meta: this.meta, seq: this.seq++, ...body }));
  }
}
