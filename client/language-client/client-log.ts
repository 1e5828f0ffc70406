/**
 * The language client writes plain lines (`[Info  - 8:11:43 AM] message`) to its output channel;
 * the "SmartPlug" channel is a log channel with its own time and level. This adapter gives the
 * client an OutputChannel that forwards each line at its level without the second time stamp,
 * and drops the bare `true`/`false` line vscode-languageclient 9 writes after a restart notice
 * (it passes a flag where the notice's data goes). No vscode at run time: the tests use a fake log.
 */
import type * as vscode from 'vscode';

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface ClientLine {
  level: LogLevelName;
  message: string;
}

const LEVELS: Record<string, LogLevelName> = { Trace: 'trace', Debug: 'debug', Info: 'info', Warn: 'warn', Error: 'error' };

/** The library's line for a server process that ended normally (asked to stop: a restart, a reload). */
export function isCleanExit(message: string): boolean {
  return message === 'Server process exited with code 0.';
}

/** A line of the client's → its level and message; undefined for a line to drop. */
export function parseClientLine(line: string, previous: ClientLine | undefined): ClientLine | undefined {
  const m = /^\[(Trace|Debug|Info|Warn|Error)\s*- [^\]]*\] ([\s\S]*)$/.exec(line);
  if (m) return { level: LEVELS[m[1]], message: m[2] };
  if ((line === 'true' || line === 'false') && previous) return undefined;
  return { level: previous?.level === 'error' ? 'error' : 'info', message: line };
}

type Log = Pick<vscode.LogOutputChannel, 'name' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'show' | 'hide' | 'clear' | 'replace'>;

export function clientOutputChannel(log: Log): vscode.OutputChannel {
  let previous: ClientLine | undefined;
  let partial = '';
  const write = (line: string) => {
    const parsed = parseClientLine(line, previous);
    previous = parsed ?? undefined;
    if (parsed) log[parsed.level](parsed.message);
  };
  return {
    name: log.name,
    append: (value: string) => {
      partial += value;
    },
    appendLine: (value: string) => {
      write(partial + value);
      partial = '';
    },
    replace: (value: string) => log.replace(value),
    clear: () => log.clear(),
    show: (a?: unknown, b?: boolean) => log.show(typeof a === 'boolean' ? a : b),
    hide: () => log.hide(),
    // The context owns the channel; the client must not close it when it stops.
    dispose: () => undefined,
  };
}
