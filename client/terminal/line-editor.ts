/**
 * The input line of our terminals (Run App, the JS Shell): a Pseudoterminal gets raw keystrokes, so
 * editing, history and completion are ours. Node only (no vscode): the tests type into it.
 */

/** What a keystroke did: text to write to the terminal, and a line to run when Enter was pressed. */
export interface KeyResult {
  echo: string;
  line?: string;
  /** Ctrl+C or Ctrl+D on an empty line: the user wants out. */
  quit?: boolean;
  /** the key was Ctrl+C (a shell takes it as "drop this input", not as "quit") */
  interrupted?: boolean;
}

/**
 * What may complete `partial`, the word at the cursor, after `words` (the rest of the line up to
 * the cursor, split at white space). Candidates that do not start with `partial` are dropped.
 */
export type Completer = (words: readonly string[], partial: string) => readonly string[];

/** The word at the cursor that Tab completes, and the words before it. */
export interface CompletionRequest {
  words: string[];
  partial: string;
}

export interface LineEditorOptions {
  /** the word Tab completes: the end of the line up to the cursor this matches (default: after the last space) */
  wordAtCursor?: RegExp;
  /** a space after a word completed in full (default true; code does not want it: `log.info|(`) */
  spaceAfterWord?: boolean;
}

export class LineEditor {
  private line = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Where Up/Down is in the history (history.length: the line being typed). */
  private historyAt = 0;
  private draft = '';

  private readonly wordAtCursor: RegExp;
  private readonly spaceAfterWord: boolean;

  constructor(
    private readonly complete: Completer,
    /** shown before the line; a shell changes it (a continuation line, another app) */
    public prompt = '> ',
    options: LineEditorOptions = {},
  ) {
    this.wordAtCursor = options.wordAtCursor ?? /\S*$/;
    this.spaceAfterWord = options.spaceAfterWord ?? true;
  }

  /** The line as typed so far. */
  get text(): string {
    return this.line;
  }

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
          return { echo: '^C\r\n', quit: true, ...(ch === '\x03' ? { interrupted: true } : {}) };
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

  private tab(): string {
    const { words, partial } = this.completionRequest();
    return this.completeWith(this.complete(words, partial));
  }

  /** The word Tab would complete, for a caller that finds candidates itself (asynchronously). */
  completionRequest(): CompletionRequest {
    const before = this.line.slice(0, this.cursor);
    const partial = this.wordAtCursor.exec(before)?.[0] ?? '';
    const words = before.slice(0, before.length - partial.length).split(/\s+/).filter(Boolean);
    return { words, partial };
  }

  /** Completes the word at the cursor from `offered`: the one candidate, or the common part and the list. */
  completeWith(offered: readonly string[]): string {
    const { partial } = this.completionRequest();
    const candidates = [...new Set(offered.filter((c) => c.startsWith(partial)))];
    if (candidates.length === 0) return '\x07';
    const common = candidates.reduce((a, b) => {
      let n = 0;
      while (n < a.length && n < b.length && a[n] === b[n]) n++;
      return a.slice(0, n);
    });
    const insert = (candidates.length === 1 ? `${candidates[0]}${this.spaceAfterWord ? ' ' : ''}` : common).slice(partial.length);
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
