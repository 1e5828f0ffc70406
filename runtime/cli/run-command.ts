import { readFileSync } from 'node:fs';
import * as readline from 'node:readline';
import { loadAppFolder, loadChildPackages } from '../app/load-app';
import { parseInstanceFile } from '../app/instance-file';
import { parseDevicesFile } from '../devices/devices-file';
import { DeviceRegistry } from '../devices/registry';
import type { DeviceSpec } from '../devices/types';
import { catalogueOf, ConfigError } from '../app/instance-config';
import type { LocationSpec } from '../engine/location';
import { formatProblem, hasErrors, SourceError, type SourceProblem } from '../errors';
import { SmartPlugRuntime, type HostEventMap } from '../host/runtime';
import { budgetText, printer } from './event-printer';
import { parseStdinLine, STDIN_HELP, StdinCommand } from './stdin-commands';
import { jsonText, terminalText } from './terminal-text';

export interface RunOptions {
  appDir: string;
  config?: string;
  devices?: string;
  location?: string;
  virtual: boolean;
  start?: string;
  json: boolean;
  color: boolean;
  /** App code in this process: no worker, no permission model. For debugging the runtime; warned about on stderr. */
  inline: boolean;
  rateLimit: boolean;
  input: NodeJS.ReadableStream;
  out: (line: string) => void;
  err: (line: string) => void;
}

const EVENTS: (keyof HostEventMap)[] = ['worker', 'app', 'deviceEvent', 'command', 'log', 'notification', 'locationEvent'];

/** Said once, on stderr, whenever --inline is used: nothing else would show that the sandbox is off. */
export const INLINE_WARNING =
  "smartplug run: warning: --inline runs the app's code inside this process, without the worker process and without " +
  "Node's permission model: the app gets this process's full file, network and process access. --inline is meant " +
  "for debugging the runtime only; do not use it to run an app you have not read.";

/** `smartplug run`: the app against simulated devices, events printed as they happen, input from stdin. */
export async function runCommand(o: RunOptions): Promise<number> {
  // Every line below may quote the app (its name, labels, messages, state, a response body) or the
  // user's input: escaped, one line each. Only STDIN_HELP, our own text, goes to o.out as it is.
  const out = (line: string) => o.out(terminalText(line));
  const err = (line: string) => o.err(terminalText(line));
  if (o.inline) err(INLINE_WARNING);
  const problems: SourceProblem[] = [];
  const fail = (ps: SourceProblem[]) => {
    for (const p of ps) err(formatProblem(p));
    return 1;
  };

  let pkg;
  try {
    pkg = loadAppFolder(o.appDir);
  } catch (e) {
    if (e instanceof SourceError) return fail(e.problems);
    throw e;
  }
  problems.push(...pkg.warnings);

  let devices: DeviceSpec[] = [];
  if (o.devices) {
    try {
      devices = parseDevicesFile(readText(o.devices), o.devices);
    } catch (e) {
      if (e instanceof SourceError) return fail(e.problems);
      throw e;
    }
  }
  const registry = new DeviceRegistry();
  for (const d of devices) registry.add(d);

  let config: Record<string, unknown> = {};
  let label: string | undefined;
  if (o.config) {
    const inst = parseInstanceFile(readText(o.config), o.config, pkg.appJson, catalogueOf(registry));
    problems.push(...inst.problems);
    if (hasErrors(inst.problems) || !inst.config) return fail(problems);
    config = inst.config;
    label = inst.name;
  }
  let location: Partial<LocationSpec> | undefined;
  if (o.location) location = JSON.parse(readText(o.location)) as Partial<LocationSpec>;
  for (const p of problems) err(formatProblem(p));

  const start = o.start ? Date.parse(o.start) : undefined;
  if (o.start && Number.isNaN(start)) {
    err(`--start: "${o.start}" is not a date; use an ISO time like 2024-06-21T18:00:00Z`);
    return 2;
  }
  const runtime = await SmartPlugRuntime.start({
    clock: o.virtual ? 'virtual' : 'real', start, location, isolation: o.inline ? 'inline' : 'process',
    rateLimit: o.rateLimit ? undefined : false,
  });
  const print = printer({ json: o.json, color: o.color, write: o.out });
  if (runtime.workerPid !== undefined) {
    if (o.json) o.out(jsonText({ type: 'worker', change: 'started', pid: runtime.workerPid, permissionModel: runtime.permissionModel === true }));
    else out(`worker started (pid ${runtime.workerPid}, permission model ${runtime.permissionModel ? 'on' : 'OFF'})`);
  }
  for (const name of EVENTS) runtime.on(name, (r) => print(name, r as never));

  let appId: string;
  try {
    for (const d of devices) await runtime.addDevice(d);
    for (const child of loadChildPackages(pkg.dir)) await runtime.registerPackage(child);
    const info = await runtime.install({ source: pkg, config, label });
    appId = info.id;
  } catch (e) {
    await runtime.close();
    if (e instanceof SourceError) return fail(e.problems);
    if (e instanceof ConfigError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
  if (!o.json) out(`running ${pkg.name} ${pkg.version} as ${appId} with ${devices.length} device(s) on a ${o.virtual ? 'virtual' : 'real'} clock; type help for commands`);

  return new Promise<number>((resolve) => {
    const rl = readline.createInterface({ input: o.input, terminal: false });
    let chain = Promise.resolve();
    const finish = () => {
      chain = chain.then(async () => {
        await runtime.close();
        resolve(0);
      });
    };
    rl.on('line', (line) => {
      chain = chain.then(() => execute(parseStdinLine(line)).catch((e: unknown) => err(`error: ${(e as Error).message}`)));
    });
    rl.on('close', finish);
    process.once('SIGINT', () => rl.close());

    async function execute(cmd: StdinCommand | { kind: 'error'; message: string } | undefined): Promise<void> {
      if (!cmd) return;
      switch (cmd.kind) {
        case 'error':
          err(cmd.message);
          return;
        case 'help':
          o.out(STDIN_HELP);
          return;
        case 'quit':
          rl.close();
          return;
        case 'event':
          return runtime.deviceEvent(cmd.device, cmd.attribute, cmd.value);
        case 'command':
          return runtime.sendCommand(cmd.device, cmd.command, cmd.args);
        case 'mode':
          return runtime.setMode(cmd.mode);
        case 'touch':
          return runtime.touch(cmd.app ?? appId);
        case 'advance':
          await runtime.advance(cmd.ms);
          return;
        case 'restart':
          return runtime.restartWorker('requested from the command line');
        case 'call': {
          const r = await runtime.callEndpoint(cmd.app ?? appId, cmd.method, cmd.path, cmd.body);
          if (o.json) o.out(jsonText({ type: 'response', method: cmd.method, path: cmd.path, status: r.status, body: r.body }));
          else out(`${r.status} ${JSON.stringify(r.body)}`);
          return;
        }
        case 'devices':
          if (o.json) {
            o.out(jsonText({ type: 'devices', devices: await runtime.devicesNow() }));
            return;
          }
          for (const d of await runtime.devicesNow()) out(`${d.id} (${d.label}): ${Object.entries(d.attributes).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
          return;
        case 'status':
          // --json: one line a script can read; the budget's open window end (Infinity) is null.
          if (o.json) {
            o.out(jsonText({ type: 'status', apps: await runtime.listApps(), quarantined: runtime.quarantined() }));
            return;
          }
          for (const a of await runtime.listApps()) {
            out(`${a.id} (${a.label}) ${budgetText(a.budget)}, window ends ${Number.isFinite(a.budget.windowEndsAt) && a.budget.windowEndsAt ? new Date(a.budget.windowEndsAt).toISOString() : '-'}`);
            for (const s of a.subscriptions) out(`  subscription ${s.kind} ${s.target} ${s.attribute}${s.value ? '.' + s.value : ''} → ${s.handler}`);
            for (const j of a.jobs) out(`  job ${j.kind} ${j.handler} at ${new Date(j.at).toISOString()}`);
            out(`  state ${JSON.stringify(a.state)}`);
          }
          // Taken out for stopping the worker again and again: still listed, with the reason.
          for (const q of runtime.quarantined()) out(`${q.id} (${q.label}) ${q.reason}`);
          return;
      }
    }
  });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new SourceError([{ file, line: 0, column: 0, severity: 'error', code: 'file-unreadable', message: `cannot read ${file}: ${(e as Error).message}`, fix: 'check the path' }]);
  }
}

