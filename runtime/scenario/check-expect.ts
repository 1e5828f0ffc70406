/**
 * Checks an expect step against what happened in its window and the Thing's current state. Each
 * failed expectation says what was expected and what there was, in forms a diff can compare.
 */
import type { AppErrorRecord, CommandRecord, ExecutionRecord, LogLevel, LogRecord, NotificationRecord } from '../engine/records';
import type { AppInfo } from '../engine/engine-requests';
import type { Thing } from '../host/thing';
import { LOG_LEVELS } from './parse-expect';
import { deepEqual, describeMismatch, partialMatch, project, show } from './match';
import type { Recorded, Recorder } from './recorder';
import type { CommandExpectation, CountExpectation, Expectations, ExpectStep, LogExpectation, NotificationExpectation, Pos } from './types';

export interface ExpectContext {
  thing: Thing;
  appId: string;
  /** Every app installed on the Thing by the scenario (the app under test first): id → label. */
  labels: ReadonlyMap<string, string>;
  /** False after an uninstall step (or when the install failed). */
  installed: boolean;
  window: Recorded;
  response: Recorder['response'];
}

export interface ExpectFailure {
  /** The expectation's key: `commands`, `state`, … */
  what: string;
  message: string;
  expected: unknown;
  actual: unknown;
  pos: Pos;
}

/** Checks the window; reads the Thing's current state (devices, the app, the location) only as the expectations need it. */
export async function checkExpect(step: ExpectStep, ctx: ExpectContext): Promise<ExpectFailure[]> {
  const e = step.expect;
  const out: ExpectFailure[] = [];
  const fail = (what: string, message: string, expected: unknown, actual: unknown) => out.push({ what, message: `${what}: ${message}`, expected, actual, pos: step.at[what] ?? step });
  const appCommands = ctx.window.commands.filter((c) => c.appId !== undefined);
  let info: Promise<AppInfo> | undefined;
  const appInfo = () => (info ??= ctx.thing.appInfo(ctx.appId));

  if (e.commands) checkCommands(e.commands, e.exactly === true, appCommands, fail);
  if (e.commandCount) checkCommandCount(e.commandCount, appCommands, ctx, fail);
  if (e.executions) checkExecutions(e.executions, ctx.window.executions, ctx, fail);
  if (e.noCommands && appCommands.length > 0) {
    fail('noCommands', `the app sent ${count(appCommands.length, 'command')}: ${appCommands.map((c) => renderCommand(c, false)).join(', ')}`, [], appCommands.map((c) => renderCommand(c, false)));
  }
  if (e.attributes) {
    const expected: Record<string, unknown> = {};
    const actual: Record<string, unknown> = {};
    const wrong: string[] = [];
    const devices = new Map((await ctx.thing.devicesNow()).map((d) => [d.id, d.attributes]));
    for (const a of e.attributes) {
      const v = devices.get(a.device)?.[a.attribute];
      expected[a.key] = a.value;
      actual[a.key] = v === undefined ? null : v;
      if (!deepEqual(a.value, actual[a.key])) wrong.push(`${a.key} is ${show(actual[a.key])}, expected ${show(a.value)}`);
    }
    if (wrong.length) fail('attributes', wrong.join('; '), expected, actual);
  }
  if (e.notifications) checkNotifications(e.notifications, e.exactly === true, ctx.window.notifications, fail);
  if (e.logs) checkLogs(e.logs, ctx.window.logs, fail);
  if (e.noLogs) {
    const bad = ctx.window.logs.filter((l) => logMatches(l, e.noLogs!.level, e.noLogs!.contains, true));
    if (bad.length) {
      const what = [e.noLogs.level ? `at level ${e.noLogs.level} or above` : '', e.noLogs.contains !== undefined ? `containing ${show(e.noLogs.contains)}` : ''].filter(Boolean).join(' ');
      fail('noLogs', `${count(bad.length, 'log line')} ${what || 'at all'}: ${bad.map(renderLog).join(' | ')}`, [], bad.map(renderLog));
    }
  }
  if (e.errors) checkErrors(e.errors, ctx.window.errors, fail);
  if (e.hasState) {
    if (!ctx.installed) fail('state', 'the app is not installed, so it has no state', e.state, null);
    else {
      const state = (await appInfo()).state;
      const mismatches = partialMatch(e.state, state, 'state');
      if (mismatches.length) fail('state', mismatches.map(describeMismatch).join('; '), e.state, project(e.state, state));
    }
  }
  if (e.mode !== undefined) {
    const mode = (await ctx.thing.location()).mode;
    if (mode !== e.mode) fail('mode', `the location mode is ${show(mode)}, expected ${show(e.mode)}`, e.mode, mode);
  }
  if (e.response) checkResponse(e.response, ctx.response, fail);
  for (const what of ['subscriptions', 'jobs'] as const) {
    const want = e[what];
    if (want === undefined) continue;
    const app = ctx.installed ? await appInfo() : undefined;
    const handlers = (what === 'jobs' ? app?.jobs : app?.subscriptions)?.map((x) => x.handler) ?? [];
    if (typeof want === 'number') {
      if (handlers.length !== want) fail(what, `the app has ${count(handlers.length, what === 'jobs' ? 'scheduled job' : 'subscription')}, expected ${want}${handlers.length ? ` (${handlers.join(', ')})` : ''}`, want, handlers.length);
    } else {
      const a = [...handlers].sort();
      const x = [...want].sort();
      if (!deepEqual(a, x)) fail(what, `the handlers are [${a.join(', ')}], expected [${x.join(', ')}]`, x, a);
    }
  }
  return out;
}

type Fail = (what: string, message: string, expected: unknown, actual: unknown) => void;

/** The app ids a count looks at: those labelled `count.app` and their child apps, or every app. */
function countsApp(count: CountExpectation, ctx: ExpectContext): (appId: string | undefined) => boolean {
  if (count.app === undefined) return (id) => id !== undefined;
  const ids = [...ctx.labels].filter(([, label]) => label === count.app).map(([id]) => id);
  return (id) => id !== undefined && ids.some((x) => id === x || id.startsWith(`${x}.`));
}

function within(n: number, c: CountExpectation): boolean {
  return n >= c.atLeast && (c.atMost === undefined || n <= c.atMost);
}

/** How a failed count shows what it expected: the number when exact (as `jobs` does), else `at most 3`. */
function expectedCount(c: CountExpectation): number | string {
  return c.atMost === c.atLeast ? c.atLeast : c.text;
}

/** Who a count is about, for its message: the app named by `app`, else the app (or the apps, when there are several). */
function subject(c: CountExpectation, ctx: ExpectContext): string {
  return c.app !== undefined ? JSON.stringify(c.app) : ctx.labels.size > 1 ? 'the apps' : 'the app';
}

/** `installed, onContact ×3` (with the app's label first when the Thing has several apps). */
function tally(items: readonly { appId?: string; name: string }[], ctx: ExpectContext): string {
  const counts = new Map<string, number>();
  for (const x of items) {
    const label = ctx.labels.size > 1 ? `${ctx.labels.get(x.appId ?? '') ?? x.appId}: ` : '';
    const key = `${label}${x.name}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
}

function checkCommandCount(c: CountExpectation, commands: CommandRecord[], ctx: ExpectContext, fail: Fail): void {
  const mine = commands.filter((x) => countsApp(c, ctx)(x.appId));
  if (within(mine.length, c)) return;
  const sent = mine.length ? `: ${tally(mine.map((x) => ({ appId: x.appId, name: renderCommand(x, false) })), ctx)}` : '';
  fail('commands', `${subject(c, ctx)} sent ${count(mine.length, 'command')}, expected ${c.text}${sent}`, expectedCount(c), mine.length);
}

function checkExecutions(c: CountExpectation, executions: ExecutionRecord[], ctx: ExpectContext, fail: Fail): void {
  const ran = executions.filter((x) => countsApp(c, ctx)(x.appId));
  if (within(ran.length, c)) return;
  const who = c.app !== undefined ? ` of ${JSON.stringify(c.app)}` : '';
  const what = ran.length === 0 ? `no handler${who} ran` : `handlers${who} ran ${ran.length === 1 ? 'once' : `${ran.length} times`}`;
  fail('executions', `${what}, expected ${c.text}${ran.length ? ` (${tally(ran.map((x) => ({ appId: x.appId, name: x.handler })), ctx)})` : ''}`, expectedCount(c), ran.length);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Greedy in-order matching: index of the first expected item with no match after the previous one's. */
function firstUnmatched<E, A>(expected: readonly E[], actual: readonly A[], matches: (e: E, a: A) => boolean): number {
  let j = 0;
  for (let i = 0; i < expected.length; i++) {
    while (j < actual.length && !matches(expected[i], actual[j])) j++;
    if (j === actual.length) return i;
    j++;
  }
  return -1;
}

function ordinal(i: number): string {
  const n = i + 1;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function commandMatches(e: CommandExpectation, c: CommandRecord): boolean {
  return e.device === c.deviceId && e.command === c.command && (e.args === undefined || deepEqual(e.args, c.args));
}

/** `lamp.setLevel(50)`; `lamp.setLevel` when the expectation takes any arguments. */
/**
 * One way to write a command, expected or sent, so a diff marks only real differences:
 * `lamp.setLevel(40)`, and `lamp.on(…)` where any arguments match (an expectation without `args`,
 * and the commands it is compared with).
 */
export function renderCommand(c: { deviceId: string; command: string; args: unknown[] }, anyArgs: boolean): string {
  return `${c.deviceId}.${c.command}(${anyArgs ? '…' : c.args.map(show).join(', ')})`;
}

function renderExpectedCommand(e: CommandExpectation): string {
  return renderCommand({ deviceId: e.device, command: e.command, args: e.args ?? [] }, e.args === undefined);
}

function checkCommands(expected: CommandExpectation[], exactly: boolean, actual: CommandRecord[], fail: Fail): void {
  // Shown like the expectations they are compared with, so a diff marks only real differences.
  const anyArgs = (c: CommandRecord) => expected.some((e) => e.args === undefined && e.device === c.deviceId && e.command === c.command);
  const exp = expected.map(renderExpectedCommand);
  const act = actual.map((c) => renderCommand(c, anyArgs(c)));
  if (exactly) {
    const i = expected.findIndex((e, k) => !actual[k] || !commandMatches(e, actual[k]));
    if (actual.length !== expected.length || i >= 0) {
      const why = i >= 0 && actual[i] ? `the ${ordinal(i)} command is ${act[i]}, expected ${exp[i]}` : `expected exactly ${count(expected.length, 'command')}, the app sent ${actual.length}`;
      fail('commands', why, exp, act);
    }
    return;
  }
  const missing = firstUnmatched(expected, actual, commandMatches);
  if (missing < 0) return;
  const e = expected[missing];
  const sentAnyway = actual.some((c) => commandMatches(e, c));
  const sameName = actual.filter((c) => c.deviceId === e.device && c.command === e.command);
  let why = `${exp[missing]} was not sent`;
  if (sentAnyway) why = `${exp[missing]} was sent, but not after ${exp[missing - 1]} (commands are expected in order)`;
  else if (sameName.length) why = `${exp[missing]} was not sent; ${e.device}.${e.command} was sent with ${sameName.map((c) => show(c.args)).join(', ')}`;
  fail('commands', why, exp, act);
}

function notificationMatches(e: NotificationExpectation, n: NotificationRecord): boolean {
  return (e.output === undefined || String(e.output) === String(n.outputId)) &&
    (e.contains === undefined || n.message.includes(e.contains)) &&
    (e.message === undefined || n.message === e.message);
}

function checkNotifications(expected: NotificationExpectation[], exactly: boolean, actual: NotificationRecord[], fail: Fail): void {
  const act = actual.map((n) => ({ output: n.outputId, message: n.message }));
  if (exactly) {
    const i = expected.findIndex((e, k) => !actual[k] || !notificationMatches(e, actual[k]));
    if (actual.length !== expected.length || i >= 0) {
      const why = i >= 0 && actual[i] ? `the ${ordinal(i)} notification ${show(actual[i].message)} (output ${actual[i].outputId}) does not match ${show(expected[i])}` : `expected exactly ${count(expected.length, 'notification')}, the app sent ${actual.length}`;
      fail('notifications', why, expected, act);
    }
    return;
  }
  const missing = firstUnmatched(expected, actual, notificationMatches);
  if (missing >= 0) fail('notifications', `no notification matches ${show(expected[missing])}${actual.length ? '' : ' (the app sent none)'}`, expected, act);
}

function logMatches(l: LogRecord, level: LogLevel | undefined, contains: string | undefined, atLeast: boolean): boolean {
  const levelOk = level === undefined || (atLeast ? LOG_LEVELS.indexOf(l.level) >= LOG_LEVELS.indexOf(level) : l.level === level);
  return levelOk && (contains === undefined || l.message.includes(contains));
}

function renderLog(l: LogRecord): string {
  return `[${l.level}] ${l.message}`;
}

function checkLogs(expected: LogExpectation[], actual: LogRecord[], fail: Fail): void {
  const missing = firstUnmatched(expected, actual, (e, l) => logMatches(l, e.level, e.contains, false));
  if (missing < 0) return;
  const e = expected[missing];
  fail('logs', `no ${e.level ? `${e.level} ` : ''}log line contains ${show(e.contains)}${missing > 0 ? ` after the one matching ${show(expected[missing - 1].contains)}` : ''}`,
    expected.map((x) => `[${x.level ?? '*'}] …${x.contains}…`), actual.map(renderLog));
}

/** `handler: message (app.js:line:column)`; a message that already starts with its handler (the runtime's, when it stopped the app) is not led by it twice. */
export function renderError(e: AppErrorRecord): string {
  const where = e.line ? ` (${e.file ?? 'app.js'}:${e.line}:${e.column ?? 1})` : '';
  return `${e.message.startsWith(`${e.handler}: `) ? e.message : `${e.handler}: ${e.message}`}${where}`;
}

export function errorMatches(contains: string, e: AppErrorRecord): boolean {
  return `${e.handler}: ${e.message}`.includes(contains);
}

function checkErrors(expected: { contains: string }[], actual: AppErrorRecord[], fail: Fail): void {
  const missing = firstUnmatched(expected, actual, (x, e) => errorMatches(x.contains, e));
  if (missing >= 0) {
    fail('errors', `no app error contains ${show(expected[missing].contains)}${actual.length ? '' : ' (there were none)'}`, expected.map((x) => `…${x.contains}…`), actual.map(renderError));
  }
}

function checkResponse(e: NonNullable<Expectations['response']>, got: Recorder['response'], fail: Fail): void {
  const expected = { ...(e.status !== undefined ? { status: e.status } : {}), ...(e.hasBody ? { body: e.body } : {}) };
  if (!got) {
    fail('response', 'there was no call step since the previous expect', expected, null);
    return;
  }
  const r = got.response;
  const problems: string[] = [];
  if (e.status !== undefined && r.status !== e.status) problems.push(`status is ${r.status}, expected ${e.status}`);
  if (e.hasBody) problems.push(...partialMatch(e.body, r.body, 'body').map(describeMismatch));
  if (problems.length) {
    const actual = { ...(e.status !== undefined ? { status: r.status } : {}), ...(e.hasBody ? { body: project(e.body, r.body) } : {}) };
    const error = r.status >= 400 && r.body !== null && typeof r.body === 'object' && 'message' in r.body ? ` (${String((r.body as { message: unknown }).message)})` : '';
    fail('response', `${got.method} ${got.path}: ${problems.join('; ')}${error}`, expected, actual);
  }
}
