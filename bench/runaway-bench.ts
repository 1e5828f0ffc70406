/**
 * How soon a runaway execution is stopped, for each way past the in-script guard the security
 * review found (target: the CPU limit + 50 ms), and the floor of a worker spawn: a bare fork until
 * its first IPC message, measured in the same run.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppSource } from '../runtime/engine/installed-app';
import { SmartPlugRuntime } from '../runtime/host/runtime';
import { WorkerProcess } from '../runtime/host/worker-process';
import { fmt, percentile, type Row } from './table';

const CPU_LIMIT_MS = 200;

const RUNAWAYS: [string, string][] = [
  ['a loop (the guard)', 'for (;;) {}'],
  ['a microtask loop (the guard, in its CPU window)', 'function again() { Promise.resolve().then(again) } again()'],
  ['sort over 3,000,000 numbers (thread, or process, stopped)', 'var a = new Array(3e6).fill(0).map(Math.random); a.sort()'],
  ['a catastrophic regular expression (thread stopped)', '/(a+)+$/.test("a".repeat(40) + "!")'],
  ['indexOf over { length: 2e15 } (process ended)', 'Array.prototype.indexOf.call({ length: 2e15 }, 1)'],
];

function attacker(body: string): AppSource {
  return { name: 'attacker', scriptFile: '/bench/attacker.js', appJson: { input: {}, guide: [] } as unknown as AppSource['appJson'], script: `function installed() { subscribe(app, onTouch) }\nfunction onTouch() { ${body} }` };
}

async function stopTime(body: string): Promise<number> {
  const rt = await SmartPlugRuntime.start({ clock: 'virtual', start: Date.UTC(2024, 0, 1), cpuLimitMs: CPU_LIMIT_MS });
  try {
    const { id } = await rt.install({ source: attacker(body), config: {} });
    const stopped = new Promise<number>((resolve) => rt.on('appError', () => resolve(performance.now())));
    const t0 = performance.now();
    void rt.touch(id).catch(() => undefined);
    return (await stopped) - t0;
  } finally {
    await rt.close();
  }
}

/** Forks a child running `script` (no inherited flags) until its first IPC message; ms. */
async function forkUntilFirstMessage(name: string, script: string): Promise<number> {
  const file = path.join(tmpdir(), `smartplug-bench-${name}.js`);
  writeFileSync(file, `${script} process.on("disconnect", () => process.exit(0));`);
  const t0 = performance.now();
  // No inherited flags or environment (a bench run under a loader would make the floor slower than
  // it is), as the runtime starts its workers.
  const child = fork(file, [], { stdio: 'ignore', serialization: 'json', execArgv: [], env: {} });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const ms = performance.now() - t0;
  // Wait for it to end: a child still tearing down its thread would slow the next spawn measured.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.disconnect();
  await exited;
  return ms;
}

/** A bare fork until its first IPC message: the floor of any worker spawn on this machine. */
const bareFork = () => forkUntilFirstMessage('bare-fork', 'process.send({ ready: true });');

/**
 * A bare fork whose child starts an empty worker thread and reports once that thread spoke: the
 * floor of a worker whose apps run in a thread the process can terminate (worker-main.ts).
 */
const bareForkAndThread = () =>
  forkUntilFirstMessage('bare-fork-thread', 'const { Worker } = require("node:worker_threads"); new Worker("require(\'node:worker_threads\').parentPort.postMessage(1)", { eval: true }).once("message", () => process.send({ ready: true }));');

/** The worker process alone, until its first message: the warden's ready (the engine thread still starting). */
async function wardenReady(): Promise<number> {
  const t0 = performance.now();
  const worker = await WorkerProcess.spawn({}, () => undefined, () => undefined, () => undefined);
  const ms = performance.now() - t0;
  await worker.close();
  return ms;
}

export async function runawayBench(rows: Row[]): Promise<void> {
  for (const [name, body] of RUNAWAYS) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await stopTime(body));
    times.sort((a, b) => a - b);
    const ms = percentile(times, 50);
    rows.push({ figure: `runaway → stopped and reported: ${name}`, value: `${fmt(ms, 0)} ms (median of 3; limit ${CPU_LIMIT_MS} ms)`, target: `≤ ${CPU_LIMIT_MS + 50} ms`, ok: ms <= CPU_LIMIT_MS + 50 });
  }
  const forks: number[] = [];
  const forksWithThread: number[] = [];
  const spawns: number[] = [];
  const wardens: number[] = [];
  for (let i = 0; i < 5; i++) {
    forks.push(await bareFork());
    forksWithThread.push(await bareForkAndThread());
    wardens.push(await wardenReady());
    const t0 = performance.now();
    const rt = await SmartPlugRuntime.start({ clock: 'virtual', start: Date.UTC(2024, 0, 1) });
    spawns.push(performance.now() - t0);
    await rt.close();
  }
  for (const list of [forks, forksWithThread, spawns, wardens]) list.sort((a, b) => a - b);
  const fork50 = percentile(forks, 50);
  const ratio = percentile(spawns, 50) / fork50;
  rows.push({ figure: 'floor: bare fork → first message (this run)', value: `${fmt(fork50, 1)} ms (median of 5)`, target: '' });
  rows.push({ figure: 'floor: bare fork + an empty worker thread → its first message (this run)', value: `${fmt(percentile(forksWithThread, 50), 1)} ms = ${fmt(percentile(forksWithThread, 50) / fork50, 2)}× a bare fork`, target: '' });
  const wardenRatio = percentile(wardens, 50) / fork50;
  rows.push({ figure: "worker spawn → its first message (the warden's ready; calls wait for the engine thread), ÷ bare fork", value: `${fmt(percentile(wardens, 50), 1)} ms = ${fmt(wardenRatio, 2)}×`, target: '≤ 1.2×', ok: wardenRatio <= 1.2 });
  // No target against a bare fork: the engine thread the process must be able to terminate starts
  // after the process, so its floor is the fork + thread row (1.8-1.9x a bare fork here).
  rows.push({ figure: 'worker spawn → engine thread ready (its first call answered), ÷ bare fork and ÷ the fork + thread floor', value: `${fmt(percentile(spawns, 50), 1)} ms = ${fmt(ratio, 2)}× a bare fork, ${fmt(percentile(spawns, 50) / percentile(forksWithThread, 50), 2)}× the fork + thread floor`, target: '' });
}
