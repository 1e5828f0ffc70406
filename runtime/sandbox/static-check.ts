import { allCapabilities } from '../devices/capabilities';
import type { ParamSpec } from '../devices/types';
import { didYouMean } from '../suggest';
import type { SourceProblem } from '../errors';
import { AstNode, positionOf, topLevelFunctions, walk } from './script-ast';
import { ScriptMemo, analyseScript } from './script-cache';
import { API_GLOBALS } from './api-globals';

export { API_GLOBALS };

/** Functions of the script API that take a handler, and the index of that argument. */
const HANDLER_ARG: Record<string, number> = {
  subscribe: 2, subscribeToCommand: 2, runIn: 1, runOnce: 1, schedule: 1, unschedule: 0,
  runEvery1Minute: 0, runEvery5Minutes: 0, runEvery10Minutes: 0, runEvery15Minutes: 0,
  runEvery30Minutes: 0, runEvery1Hour: 0, runEvery3Hours: 0,
};

const API_SET = new Set(API_GLOBALS);

/** The identifiers a binding pattern declares (`a`, `{ a, b: [c] }`, `...d`). */
function boundNames(pattern: AstNode | null | undefined, out: AstNode[] = []): AstNode[] {
  if (!pattern) return out;
  if (pattern.type === 'Identifier') out.push(pattern);
  else if (pattern.type === 'ObjectPattern') for (const p of pattern.properties as AstNode[]) boundNames(p.type === 'RestElement' ? p : (p.value as AstNode), out);
  else if (pattern.type === 'ArrayPattern') for (const e of pattern.elements as (AstNode | null)[]) boundNames(e, out);
  else if (pattern.type === 'RestElement') boundNames(pattern.argument as AstNode, out);
  else if (pattern.type === 'AssignmentPattern') boundNames(pattern.left as AstNode, out);
  return out;
}


/** The value a command leaves its attribute at, where it is always the same. */
const COMMAND_VALUE: Record<string, string> = { on: 'on', off: 'off', lock: 'locked', unlock: 'unlocked', open: 'open', close: 'closed' };

let commandAttributes: Map<string, Set<string>> | undefined;

/** An argument a command accepts, to see what it changes. */
function sampleArgument(p: ParamSpec): unknown {
  if (p.kind === 'number') return p.min !== undefined && p.max !== undefined ? Math.round((p.min + p.max) / 2) : 50;
  if (p.kind === 'enum') return p.values?.[p.values.length - 1];
  if (p.kind === 'object') return Object.fromEntries((p.fields ?? []).map((f) => [f.name, sampleArgument(f)]));
  return 'x';
}

/**
 * Which attributes each command changes: asked of the catalogue itself, by applying the command to
 * a device that has every attribute at its initial value (so setLevel's effect on switch shows,
 * and a thermostat's off() is not taken to change its temperature).
 */
function attributesChangedBy(command: string): Set<string> | undefined {
  if (!commandAttributes) {
    commandAttributes = new Map();
    const caps = allCapabilities();
    const initial = new Map(caps.flatMap((c) => c.attributes.map((a) => [a.name, a.initial] as const)));
    const view = { value: (attribute: string) => initial.get(attribute) };
    for (const cap of caps) {
      for (const cmd of cap.commands) {
        const set = commandAttributes.get(cmd.name) ?? new Set<string>();
        try {
          for (const change of cap.apply(cmd.name, cmd.params.filter((p) => !p.optional).map(sampleArgument), view)) set.add(change.attribute);
        } catch {
          for (const a of cap.attributes) set.add(a.name);
        }
        commandAttributes.set(cmd.name, set);
      }
    }
  }
  return commandAttributes.get(command);
}

interface ScriptInput {
  scriptFile: string;
  script: string;
}

/**
 * Checks app.js without running it: handlers named but not defined, and handlers that command the
 * very attribute they are subscribed to — the endless event loop seed 001 ("Anatomy & Life-Cycle of
 * a SmartApp") warns about.
 */
const checked = new ScriptMemo<readonly SourceProblem[]>();

/** Checks app.js without running it (the result is remembered per script: a fleet installs one app.js many times). */
export function checkScript(source: ScriptInput): SourceProblem[] {
  return [...checked.get(`${source.scriptFile}\u0000${source.script}`, () => checkScriptNow(source))];
}

function checkScriptNow(source: ScriptInput): SourceProblem[] {
  let parsed;
  try {
    parsed = analyseScript(source.script, source.scriptFile).parsed;
  } catch {
    return []; // syntax errors are reported by the loader
  }
  const functions = topLevelFunctions(parsed);
  const names = [...functions.keys()];
  const problems: SourceProblem[] = [];
  const subscriptions: { attribute: string; value?: string; handler: string; line: number }[] = [];
  const at = (node: AstNode, severity: SourceProblem['severity'], code: string, message: string, fix: string) => {
    const p = positionOf(node);
    problems.push({ file: source.scriptFile, line: p.line, column: p.column, severity, code, message, fix });
  };

  for (const stmt of parsed.program.body as AstNode[]) {
    const ids = stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration' ? [stmt.id as AstNode]
      : stmt.type === 'VariableDeclaration' ? (stmt.declarations as AstNode[]).flatMap((d) => boundNames(d.id as AstNode)) : [];
    for (const id of ids) {
      const name = (id as AstNode & { name: string }).name;
      if (API_SET.has(name)) {
        at(id, 'error', 'script-api-name', `"${name}" is a name of the SmartPlug API; a top-level declaration cannot replace it`, `rename your ${stmt.type === 'FunctionDeclaration' ? 'function' : stmt.type === 'ClassDeclaration' ? 'class' : 'variable'} (e.g. "my${name.charAt(0).toUpperCase()}${name.slice(1)}")`);
      }
    }
  }

  walk(parsed.program, (node) => {
    if (node.type !== 'CallExpression') return;
    const callee = node.callee as AstNode & { name?: string };
    if (callee.type !== 'Identifier' || !callee.name || !(callee.name in HANDLER_ARG)) return;
    const args = node.arguments as AstNode[];
    const handlerIndex = callee.name === 'subscribe' && args.length === 2 ? 1 : HANDLER_ARG[callee.name];
    const h = args[handlerIndex] as (AstNode & { value?: unknown; name?: string }) | undefined;
    let handlerName: string | undefined;
    if (h?.type === 'Literal' && typeof h.value === 'string') {
      handlerName = h.value;
      if (!functions.has(h.value)) {
        at(h, 'error', 'script-unknown-handler', `"${h.value}" is not a function defined in app.js${didYouMean(h.value, names)}`, `define function ${h.value}(evt) { … } or correct the name`);
      }
    } else if (h?.type === 'Identifier' && h.name) {
      handlerName = h.name;
    }
    if (callee.name === 'subscribe' && args.length === 3 && handlerName) {
      const a = args[1] as AstNode & { value?: unknown };
      if (a.type === 'Literal' && typeof a.value === 'string') {
        const dot = a.value.indexOf('.');
        subscriptions.push({
          attribute: dot < 0 ? a.value : a.value.slice(0, dot),
          value: dot < 0 ? undefined : a.value.slice(dot + 1),
          handler: handlerName,
          line: positionOf(node).line,
        });
      }
    }
  });

  for (const sub of subscriptions) {
    const fn = functions.get(sub.handler);
    if (!fn) continue;
    for (const call of commandCalls(fn, functions)) {
      const changed = attributesChangedBy(call.command);
      if (!changed?.has(sub.attribute)) continue;
      const produced = COMMAND_VALUE[call.command];
      if (sub.value !== undefined && produced !== undefined && produced !== sub.value && sub.attribute !== 'level') continue;
      at(call.node, 'warning', 'script-event-loop',
        `${sub.handler} calls ${call.command}(), which changes "${sub.attribute}", and this app subscribes ${sub.handler} to "${sub.attribute}${sub.value ? '.' + sub.value : ''}" (line ${sub.line}): each command can trigger the handler again, an endless event loop that ends in the rate limit`,
        `subscribe to a value the handler does not produce (e.g. "${sub.attribute}.${produced === 'on' ? 'off' : 'on'}"), subscribe to a different device, or check the current value before commanding`);
    }
  }
  return problems;
}

/** `x.command(...)` calls inside a function and the top-level functions it calls, transitively. */
function commandCalls(fn: AstNode, functions: Map<string, AstNode>): { command: string; node: AstNode }[] {
  const out: { command: string; node: AstNode }[] = [];
  const seen = new Set<AstNode>();
  const visit = (f: AstNode) => {
    if (seen.has(f)) return;
    seen.add(f);
    walk(f.body as AstNode, (node) => {
      if (node.type !== 'CallExpression') return;
      const callee = node.callee as AstNode & { name?: string; property?: AstNode & { name?: string }; computed?: boolean };
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property?.name && attributesChangedBy(callee.property.name)) {
        out.push({ command: callee.property.name, node });
      } else if (callee.type === 'Identifier' && callee.name && functions.has(callee.name)) {
        visit(functions.get(callee.name)!);
      }
    });
  };
  visit(fn);
  return out;
}
