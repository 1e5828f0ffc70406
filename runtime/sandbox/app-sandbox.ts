import * as vm from 'node:vm';
import { SourceError } from '../errors';
import type { InstrumentedScript } from './instrument';
import { analyseScript, ScriptMemo } from './script-cache';
import { executionNow } from './execution-clock';
import { preludeApi } from './prelude/api';
import { preludeControls } from './prelude/controls';
import { preludeCore } from './prelude/core';
import { preludeHandles } from './prelude/handles';
import { preludeInspect } from './prelude/inspect';
import type { BridgeFunction, SandboxControls } from './prelude/types';
import { routeRejections } from './rejections';

export interface SandboxOptions {
  appId: string;
  label: string;
  name: string;
  /** Shown in stack traces and problems: the path of app.js. */
  file: string;
  source: string;
  cpuLimitMs: number;
  /** Host side of the bridge. May throw: errors are turned into text before they reach the script. */
  bridge: BridgeFunction;
  /** A promise of this app was rejected and nothing handled it. */
  onRejection(reason: unknown): void;
}

export interface ScriptLocation {
  line: number;
  column: number;
}

/** What evaluating the prelude in a context gives: installs the script API, returns its controls. */
type InstallPrelude = (bridge: BridgeFunction, hostNow: () => number, appInfoJson: string) => SandboxControls;

// The prelude's parts (see prelude/core.ts), composed into one source: each part takes the kit the
// one before returns. Compiled once per process; evaluated once per app context. Transpilers that
// keep function names (tsx, esbuild's keepNames) wrap functions in a `__name` helper: give the
// serialised source its own.
const PRELUDE_SOURCE = `(function () {
'use strict';
var __name = function (f) { return f; };
var core = (${preludeCore.toString()});
var handles = (${preludeHandles.toString()});
var api = (${preludeApi.toString()});
var inspect = (${preludeInspect.toString()});
var controls = (${preludeControls.toString()});
return function (bridge, hostNow, appInfoJson) { return controls(inspect(api(handles(core(bridge, hostNow, appInfoJson))))); };
})()`;
let preludeScript: vm.Script | undefined;
// Evaluating any script in a context runs the microtasks queued in it (microtaskMode afterEvaluate).
let drainScript: vm.Script | undefined;
let promisePrototypeScript: vm.Script | undefined;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Compiled once per instrumented script, run in each app context that loads it: a fleet installs
 * the same app.js on every Thing of a worker. (A vm.Script is V8's unbound script: each context
 * it runs in gets its own functions; only the bytecode is shared.)
 */
const compiledScripts = new WeakMap<InstrumentedScript, vm.Script>();
/** The same for the table of an app's top-level functions, by their names. */
const namesScripts = new ScriptMemo<vm.Script>();

/**
 * One app's isolated JavaScript world: a vm context with no Node globals, no code generation from
 * strings, and only the SmartPlug API (the prelude) in it.
 */
export class AppSandbox {
  readonly controls: SandboxControls;
  readonly functionNames: readonly string[];
  private readonly context: vm.Context;
  private readonly instrumented: InstrumentedScript;
  private readonly unrouteRejections: () => void;

  constructor(private readonly options: SandboxOptions) {
    const analysed = analyseScript(options.source, options.file);
    this.instrumented = analysed.instrumented;
    this.functionNames = [...analysed.topLevelFunctions.keys()].filter((n) => IDENTIFIER.test(n));
    this.mayQueueMicrotasks = /\b(?:async|await|Promise|then|catch|finally|import|Atomics|WebAssembly)\b/.test(options.source);

    // The app's promise jobs queue in the context, not in the process: they run only when the
    // engine drains them, inside an execution's CPU window (see drainMicrotasks).
    this.context = vm.createContext(Object.create(null), {
      name: `app ${options.label}`,
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    promisePrototypeScript ??= new vm.Script('Promise.prototype', { filename: 'smartplug:promise' });
    this.unrouteRejections = routeRejections(promisePrototypeScript.runInContext(this.context) as object, (reason) => options.onRejection(reason));
    preludeScript ??= new vm.Script(PRELUDE_SOURCE, { filename: 'smartplug:prelude' });
    const install = preludeScript.runInContext(this.context) as InstallPrelude;
    const safeBridge: BridgeFunction = (op, a, b, c, d, e) => {
      try {
        return options.bridge(op, a, b, c, d, e);
      } catch (err) {
        // A DeviceError keeps its advice apart from its message; the script should see both.
        const advice = err instanceof Error ? (err as Error & { fix?: unknown }).fix : undefined;
        const fix = typeof advice === 'string' ? ` ${advice}` : '';
        return '\u0000' + (err instanceof Error ? err.message + fix : String(err));
      }
    };
    const appInfo = JSON.stringify({ id: options.appId, label: options.label, name: options.name, cpuLimitMs: options.cpuLimitMs });
    this.controls = install(safeBridge, executionNow, appInfo);
  }

  /**
   * Whether the script may queue promise jobs at all. Draining costs a script evaluation (~1 µs),
   * so apps that never name a promise, async or await are not drained. Safe either way: a job left
   * in the context's queue runs only when the engine drains it, never outside a CPU window.
   */
  readonly mayQueueMicrotasks: boolean;

  /** Runs the promise jobs (async continuations, then-callbacks) the app has queued. */
  drainMicrotasks(): void {
    drainScript ??= new vm.Script('undefined', { filename: 'smartplug:microtasks' });
    drainScript.runInContext(this.context);
  }

  /** The app is gone: stop routing its promise rejections here (and let its context be collected). */
  dispose(): void {
    this.unrouteRejections();
  }

  /**
   * Runs a JS Shell expression (compiled by shell-script.ts, instrumented like app.js) in this
   * context. Returns its completion value, a value of the context's realm: the host hands it back to
   * the context's controls.shellResult to be turned into text and never reads it itself.
   */
  runShell(script: vm.Script): unknown {
    return script.runInContext(this.context);
  }

  /** Runs the script's top level (defining its functions). Throws SourceError on a failure. */
  load(): void {
    let script = compiledScripts.get(this.instrumented);
    if (!script) {
      try {
        // Under a debugger the map follows the code (after its last line: no line moves).
        const map = this.instrumented.sourceMap;
        const code = map ? `${this.instrumented.code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}` : this.instrumented.code;
        script = new vm.Script(code, { filename: this.options.file });
      } catch (e) {
        throw this.problem(e, 'script-syntax', 'correct the JavaScript at this place');
      }
      compiledScripts.set(this.instrumented, script);
    }
    this.controls.setPhase('load');
    this.controls.setDeadline(executionNow() + this.options.cpuLimitMs);
    try {
      script.runInContext(this.context);
    } catch (e) {
      throw this.problem(e, 'script-load', 'the top level of app.js should only define functions and constants');
    }
    // The functions first: leaving the load phase declares the top level's mappings({ … }), whose
    // handlers are those functions.
    this.refreshNamedFunctions();
    try {
      this.controls.setPhase('run');
    } catch (e) {
      throw this.problem(e, 'script-mappings', 'correct the route or its handler in mappings({ … })');
    }
  }

  /** Re-reads the script's top-level function bindings (they are `let`/`const` or globals). */
  refreshNamedFunctions(): void {
    if (this.functionNames.length === 0) {
      this.controls.setNamedFunctions(Object.create(null));
      return;
    }
    const script = namesScripts.get(this.functionNames.join(','), () => {
      const body = this.functionNames.map((n) => `${JSON.stringify(n)}: typeof ${n} === "function" ? ${n} : undefined`).join(',\n');
      return new vm.Script(`({${body}})`, { filename: 'smartplug:names' });
    });
    const table = script.runInContext(this.context) as Record<string, unknown>;
    this.controls.setNamedFunctions(table);
  }

  /** Where in app.js an error thrown by the script happened (first frame in app.js). */
  locate(stack: string): ScriptLocation | undefined {
    const file = this.options.file;
    for (const line of stack.split('\n')) {
      const idx = line.lastIndexOf(file + ':');
      if (idx < 0) continue;
      const m = /^:(\d+):(\d+)/.exec(line.slice(idx + file.length));
      if (!m) continue;
      const ln = Number(m[1]);
      return { line: ln, column: this.instrumented.originalColumn(ln, Number(m[2])) };
    }
    return undefined;
  }

  /** The app's stack text with the runtime's own frames removed. */
  cleanStack(stack: string): string {
    return stack
      .split('\n')
      .filter((l) => !l.includes('smartplug:prelude') && !/\(node:|\bnode:internal|dist\/|runtime\//.test(l))
      .map((l) => l.replace(/:(\d+):(\d+)\)?$/, (m, ln: string, col: string) => m.replace(`:${ln}:${col}`, `:${ln}:${this.instrumented.originalColumn(Number(ln), Number(col))}`)))
      .join('\n');
  }

  private problem(e: unknown, code: string, fix: string): SourceError {
    const err = e as { message?: string; stack?: string };
    const loc = this.locate(String(err?.stack ?? ''));
    return new SourceError([
      {
        file: this.options.file,
        line: loc?.line ?? 0,
        column: loc?.column ?? 0,
        severity: 'error',
        code,
        message: String(err?.message ?? e),
        fix,
      },
    ]);
  }
}
