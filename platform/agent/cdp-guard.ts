/**
 * What a remote debugger may ask of a Thing's inspector. The inspector sees the whole worker: the
 * runtime's own code runs in the host realm, and the debug worker runs without Node's permission
 * model, so an unchecked inspector would hand a shell credential the Thing's host. The debugger gets
 * the app's realm only, as the JS Shell does: breakpoints in the debugged app's script, evaluation
 * in the app's call frames, and the objects reached from them; stepping and the like. Every other
 * request is answered with an error and never reaches the inspector.
 *
 * It learns from the inspector's messages on their way out: which scripts are the app's, which call
 * frames of a pause are in them, and which object ids came from those frames (and from answers to
 * requests it let through about them).
 */

type Json = Record<string, unknown>;

/** Requests that touch no code and no object. */
const FREE = new Set([
  'Debugger.enable', 'Debugger.disable', 'Runtime.enable', 'Runtime.runIfWaitingForDebugger', 'Debugger.setBlackboxPatterns', 'Debugger.setPauseOnExceptions',
  'Debugger.resume', 'Debugger.pause', 'Debugger.stepOver', 'Debugger.stepInto', 'Debugger.stepOut', 'Debugger.removeBreakpoint', 'Debugger.getScriptSource',
  'Runtime.releaseObject', 'Runtime.releaseObjectGroup',
]);

/** Object ids a Thing remembers for a debugger, at most (a pause's and what was expanded from it). */
const MAX_OBJECTS = 100_000;

export type Verdict = { ok: true } | { ok: false; reason: string; reply?: string };

export class CdpGuard {
  private readonly appScripts = new Set<string>();
  private readonly appFrames = new Set<string>();
  private readonly objects = new Set<string>();
  /** Requests let through whose answers carry object ids of the app's realm. */
  private readonly producing = new Set<number>();

  /** `appUrl`: the URL prefix of the debugged app's script (file:///smartplug/{SID}/{installation_id}/). */
  constructor(private readonly appUrl: string) {}

  /** A new engine thread: its ids are new. */
  reset(): void {
    this.appScripts.clear();
    this.forgetPause();
    this.producing.clear();
  }

  /** An inspector message on its way to the debugger. */
  fromInspector(text: string): void {
    const m = parse(text);
    if (!m) return;
    if (m.method === 'Debugger.scriptParsed') {
      const p = m.params as { scriptId?: string; url?: string };
      if (typeof p?.url === 'string' && p.url.startsWith(this.appUrl) && typeof p.scriptId === 'string') this.appScripts.add(p.scriptId);
    } else if (m.method === 'Debugger.paused') {
      this.forgetPause();
      for (const f of ((m.params as Json)?.callFrames ?? []) as Array<{ callFrameId: string; location: { scriptId: string }; scopeChain?: Array<{ object?: { objectId?: string } }>; this?: { objectId?: string } }>) {
        if (!this.appScripts.has(f.location?.scriptId)) continue;
        this.appFrames.add(f.callFrameId);
        for (const s of f.scopeChain ?? []) this.allow(s.object?.objectId);
        this.allow(f.this?.objectId);
      }
    } else if (m.method === 'Debugger.resumed') {
      this.forgetPause();
    } else if (typeof m.id === 'number' && this.producing.delete(m.id) && m.result !== undefined) {
      this.collect(m.result);
    }
  }

  /** A debugger's request: let through, or refused with the error answer it gets instead. */
  check(text: string): Verdict {
    const m = parse(text);
    if (!m || typeof m.method !== 'string') return { ok: false, reason: 'not an inspector request' };
    const id = typeof m.id === 'number' ? m.id : undefined;
    const verdict = this.judge(m.method, (m.params ?? {}) as Json);
    if (verdict === undefined) {
      if (id !== undefined && PRODUCING.has(m.method)) this.producing.add(id);
      return { ok: true };
    }
    const reason = `${m.method}: ${verdict}`;
    return { ok: false, reason, ...(id !== undefined ? { reply: JSON.stringify({ id, error: { code: -32000, message: `refused by the Thing: ${reason}` } }) } : {}) };
  }

  /** Why a request is refused, or undefined when it may go. */
  private judge(method: string, p: Json): string | undefined {
    if (FREE.has(method)) return undefined;
    switch (method) {
      case 'Debugger.setBreakpointByUrl':
        return typeof p.url === 'string' && p.url.startsWith(this.appUrl) && p.urlRegex === undefined && p.scriptHash === undefined ? undefined : 'breakpoints only in the debugged app\'s script';
      case 'Debugger.evaluateOnCallFrame':
        return this.appFrames.has(String(p.callFrameId)) ? undefined : 'evaluation only in the app\'s own call frames';
      case 'Debugger.setVariableValue':
        return this.appFrames.has(String(p.callFrameId)) && this.argumentsAllowed([p.newValue]) ? undefined : 'variables only of the app\'s own call frames, set to the app\'s values';
      case 'Runtime.getProperties':
        return this.objects.has(String(p.objectId)) ? undefined : 'only objects of the app\'s realm';
      case 'Runtime.callFunctionOn':
        return this.objects.has(String(p.objectId)) && p.executionContextId === undefined && p.uniqueContextId === undefined && this.argumentsAllowed((p.arguments ?? []) as unknown[]) ? undefined : 'only on objects of the app\'s realm';
      default:
        return 'not a request a debugger of an app on a Thing may send';
    }
  }

  private argumentsAllowed(args: unknown[]): boolean {
    return args.every((a) => {
      const id = (a as { objectId?: unknown } | undefined)?.objectId;
      return id === undefined || this.objects.has(String(id));
    });
  }

  private allow(objectId: string | undefined): void {
    if (objectId !== undefined && this.objects.size < MAX_OBJECTS) this.objects.add(objectId);
  }

  /** Every object id in an answer about the app's objects (its properties, an evaluation's value). */
  private collect(value: unknown, depth = 0): void {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) this.collect(v, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value as Json)) {
      if (k === 'objectId' && typeof v === 'string') this.allow(v);
      else this.collect(v, depth + 1);
    }
  }

  private forgetPause(): void {
    this.appFrames.clear();
    this.objects.clear();
  }
}

/** Requests whose answers carry object ids the debugger may use next. */
const PRODUCING = new Set(['Debugger.evaluateOnCallFrame', 'Runtime.getProperties', 'Runtime.callFunctionOn']);

function parse(text: string): Json | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}
