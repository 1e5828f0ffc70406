/**
 * A `do load` request as the agent receives it: the IAP do envelope `{"action": "load", "args": …}`
 * on a do topic, checked by the same rules the language server applies to a *.load.json file
 * (runtime/load-actions), so whatever the editor marks as an error the Thing refuses, with the same
 * words. Also here: the target a do topic addresses, the `type` match (POSIX BRE, the language
 * server's code) and the switchover time.
 */
import { parseJsonDocument } from '../../runtime/app/json-tree';
import { breToRegExp, checkLoadAction, checkManifest, parseIapTimestamp } from '../../runtime/load-actions';
import type { SourceProblem } from '../../runtime/errors';
import { LoadFailure } from './load-failure';

/** The properties of a load action (seed 002) the agent uses, as received. */
export interface LoadArgs {
  url: string;
  method: string;
  user?: string;
  passwd?: string;
  imgpwd?: string;
  integrity?: string | null;
  checksum?: string;
  protocol?: string;
  type?: string;
  flags?: Record<string, unknown> | null;
  switchover?: string;
  response?: string;
}

/** The properties of an image manifest (seed 002) the agent honours. */
export interface Manifest {
  image: string;
  version?: string;
  issuer?: string;
  description?: string;
  readme?: string;
  user?: string;
  passwd?: string;
  imgpwd?: string;
  integrity?: string | null;
  checksum?: string;
  method?: string;
  protocol?: string;
  type?: string;
  flags?: Record<string, unknown> | null;
}

/** What a do topic addresses: the edge server itself (`rq/do`) or one of its devices (`rq/dev/{protocol}/{handle}/do`). */
export type LoadTarget = { kind: 'thing' } | { kind: 'device'; protocol: string; handle: string };

export interface LoadRequest {
  args: LoadArgs;
  /** the args object as received: the completion object echoes from it */
  received: Record<string, unknown>;
  target: LoadTarget;
  topic: string;
}

/** The target of a do topic of this Thing, or undefined when the topic is not one. */
export function targetOf(thingId: string, topic: string): LoadTarget | undefined {
  const prefix = `glp/0/${thingId}/rq/`;
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length).split('/');
  if (rest.length === 1 && rest[0] === 'do') return { kind: 'thing' };
  if (rest.length === 4 && rest[0] === 'dev' && rest[3] === 'do') return { kind: 'device', protocol: rest[1], handle: rest[2] };
  return undefined;
}

export function targetLabel(target: LoadTarget): string {
  return target.kind === 'thing' ? 'the Thing' : `device ${target.handle} (${target.protocol})`;
}

/** The do envelope on `topic`; `{ action }` alone when it is a do action other than load. */
export function parseDoEnvelope(payload: Buffer, topic: string): { action: string; args?: unknown; text: string } {
  const text = payload.toString('utf8');
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (e) {
    throw new LoadFailure('request', `the do action on ${topic} is not JSON (${(e as Error).message})`, { fix: 'send {"action": "load", "args": {…}}' });
  }
  if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope) || typeof (envelope as { action?: unknown }).action !== 'string') {
    throw new LoadFailure('request', `the do action on ${topic} has no "action"`, { fix: 'send {"action": "load", "args": {…}}' });
  }
  const { action, args } = envelope as { action: string; args?: unknown };
  return { action, args, text };
}

/** The load request of a do envelope whose action is load, or a LoadFailure at stage `request` naming the first error. */
export function parseLoadRequest(envelopeText: string, args: unknown, topic: string, target: LoadTarget, now = Date.now()): LoadRequest {
  const problems = checkLoadAction(parseJsonDocument(envelopeText, topic, { allowComments: false }), { now }).filter((p) => p.severity === 'error');
  if (problems.length) throw new LoadFailure('request', `the load action is not valid: ${describe(problems[0])}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, { fix: problems[0].fix });
  const received = args as Record<string, unknown>;
  return { args: received as unknown as LoadArgs, received, target, topic };
}

/** The manifest `manifest.json` of an outer archive, checked like the editor checks it; a LoadFailure at stage `unpack` when it is not one. */
export function parseManifest(text: string, label: string): Manifest {
  const doc = parseJsonDocument(text, label, { allowComments: false });
  const errors = [...doc.problems, ...checkManifest(doc)].filter((p) => p.severity === 'error');
  if (!doc.root || doc.root.type !== 'object') throw new LoadFailure('unpack', `${label} is not a JSON object`);
  if (errors.length) throw new LoadFailure('unpack', `${label} is not a valid manifest: ${describe(errors[0])}`, { fix: errors[0].fix });
  return JSON.parse(text) as Manifest;
}

function describe(p: SourceProblem): string {
  return `${p.message} (line ${p.line}, column ${p.column})`;
}

/** Fails at stage `type` unless `pattern` (a POSIX BRE) matches the target's reported `type`. */
export function checkType(pattern: string | undefined, type: string, where: string, target: LoadTarget): void {
  if (pattern === undefined || pattern === '') return;
  let re: RegExp;
  try {
    re = breToRegExp(pattern);
  } catch (e) {
    throw new LoadFailure('type', `${where}'s type ${JSON.stringify(pattern)} is not a POSIX basic regular expression (${(e as Error).message})`);
  }
  if (!re.test(type)) throw new LoadFailure('type', `${where}'s type ${JSON.stringify(pattern)} does not match ${targetLabel(target)}'s type "${type}"`, { fix: 'load an image made for this type, or correct the type expression' });
}

/**
 * When the switchover happens (epoch ms): now when `switchover` is absent or in the past (seed 002).
 * A timestamp without a zone is the Thing's local time.
 */
export function switchoverAt(switchover: string | undefined, now = Date.now()): number {
  if (switchover === undefined) return now;
  const parsed = parseIapTimestamp(switchover);
  const t = parsed.value;
  if (!t) throw new LoadFailure('request', `switchover ${JSON.stringify(switchover)} is not an IAP timestamp: ${parsed.problems[0]?.message ?? 'unreadable'}`, { fix: 'write YYYY-MM-DD HH:mm:ss.SSS UTC' });
  const at = t.epochMs ?? new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond).getTime();
  return Math.max(at, now);
}
