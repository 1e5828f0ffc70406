/**
 * `smartplug shell THING …`: a Thing's JS Shell from the terminal, through shell-client.ts. One
 * expression (or --apps, --logs, --restart) and exit, or, with none, an interactive prompt. The
 * broker, the API token and the Thing's shell credential come from a local environment's --dir, or
 * from --broker and the environment; never from the command line (it shows in process lists).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { ShellAppInfo, ShellLogLine, ShellResponse, ShellResults } from '../protocol';
import { ShellClient, type ShellCall } from './shell-client';
import { SHELL_USAGE } from '../usage';



type Print = (line: string) => void;

export async function shellCommand(args: string[], out: Print, err: Print): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      app: { type: 'string' }, apps: { type: 'boolean' }, logs: { type: 'boolean' }, lines: { type: 'string', default: '20' }, follow: { type: 'boolean' },
      restart: { type: 'boolean' }, dir: { type: 'string', default: '.smartplug' }, broker: { type: 'string' }, 'broker-ca': { type: 'string' }, timeout: { type: 'string', default: '10000' },
    },
  });
  const [thingId, ...words] = positionals;
  if (!thingId) {
    err(`smartplug shell: name the Thing, e.g. smartplug shell thing-1 'state'\n\n${SHELL_USAGE}`);
    return 2;
  }
  const app = values.app === undefined ? undefined : Number(values.app);
  if (app !== undefined && !(Number.isInteger(app) && app > 0)) {
    err(`smartplug shell: --app is an installation id (a whole number, as --apps lists them), not "${values.app}"`);
    return 2;
  }
  const lines = Number(values.lines);
  if (!(Number.isInteger(lines) && lines >= 0 && lines <= 1000)) {
    err(`smartplug shell: --lines is a whole number from 0 to 1000, not "${values.lines}"`);
    return 2;
  }
  const access = readAccess(thingId, values.dir!, values.broker);
  if ('error' in access) {
    err(`smartplug shell: ${access.error}`);
    return 2;
  }
  const brokerCa = values['broker-ca'] ? readFileSync(values['broker-ca']) : undefined;
  const client = await ShellClient.connect({ brokerUrl: access.broker, token: access.token, brokerCa, timeoutMs: Number(values.timeout) || 10_000 });
  const session = new ShellSession(client, thingId, access.credential, out, err, app);
  try {
    if (values.apps) return await session.apps();
    if (values.restart) return await session.restart();
    if (values.logs) return await session.logs(lines, values.follow === true);
    if (words.length) return await session.evaluate(words.join(' '));
    return await session.interactive();
  } finally {
    await client.close();
  }
}

/** Where the shell connects and with what: the local environment's files, or the environment's variables. */
export function readAccess(thingId: string, dir: string, broker: string | undefined): { broker: string; token: string; credential: string; platform?: string } | { error: string } {
  const read = <T>(file: string): T | undefined => (existsSync(path.join(dir, file)) ? (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T) : undefined);
  const endpoints = read<{ broker: string; platform: string }>('endpoints.json');
  const url = broker ?? endpoints?.broker;
  const token = process.env.SMARTPLUG_TOKEN ?? read<{ adminToken: string }>('secrets.json')?.adminToken;
  const credential = process.env.SMARTPLUG_SHELL_CREDENTIAL ?? read<Record<string, { shell: string }>>('fleet-credentials.json')?.[thingId]?.shell;
  if (!url) return { error: `no broker: start one with "smartplug up" (then ${path.join(dir, 'endpoints.json')} names it), or give --broker URL` };
  if (!token) return { error: 'no API token: set SMARTPLUG_TOKEN, or use the local environment of --dir' };
  if (!credential) return { error: `no shell credential for ${thingId}: set SMARTPLUG_SHELL_CREDENTIAL (shown when the Thing was enrolled), or use a Thing of the local environment of --dir` };
  // (the platform's address too, for a command that also asks the API: smartplug record)
  return { broker: url, token, credential, ...(endpoints?.platform ? { platform: endpoints.platform } : {}) };
}

class ShellSession {
  constructor(
    private readonly client: ShellClient,
    private readonly thingId: string,
    private readonly credential: string,
    private readonly out: Print,
    private readonly err: Print,
    private app: number | undefined,
  ) {}

  async evaluate(expression: string): Promise<number> {
    return this.print(this.client.request(this.thingId, this.credential, 'eval', this.app === undefined ? { expression } : { expression, app: this.app }), (r) => this.out(String(r)));
  }

  async apps(): Promise<number> {
    return this.print(this.client.request(this.thingId, this.credential, 'apps'), (result) => {
      const apps = result as ShellAppInfo[];
      if (apps.length === 0) this.out('no apps');
      for (const a of apps) this.out(`${a.installation_id}  ${a.name} (${a.app} ${a.version})  ${a.status.state}${a.status.state === 'failed' ? `: ${a.status.error}` : ''}  state ${JSON.stringify(a.state)}`);
    });
  }

  async restart(): Promise<number> {
    return this.print(this.client.request(this.thingId, this.credential, 'restart'), (r) => {
      const { apps, durationMs, failed } = r as ShellResults['restart'];
      this.out(`restarted ${apps} app(s) in ${durationMs} ms, each with its state`);
      for (const f of failed) this.err(`${f.runtimeId} could not be started again: ${f.error}`);
    });
  }

  async logs(lines: number, follow: boolean): Promise<number> {
    const call = this.client.request(this.thingId, this.credential, 'logs', { lines, follow });
    if (!follow) return this.print(call, () => undefined);
    const stop = () => void this.client.cancel(this.thingId, this.credential, call).catch(() => undefined);
    process.once('SIGINT', stop);
    try {
      return await this.print(call, () => undefined);
    } finally {
      process.off('SIGINT', stop);
    }
  }

  async interactive(): Promise<number> {
    const prompt = () => `${this.thingId}${this.app === undefined ? '' : `/${this.app}`}> `;
    const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: prompt(), terminal: process.stdin.isTTY === true });
    this.out(`JS Shell of ${this.thingId}: ${this.app === undefined ? "the Thing's shell context (devices, location)" : `the app of installation ${this.app}`}. .help for the commands`);
    rl.prompt();
    for await (const line of rl) {
      const text = line.trim();
      if (text === '.exit') break;
      if (text === '.help') this.out('.app ID: evaluate in an app (.apps lists them)  .shell: the Thing\'s shell context  .apps  .logs [N]  .restart  .exit');
      else if (text === '.apps') await this.apps();
      else if (text === '.restart') await this.restart();
      else if (text === '.shell') this.app = undefined;
      else if (/^\.logs(\s+\d+)?$/.test(text)) await this.logs(Number(text.slice(5).trim() || 20), false);
      else if (/^\.app\s+\d+$/.test(text)) this.app = Number(text.slice(4).trim());
      else if (text.startsWith('.')) this.err(`unknown command ${text}; .help lists them`);
      else if (text) await this.evaluate(text);
      rl.setPrompt(prompt());
      rl.prompt();
    }
    rl.close();
    return 0;
  }

  /** Prints a call's output lines as they come, then its result (or error); 1 for an error. */
  private async print(call: ShellCall, result: (value: unknown) => void): Promise<number> {
    let final: ShellResponse | undefined;
    try {
      for await (const r of call) {
        for (const l of r.output ?? []) this.out(logLine(l));
        if (r.done) final = r;
      }
    } catch (e) {
      this.err((e as Error).message);
      return 1;
    }
    if (!final) return 1;
    if (final.error) {
      this.err(final.error.code === 'eval' ? final.error.message : `${final.error.code}: ${final.error.message}`);
      return 1;
    }
    result(final.result);
    return 0;
  }
}

function logLine(l: ShellLogLine): string {
  return `${l.utc} ${l.level.padEnd(5)} ${l.source}: ${l.message}`;
}
