/**
 * The input line of the Run App terminal: a Pseudoterminal gets raw keystrokes, so editing, history
 * and completion are ours. Node only (no vscode): the tests type into it.
 */

/** What a keystroke did: text to write to the terminal, and a line to run when Enter was pressed. */
export interface KeyResult {
  echo: string;
  line?: string;
  /** Ctrl+C or Ctrl+D on an empty line: the user wants out. */
  quit?: boolean;
}

/** Words that may come next after `before` (the line up to the cursor, last word excluded). */
export type Completer = (words: readonly string[]) => readonly string[];

const COMMANDS = ['mode', 'touch', 'advance', 'call', 'status', 'devices', 'restart', 'help', 'quit'];

/**
 * The `smartplug run` commands' completion: a device id or a command, then the device's
 * attributes (and `.command`s), then an attribute's known values.
 */
export function runCompleter(devices: readonly { id: string; attributes: Record<string, unknown>; commands?: readonly string[]; values?: Record<string, readonly string[]> }[]): Completer {
  return (words) => {
    if (words.length === 0) return [...devices.map((d) => d.id), ...devices.flatMap((d) => (d.commands ?? []).map((c) => `${d.id}.${c}`)), ...COMMANDS];
    const device = devices.find((d) => d.id === words[0]);
    if (words.length === 1) {
      if (device) return Object.keys(device.attributes);
      if (words[0] === 'mode') return ['Home', 'Away', 'Night'];
      if (words[0] === 'advance') return ['30s', '1m', '10m', '1h'];
      if (words[0] === 'call') return ['GET', 'POST', 'PUT', 'DELETE'];
      return [];
    }
    if (words.length === 2 && device) return [...(device.values?.[words[1]] ?? [])];
    return [];
  };
}

export class LineEditor {
  private line = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Where Up/Down is in the history (history.length: the line being typed). */
  private historyAt = 0;
  private draft = '';

  constructor(private readonly complete: Completer, readonly prompt = '> ') {}

  /** Handles what the terminal sent (a key, an escape sequence, or pasted text). */
  input(data: string): KeyResult[] {
    const out: KeyResult[] = [];
    let i = 0;
    while (i < data.length) {
      const rest = data.slice(i);
      const seq = /^\x1b\[[0-9;]*[A-Za-z~]/.exec(rest)?.[0];
      if (seq) {
        out.push({ echo: this.escape(seq) });
        i += seq.length;
        continue;
      }
      const ch = data[i++];
      out.push(this.key(ch));
    }
    return out;
  }

  private key(ch: string): KeyResult {
    switch (ch) {
      case '\r':
      case '\n': {
        const line = this.line;
        if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
        this.historyAt = this.history.length;
        this.line = '';
        this.cursor = 0;
        return { echo: '\r\n', line };
      }
      case '\x7f':
      case '\b':
        if (this.cursor === 0) return { echo: '' };
        this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor);
        this.cursor--;
        return { echo: this.redraw() };
      case '\t':
        return { echo: this.tab() };
      case '\x03':
      case '\x04':
        if (this.line === '' || ch === '\x03') {
          this.line = '';
          this.cursor = 0;
          return { echo: '^C\r\n', quit: true };
        }
        return { echo: '' };
      case '\x15': // Ctrl+U
        this.line = '';
        this.cursor = 0;
        return { echo: this.redraw() };
      default:
        if (ch < ' ') return { echo: '' };
        this.line = this.line.slice(0, this.cursor) + ch + this.line.slice(this.cursor);
        this.cursor++;
        return { echo: this.cursor === this.line.length ? ch : this.redraw() };
    }
  }

  private escape(seq: string): string {
    switch (seq) {
      case '\x1b[A':
        return this.recall(-1);
      case '\x1b[B':
        return this.recall(1);
      case '\x1b[C':
        if (this.cursor < this.line.length) this.cursor++;
        return this.redraw();
      case '\x1b[D':
        if (this.cursor > 0) this.cursor--;
        return this.redraw();
      case '\x1b[H':
        this.cursor = 0;
        return this.redraw();
      case '\x1b[F':
        this.cursor = this.line.length;
        return this.redraw();
      default:
        return '';
    }
  }

  private recall(step: number): string {
    const at = this.historyAt + step;
    if (at < 0 || at > this.history.length) return '';
    if (this.historyAt === this.history.length) this.draft = this.line;
    this.historyAt = at;
    this.line = at === this.history.length ? this.draft : this.history[at];
    this.cursor = this.line.length;
    return this.redraw();
  }

  /** Completes the word at the cursor: the one candidate, or the common part and the list. */
  private tab(): string {
    const before = this.line.slice(0, this.cursor);
    const words = before.split(/\s+/);
    const partial = words.pop() ?? '';
    const candidates = this.complete(words.filter(Boolean)).filter((c) => c.startsWith(partial));
    if (candidates.length === 0) return '\x07';
    const common = candidates.reduce((a, b) => {
      let n = 0;
      while (n < a.length && n < b.length && a[n] === b[n]) n++;
      return a.slice(0, n);
    });
    const insert = (candidates.length === 1 ? `${candidates[0]} ` : common).slice(partial.length);
    this.line = this.line.slice(0, this.cursor) + insert + this.line.slice(this.cursor);
    this.cursor += insert.length;
    if (candidates.length === 1 || insert) return this.redraw();
    // Several, nothing in common to add: list them, then the line again.
    return `\r\n${candidates.join('  ')}\r\n${this.prompt}${this.line}${this.moveBack()}`;
  }

  /** The prompt and the line again, the cursor in its place. */
  redraw(): string {
    return `\r\x1b[2K${this.prompt}${this.line}${this.moveBack()}`;
  }

  private moveBack(): string {
    const back = this.line.length - this.cursor;
    return back > 0 ? `\x1b[${back}D` : '';
  }
}
