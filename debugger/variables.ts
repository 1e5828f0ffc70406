/**
 * Scopes and variables of a paused app, in DAP's terms: each expandable value gets a handle that
 * names its inspector object. Handles live until the debuggee runs again. Getters (the app's device
 * handles read their values through them) are read, so `settings.lamp.value` shows a value.
 */
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import { GUARD_ALIAS } from '../runtime/sandbox/instrument';
import type { CdpClient } from './cdp-client';

type Ref =
  | { kind: 'scope'; objectId: string; callFrameId: string; scopeNumber: number }
  | { kind: 'object'; objectId: string }
  /** The app's globals that matter most: settings, state, location. */
  | { kind: 'app'; callFrameId: string };

const SCOPE_NAMES: Partial<Record<Protocol.Debugger.Scope['type'], string>> = {
  local: 'Local', closure: 'Closure', block: 'Block', catch: 'Catch', with: 'With', script: 'Script', module: 'Module', eval: 'Eval',
};

/** The SmartPlug scope: the app API's objects a handler reads most. */
const APP_GLOBALS = ['settings', 'state', 'location'] as const;

export class Variables {
  private handles = new Handles<Ref>();

  constructor(private readonly cdp: CdpClient) {}

  /** The debuggee runs again: every object id is stale. */
  reset(): void {
    this.handles.reset();
  }

  scopes(frame: Protocol.Debugger.CallFrame): DebugProtocol.Scope[] {
    const scopes: DebugProtocol.Scope[] = [];
    frame.scopeChain.forEach((s, scopeNumber) => {
      const name = SCOPE_NAMES[s.type];
      // The global scope is the app's sandbox with the whole API in it: the SmartPlug scope shows what matters.
      if (!name || !s.object.objectId) return;
      const ref = this.handles.create({ kind: 'scope', objectId: s.object.objectId, callFrameId: frame.callFrameId, scopeNumber });
      scopes.push({ name: s.type !== 'local' && s.name ? `${name}: ${s.name}` : name, variablesReference: ref, expensive: false, presentationHint: s.type === 'local' ? 'locals' : undefined });
    });
    scopes.push({ name: 'SmartPlug', variablesReference: this.handles.create({ kind: 'app', callFrameId: frame.callFrameId }), expensive: false });
    return scopes;
  }

  async variables(reference: number): Promise<DebugProtocol.Variable[]> {
    const ref = this.handles.get(reference);
    if (!ref) return [];
    if (ref.kind === 'app') {
      const out: DebugProtocol.Variable[] = [];
      for (const name of APP_GLOBALS) {
        const r = await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: ref.callFrameId, expression: name, silent: true, generatePreview: true });
        if (!r.exceptionDetails) out.push(this.variable(name, r.result, name));
      }
      return out;
    }
    return this.properties(ref.objectId);
  }

  /** A value as DAP shows it, expandable when it is an object. */
  variable(name: string, value: Protocol.Runtime.RemoteObject, evaluateName?: string): DebugProtocol.Variable {
    const expandable = value.type === 'object' && value.subtype !== 'null' && value.objectId !== undefined;
    return {
      name,
      value: describe(value),
      type: value.subtype ?? value.type,
      variablesReference: expandable ? this.handles.create({ kind: 'object', objectId: value.objectId! }) : 0,
      ...(evaluateName ? { evaluateName } : {}),
    };
  }

  /** DAP setVariable: a variable of a scope, or a property of an object, set to an expression's value. */
  async set(reference: number, name: string, expression: string, callFrameId: string): Promise<DebugProtocol.Variable> {
    const ref = this.handles.get(reference);
    if (!ref || ref.kind === 'app') throw new Error(`${name} cannot be set here; set a property of it, or assign it in the Debug Console`);
    const r = await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId, expression, silent: true });
    if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    const arg = callArgument(r.result);
    if (ref.kind === 'scope') {
      await this.cdp.send('Debugger.setVariableValue', { scopeNumber: ref.scopeNumber, variableName: name, newValue: arg, callFrameId: ref.callFrameId });
      return this.variable(name, r.result);
    }
    const set = await this.cdp.send('Runtime.callFunctionOn', {
      objectId: ref.objectId,
      functionDeclaration: 'function (name, value) { this[name] = value; return this[name]; }',
      arguments: [{ value: name }, arg],
      silent: true,
    });
    if (set.exceptionDetails) throw new Error(`${name} could not be set: ${set.exceptionDetails.exception?.description ?? set.exceptionDetails.text}`);
    return this.variable(name, set.result);
  }

  private async properties(objectId: string): Promise<DebugProtocol.Variable[]> {
    const own = await this.cdp.send('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: true });
    // Accessors of the prototype chain too: a device handle's value and type are getters of its class.
    const inherited = await this.cdp.send('Runtime.getProperties', { objectId, ownProperties: false, accessorPropertiesOnly: true });
    const seen = new Set<string>();
    const out: DebugProtocol.Variable[] = [];
    for (const p of [...own.result, ...inherited.result]) {
      // The execution guard's alias is the runtime's, not the app's.
      if (seen.has(p.name) || p.name === '__proto__' || p.symbol || p.name === GUARD_ALIAS) continue;
      seen.add(p.name);
      if (p.value) {
        out.push(this.variable(p.name, p.value));
        continue;
      }
      if (!p.get || p.get.type === 'undefined') continue;
      const read = await this.cdp.send('Runtime.callFunctionOn', { objectId, functionDeclaration: 'function (name) { return this[name]; }', arguments: [{ value: p.name }], silent: true, generatePreview: true });
      out.push(read.exceptionDetails ? { name: p.name, value: `(getter threw: ${read.exceptionDetails.exception?.description?.split('\n')[0] ?? read.exceptionDetails.text})`, variablesReference: 0 } : this.variable(p.name, read.result));
    }
    // Arrays in index order, objects in their own order (as the app wrote them).
    return out;
  }
}

/** A remote value as one line of text. */
export function describe(v: Protocol.Runtime.RemoteObject): string {
  switch (v.type) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return JSON.stringify(v.value);
    case 'number':
    case 'boolean':
      return v.unserializableValue ?? String(v.value);
    case 'bigint':
      return v.unserializableValue ?? v.description ?? 'bigint';
    case 'symbol':
      return v.description ?? 'Symbol()';
    case 'function':
      return `ƒ ${(v.description ?? '').split('\n')[0].replace(/^function\s*/, '').slice(0, 80)}`;
    default:
      if (v.subtype === 'null') return 'null';
      if (v.preview && v.subtype !== 'error') return previewText(v.preview);
      return v.description ?? v.className ?? 'Object';
  }
}

/** `{deviceId: "front-door", value: "open", …}` or `(2) [1, 2]`, as a debugger's variables view shows objects. */
function previewText(p: Protocol.Runtime.ObjectPreview): string {
  const value = (q: Protocol.Runtime.PropertyPreview) => (q.type === 'string' ? JSON.stringify(q.value ?? '') : q.type === 'object' && q.subtype !== 'null' ? (q.value || 'Object') : String(q.value));
  const more = p.overflow ? ', …' : '';
  if (p.subtype === 'array') return `${p.description ?? ''} [${p.properties.map(value).join(', ')}${more}]`.trim();
  const body = p.properties.map((q) => `${q.name}: ${value(q)}`).join(', ');
  const name = p.description && p.description !== 'Object' ? `${p.description} ` : '';
  return `${name}{${body}${more}}`;
}

function callArgument(v: Protocol.Runtime.RemoteObject): Protocol.Runtime.CallArgument {
  if (v.objectId) return { objectId: v.objectId };
  if (v.unserializableValue) return { unserializableValue: v.unserializableValue };
  return { value: v.value };
}
