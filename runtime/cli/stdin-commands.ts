/**
 * What a user can type into `smartplug run` to drive the simulation. One command a line; JSON lines
 * (`{"device":"door","attribute":"contact","value":"open"}`) work too, for scripts.
 */
export type StdinCommand =
  | { kind: 'event'; device: string; attribute: string; value: unknown }
  | { kind: 'command'; device: string; command: string; args: unknown[] }
  | { kind: 'mode'; mode: string }
  | { kind: 'touch'; app?: string }
  | { kind: 'advance'; ms: number }
  | { kind: 'call'; method: string; path: string; body?: unknown; app?: string }
  | { kind: 'status' }
  | { kind: 'devices' }
  | { kind: 'restart' }
  | { kind: 'help' }
  | { kind: 'quit' };

export const STDIN_HELP = `Commands (one a line):
  DEVICE ATTRIBUTE VALUE        a device reports a value        e.g. door contact open
  DEVICE.COMMAND [ARGS…]        send a command to a device      e.g. lamp.setLevel 40
  mode MODE                     change the location mode        e.g. mode Away
  touch [APP-ID]                touch (tap) the app
  advance DURATION              virtual clock only: 90s, 10m, 1h30m
  call METHOD PATH [JSON]       web-service call                e.g. call GET /status
  status                        apps: subscriptions, jobs, state, rate budget
  devices                       devices and their current values
  restart                       re-spawn the worker (apps come back with their state)
  help, quit
  or a JSON line: {"device":"door","attribute":"contact","value":"open"}`;

export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s|d)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms']!;
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

function scalar(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

/** Parses one line; returns an error message for a line that is not a command. */
export function parseStdinLine(line: string): StdinCommand | { kind: 'error'; message: string } | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      if (typeof o.device === 'string' && typeof o.attribute === 'string') return { kind: 'event', device: o.device, attribute: o.attribute, value: o.value };
      if (typeof o.device === 'string' && typeof o.command === 'string') return { kind: 'command', device: o.device, command: o.command, args: Array.isArray(o.args) ? o.args : [] };
      if (typeof o.mode === 'string') return { kind: 'mode', mode: o.mode };
      return { kind: 'error', message: 'a JSON line needs {"device","attribute","value"}, {"device","command","args"} or {"mode"}' };
    } catch (e) {
      return { kind: 'error', message: `not valid JSON: ${(e as Error).message}` };
    }
  }
  const words = t.split(/\s+/);
  const [first, ...rest] = words;
  switch (first) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    case 'status':
      return { kind: 'status' };
    case 'devices':
      return { kind: 'devices' };
    case 'restart':
      return { kind: 'restart' };
    case 'mode':
      return rest.length ? { kind: 'mode', mode: rest.join(' ') } : { kind: 'error', message: 'mode needs a mode name: mode Away' };
    case 'touch':
      return { kind: 'touch', app: rest[0] };
    case 'advance': {
      const ms = parseDuration(rest.join(''));
      return ms === undefined ? { kind: 'error', message: 'advance needs a duration: advance 10m (units ms, s, m, h, d)' } : { kind: 'advance', ms };
    }
    case 'call': {
      if (rest.length < 2) return { kind: 'error', message: 'call needs a method and a path: call GET /status' };
      const bodyText = rest.slice(2).join(' ');
      try {
        return { kind: 'call', method: rest[0].toUpperCase(), path: rest[1], body: bodyText ? JSON.parse(bodyText) : undefined };
      } catch {
        return { kind: 'error', message: 'the body of call must be JSON: call POST /items {"name":"x"}' };
      }
    }
  }
  const dot = first.indexOf('.');
  if (dot > 0 && words.length >= 1 && !/^\d/.test(first.slice(dot + 1))) {
    return { kind: 'command', device: first.slice(0, dot), command: first.slice(dot + 1), args: rest.map(scalar) };
  }
  if (words.length >= 3) return { kind: 'event', device: first, attribute: rest[0], value: scalar(rest.slice(1).join(' ')) };
  return { kind: 'error', message: `"${t}" is not a command; type help` };
}
