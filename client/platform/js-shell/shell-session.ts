/**
 * A JS Shell attached to one Thing, as a terminal shows it: what the user types goes through the
 * input line (history, editing, completion), complete code is evaluated on the Thing (in an app's
 * sandbox or the Thing's shell context), and what the Thing answers is written back coloured:
 * the app's log lines as they come, then the value or the error. Lines that leave code open
 * (`if (x) {`) ask for more. vscode-free: the terminal (js-shell-terminal.ts) only carries its
 * text, and the tests type into it against a real Thing.
 */
import type { ShellAppInfo, ShellLogLine, ShellResponse, ShellResults } from '../../../platform/protocol';
import type { ShellCall, ShellClient } from '../../../platform/shell/shell-client';
import { LineEditor } from '../../terminal/line-editor';
import { globalNames, isIncomplete, namesExpression, parseNames, SHELL_COMMANDS, splitPath, WORD_AT_CURSOR } from './shell-input';

export interface JsShellOptions {
  /** the installation id of the app to evaluate in first; none: the Thing's shell context */
  app?: number;
  /** text for the terminal (with \r\n line ends and ANSI colours) */
  write(text: string): void;
  /** the user asked to leave (.exit, Ctrl+D) */
  exit(): void;
  /** the Thing answered a request: its credential is right (a remote one may be kept) */
  answered?(): void;
}

const HELP = [
  'Type JavaScript to evaluate it; the value of the last statement is the result. Lines that leave code open ask for more.',
  '.app NAME|ID   evaluate in an app of the Thing (Tab completes its names)',
  '.shell         evaluate in the Thing\'s shell context (devices, location; read only)',
  '.apps          the Thing\'s apps, their status and state',
  '.logs [N]      the Thing\'s last N log lines (20)',
  '.restart       restart the Thing\'s apps, each with its state',
  '.clear         clear the terminal',
  '.exit          close the shell (Ctrl+D on an empty line does too)',
  'Tab completes names of the context (`state.`, `log.in`); Up and Down recall earlier input; Ctrl+C drops what is typed.',
];

const colour = {
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  magenta: (s: string) => `\x1b[35m${s}\x1b[39m`,
  grey: (s: string) => `\x1b[90m${s}\x1b[39m`,
};

const LEVEL_COLOUR: Record<ShellLogLine['level'], (s: string) => string> = {
  trace: colour.grey, debug: colour.grey, info: colour.cyan, warn: colour.yellow, error: colour.red,
};

/** A log line of the Thing, as the terminal shows it: time, level, source, message. */
export function formatLogLine(l: ShellLogLine): string {
  return `${colour.dim(l.utc)} ${LEVEL_COLOUR[l.level](l.level.padEnd(5))} ${colour.magenta(l.source)}: ${l.message}`;
}

export class JsShellSession {
  private readonly editor: LineEditor;
  /** lines of code typed so far that did not yet make a complete whole */
  private pending: string[] = [];
  private app: number | undefined;
  private apps: ShellAppInfo[] = [];
  /** Input is handled in order, one piece after the other: an evaluation or a completion may wait on the Thing. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly client: ShellClient,
    private readonly thingId: string,
    private readonly credential: string,
    private readonly options: JsShellOptions,
  ) {
    this.app = options.app;
    this.editor = new LineEditor(() => [], this.promptText(), { wordAtCursor: WORD_AT_CURSOR, spaceAfterWord: false });
  }

  /** Greets, reads the Thing's apps (their names complete `.app`), and shows the prompt. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      this.options.write(`JS Shell of ${this.thingId}. .help lists the commands.\r\n`);
      const ok = await this.readApps(false);
      if (ok && this.app !== undefined && !this.apps.some((a) => a.installation_id === this.app)) {
        this.print(colour.yellow(`${this.thingId} has no app of installation ${this.app} now: evaluating in its shell context.`));
        this.app = undefined;
      }
      this.print(colour.dim(`Evaluating in ${this.contextName()}.`));
      this.showPrompt();
    });
  }

  /** What the terminal received from the keyboard (keys, escape sequences or pasted text). */
  input(data: string): void {
    if (this.closed) return;
    // Tab may ask the Thing for names: it and what follows wait their turn.
    const pieces = data.split(/(\t)/).filter(Boolean);
    for (const piece of pieces) void this.enqueue(() => (piece === '\t' ? this.complete() : this.keys(piece)));
  }

  /** Resolves once everything typed so far has been handled (for tests and for closing). */
  idle(): Promise<void> {
    return this.queue;
  }

  close(): void {
    this.closed = true;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work).catch((e: unknown) => this.print(colour.red(`the shell failed: ${(e as Error).message}`)));
    return this.queue;
  }

  private async keys(data: string): Promise<void> {
    for (const r of this.editor.input(data)) {
      if (r.echo) this.options.write(r.echo);
      if (r.interrupted) {
        // Ctrl+C drops the code typed so far; it does not close the shell.
        this.pending = [];
        this.showPrompt();
      } else if (r.quit) {
        this.exit();
        return;
      } else if (r.line !== undefined) {
        await this.line(r.line);
        if (this.closed) return;
        this.showPrompt();
      }
    }
  }

  private async line(line: string): Promise<void> {
    if (this.pending.length === 0) {
      const text = line.trim();
      if (text === '') return;
      if (text.startsWith('.') && !/^\.\d/.test(text)) return this.command(text);
    }
    const code = [...this.pending, line].join('\n');
    if (isIncomplete(code)) {
      this.pending.push(line);
      return;
    }
    this.pending = [];
    await this.evaluate(code);
  }

  private async command(text: string): Promise<void> {
    const [name, ...rest] = text.split(/\s+/);
    const arg = rest.join(' ');
    switch (name) {
      case '.help':
        for (const l of HELP) this.print(l);
        return;
      case '.exit':
        return this.exit();
      case '.clear':
        this.options.write('\x1b[2J\x1b[3J\x1b[H');
        return;
      case '.shell':
        this.app = undefined;
        this.print(colour.dim(`Evaluating in ${this.contextName()}.`));
        return;
      case '.apps':
        await this.readApps(true);
        return;
      case '.app':
        return this.chooseApp(arg);
      case '.logs': {
        const n = arg === '' ? 20 : Number(arg);
        if (!Number.isInteger(n) || n < 0 || n > 1000) return this.print(colour.red('.logs takes a whole number of lines from 0 to 1000, e.g. .logs 50'));
        await this.call(this.client.request(this.thingId, this.credential, 'logs', { lines: n, follow: false }), () => undefined);
        return;
      }
      case '.restart':
        await this.call(this.client.request(this.thingId, this.credential, 'restart'), (r) => {
          const { apps, durationMs, failed } = r as ShellResults['restart'];
          this.print(`restarted ${apps} app(s) in ${durationMs} ms, each with its state`);
          for (const f of failed) this.print(colour.red(`${f.runtimeId} could not be started again: ${f.error}`));
        });
        return;
      default:
        this.print(colour.red(`unknown command ${name}; .help lists them`));
    }
  }

  private async chooseApp(arg: string): Promise<void> {
    if (arg === '') return this.print(colour.red(`.app needs an app: ${this.appNames() || 'the Thing has none (.apps reads them again)'}`));
    if (this.apps.length === 0) await this.readApps(false);
    const found = this.apps.find((a) => String(a.installation_id) === arg || a.name === arg);
    if (!found) return this.print(colour.red(`${this.thingId} has no app "${arg}"; its apps: ${this.appNames() || 'none'}`));
    this.app = found.installation_id;
    this.print(colour.dim(`Evaluating in ${this.contextName()}.`));
  }

  private async evaluate(expression: string): Promise<void> {
    const args = this.app === undefined ? { expression } : { expression, app: this.app };
    await this.call(this.client.request(this.thingId, this.credential, 'eval', args), (r) => this.print(String(r)));
  }

  /** Lists the Thing's apps (when `show`) and keeps their names for `.app` and its completion; false when the Thing did not answer. */
  private async readApps(show: boolean): Promise<boolean> {
    return this.call(this.client.request(this.thingId, this.credential, 'apps'), (r) => {
      this.apps = r as ShellAppInfo[];
      if (!show) return;
      if (this.apps.length === 0) this.print('no apps');
      for (const a of this.apps) {
        const status = a.status.state === 'failed' ? colour.red(`failed: ${a.status.error}`) : a.status.state;
        this.print(`${a.installation_id}  ${a.name} (${a.app} ${a.version})  ${status}  state ${JSON.stringify(a.state)}`);
      }
    });
  }

  /** Tab: the shell's commands, the Thing's app names after `.app`, else names of the context (asked of the Thing). */
  private async complete(): Promise<void> {
    const { words, partial } = this.editor.completionRequest();
    let offered: readonly string[] = [];
    if (this.pending.length === 0 && words.length === 0 && partial.startsWith('.')) offered = SHELL_COMMANDS;
    else if (this.pending.length === 0 && words[0] === '.app' && words.length === 1) {
      if (this.apps.length === 0) await this.readApps(false);
      offered = this.apps.map((a) => a.name);
    } else if (!(this.pending.length === 0 && words[0]?.startsWith('.'))) {
      const { object, name } = splitPath(partial);
      const expression = namesExpression(object);
      const remote = expression ? await this.names(expression) : [];
      const names = object === '' ? [...globalNames(this.app !== undefined), ...remote] : remote;
      const prefix = object === '' ? '' : `${object}.`;
      offered = names.filter((n) => n.startsWith(name)).sort().map((n) => prefix + n);
    }
    this.options.write(this.editor.completeWith(offered));
  }

  /** Names the Thing gives for a completion; none when it cannot (the error is not shown: Tab only beeps). */
  private async names(expression: string): Promise<string[]> {
    const args = this.app === undefined ? { expression } : { expression, app: this.app };
    try {
      const final = await this.client.request(this.thingId, this.credential, 'eval', args).final;
      return final.error ? [] : parseNames(final.result);
    } catch {
      return [];
    }
  }

  /** Prints a request's log lines as they come, then its result or error; true when it succeeded. */
  private async call(call: ShellCall, result: (value: unknown) => void): Promise<boolean> {
    let final: ShellResponse | undefined;
    try {
      for await (const r of call) {
        for (const l of r.output ?? []) this.print(formatLogLine(l));
        if (r.done) final = r;
      }
    } catch (e) {
      this.print(colour.red((e as Error).message));
      return false;
    }
    if (!final) return false;
    this.options.answered?.();
    if (final.error) {
      this.print(colour.red(final.error.code === 'eval' ? final.error.message : `${final.error.code}: ${final.error.message}`));
      return false;
    }
    result(final.result);
    return true;
  }

  private exit(): void {
    this.closed = true;
    this.options.exit();
  }

  private print(text: string): void {
    this.options.write(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  }

  private showPrompt(): void {
    this.editor.prompt = this.pending.length ? colour.dim('… ') : this.promptText();
    this.options.write(this.editor.redraw());
  }

  private promptText(): string {
    const app = this.apps.find((a) => a.installation_id === this.app);
    const where = this.app === undefined ? '' : `/${app?.name ?? this.app}`;
    return `${colour.cyan(`${this.thingId}${where}`)}› `;
  }

  private contextName(): string {
    const app = this.apps.find((a) => a.installation_id === this.app);
    return this.app === undefined ? `${this.thingId}'s shell context (devices, location; read only)` : `the app "${app?.name ?? this.app}" (installation ${this.app})`;
  }

  private appNames(): string {
    return this.apps.map((a) => `${a.name} (${a.installation_id})`).join(', ');
  }
}
