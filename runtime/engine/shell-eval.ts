/**
 * The JS Shell's evaluations on one Thing (issue 15, "JS Shell service"). An expression runs either
 * in an app's own context (it sees the app's settings, state, functions and the script API) or in
 * the Thing's shell context: a sandbox of its own whose API only reads the Thing (its devices and
 * location). Either way it is one execution like a handler's: the rate limit, the CPU limit, the
 * state saved at its end; its log calls are the usual log records (flagged `shell`). Its value is
 * made text inside the context's realm (controls.shellResult): only a string comes out, and every
 * failure (syntax, a throw, the CPU limit) is a result with error text.
 */
import { performance } from 'node:perf_hooks';
import { types } from 'node:util';
import * as vm from 'node:vm';
import type { AppJson } from '../app/app-json-types';
import type { BridgeFunction } from '../sandbox/prelude/types';
import { compileShell, SHELL_FILE } from '../sandbox/shell-script';
import { createBridge, type BridgeHost } from './app-bridge';
import { SHELL_CONTEXT_ID } from './app-ids';
import { AppJobs } from './app-jobs';
import type { EngineCore } from './engine-core';
import { InstalledApp, type AppSource } from './installed-app';
import { RateLimiter } from './rate-limiter';

/** Where an expression runs: an installed app's context, or the Thing's shell context. */
export type EvalTarget = { appId: string } | { shell: true };

/** An evaluation's outcome: the value as text, or why there is none. Only strings. */
export type EvalResult = { ok: true; result: string; durationMs: number } | { ok: false; error: string; durationMs: number };

/** Results longer than this are cut (the formatter already bounds what it makes). */
export const MAX_RESULT_CHARS = 64 * 1024;

/** The bridge operations of the shell context: it reads the Thing, it changes nothing. */
const SHELL_CONTEXT_OPS = new Set(['now', 'log', 'error', 'unknownHandler', 'device', 'function', 'state', 'history', 'location', 'sun']);

const SHELL_SOURCE: AppSource = { name: 'shell', appJson: { name: 'Thing shell' } as AppJson, scriptFile: SHELL_FILE, script: '' };

export class ShellEvaluator {
  private context: InstalledApp | undefined;
  /** The devices the shell context's `devices` holds (ids), to re-make them only when they change. */
  private deviceKey = '';

  constructor(
    private readonly core: EngineCore,
    private readonly services: BridgeHost,
  ) {}

  evaluate(target: EvalTarget, expression: string): EvalResult {
    const t0 = performance.now();
    const done = (r: { result: string } | { error: string }): EvalResult =>
      ({ ...r, ok: 'result' in r, durationMs: performance.now() - t0 }) as EvalResult;
    const app = 'appId' in target ? this.core.apps.get(target.appId) : this.shellContext();
    if (!app) return done({ error: `no installed app with id "${(target as { appId: string }).appId}"; installed: ${[...this.core.apps.keys()].join(', ') || 'none'}` });
    const compiled = compileShell(expression);
    if (!compiled.ok) return done({ error: compiled.error });
    if (app === this.context) this.refreshDevices(app);
    let outcome: { result: string } | { error: string } | undefined;
    let ran = false;
    // Through the queue: what the expression causes (commands, events) runs after it, as a handler's would.
    this.core.enqueue(() => {
      ran = this.core.execute(app, 'shell', 'shell', () => {
        outcome = this.run(app, compiled.script);
        return app.sandbox.controls.takeState();
      });
    });
    if (!ran && this.core.skipApps?.has(app.id)) return done({ error: 'the expression stopped the worker\'s engine thread past the CPU limit (where the guard could not stop it, e.g. a regular expression); it was not run again, and the Thing\'s apps were restored' });
    if (!ran) return done({ error: this.core.rateLimitedText(app) ?? 'the expression was not run' });
    return done(outcome ?? { error: 'the expression was not run' });
  }

  dispose(): void {
    this.context?.sandbox.dispose();
    this.context = undefined;
  }

  private run(app: InstalledApp, script: vm.Script): { result: string } | { error: string } {
    const controls = app.sandbox.controls;
    const trips = controls.guardTrips();
    const stopped = () => ({ error: `stopped after ${this.core.cpuLimitMs} ms of CPU time (a runaway loop?); the Thing's apps keep running` });
    controls.beginShell();
    let value: unknown;
    let threw = false;
    try {
      value = app.sandbox.runShell(script);
    } catch (e) {
      value = e;
      threw = true;
    }
    if (controls.guardTrips() !== trips) return stopped();
    // An error of this realm (the stack ran out inside the host's own call): only its text is read.
    if (threw && types.isNativeError(value) && value instanceof Error) return { error: `${value.name}: ${value.message}` };
    let text: unknown;
    try {
      text = controls.shellResult(value, threw);
    } catch {
      // What the formatter threw is the script's: not read here.
      text = undefined;
    }
    if (controls.guardTrips() !== trips) return stopped();
    // A script can replace anything in its context, the formatter's helpers too: only a string is taken.
    const shown = typeof text === 'string' ? clip(text) : '[the value could not be shown]';
    return threw ? { error: shown } : { result: shown };
  }

  /** The Thing's shell context, made at its first use: an empty script with the read-only API. */
  private shellContext(): InstalledApp {
    if (this.context) return this.context;
    const core = this.core;
    let app: InstalledApp | undefined;
    const full = createBridge(this.services, () => app!);
    const bridge: BridgeFunction = (op, a, b, c, d, e) => {
      if (!SHELL_CONTEXT_OPS.has(op)) throw new Error(`not available in the Thing's shell context, which only reads the Thing's devices and location; to act, evaluate in an app (eval with "app": its installation id)`);
      return full(op, a, b, c, d, e);
    };
    const jobs = new AppJobs(core.clock, () => core.location.timeZone, () => undefined, core.random);
    app = new InstalledApp(SHELL_CONTEXT_ID, 'shell', SHELL_SOURCE, {}, undefined, jobs, new RateLimiter(core.rateLimit), core.cpuLimitMs, bridge, () => undefined);
    app.sandbox.load();
    app.sandbox.runShell(new vm.Script('Object.defineProperty(globalThis, "devices", { get: function () { return settings; }, enumerable: false })', { filename: 'smartplug:shell' }));
    this.context = app;
    return app;
  }

  /** `devices` (an alias of the context's `settings`): a handle of every device of the Thing, by id. */
  private refreshDevices(app: InstalledApp): void {
    const ids = this.core.devices.all().map((d) => d.id);
    const key = ids.join('\n');
    if (key === this.deviceKey) return;
    this.deviceKey = key;
    const settings: Record<string, { $device: string }> = {};
    for (const id of ids) settings[id] = { $device: id };
    app.sandbox.controls.setSettings(JSON.stringify(settings), '{}');
  }
}

function clip(text: string): string {
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… (${text.length - MAX_RESULT_CHARS} more characters)` : text;
}
