/**
 * The platform's figures (issue 15): `smartplug up` to ready, deploy to "bundle available", and
 * provisioning one app to a Template of 1,000 simulated Things through Debian's mosquitto with real
 * HTTP downloads, until every Thing reports it running; memory per simulated Thing. The fleet runs in
 * its own process (`smartplug fleet`), as it would beside a platform, on the same 2 cores. Floors
 * measured in the same run: 1,000 downloads of the bundle, and 1,000 QoS 1 round trips through
 * mosquitto.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import { makeBundle } from '../platform/bundle';
import { PLATFORM_USER } from '../platform/broker/access';
import { MosquittoDynsecAccounts, setupMosquittoDynsec } from '../platform/broker/mosquitto-dynsec';
import { PlatformService } from '../platform/service/platform-service';
import { mosquittoInstalled, startMosquitto } from '../test/support/mosquitto';
import { fmt, percentile, type Row } from './table';

/** The package root, from dist/bench/ (npm run bench) or bench/ (tsx). */
const ROOT = [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..')].find((d) => existsSync(path.join(d, 'bin', 'smartplug.js')))!;
const CLI = path.join(ROOT, 'bin', 'smartplug.js');
const EXAMPLE = path.join(ROOT, 'examples', 'door-light');

/** Runs `smartplug ARGS` until a line matches `ready`; resolves with the process and the ms it took. */
function startCli(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 300_000): Promise<{ child: ChildProcess; ms: number; lines: string[] }> {
  const t0 = performance.now();
  const profile = process.env.SMARTPLUG_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.SMARTPLUG_BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smartplug ${args[0]} was not ready within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`)), timeoutMs);
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += d.toString();
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        lines.push(line);
        if (ready.test(line)) {
          clearTimeout(timer);
          resolve({ child, ms: performance.now() - t0, lines });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`smartplug ${args[0]} exited (${code}) before it was ready:\n${lines.slice(-20).join('\n')}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 60_000).unref();
  });
}

/** Resident memory of a process and all its descendants, MB. */
function treeRssMb(pid: number): number {
  let total = 0;
  const walk = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) / 1024 : 0;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        for (const c of children ? children.split(/\s+/) : []) walk(Number(c));
      }
    } catch {
      /* gone meanwhile */
    }
  };
  walk(pid);
  return total;
}

async function upBench(rows: Row[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-up-'));
  try {
    const first = await startCli(['up', '--dir', dir, '--things', '3'], {}, /\bready\b/);
    await stop(first.child);
    const again = await startCli(['up', '--dir', dir, '--things', '3'], {}, /\bready\b/);
    try {
      rows.push({ figure: 'smartplug up to ready, 3 Things (first start, with the example deployed / again)', value: `${fmt(first.ms, 0)} / ${fmt(again.ms, 0)} ms`, target: '' });
      // Deploy to "bundle available": a new version, uploaded and checked, until its bundle downloads.
      const { platform } = JSON.parse(readFileSync(path.join(dir, 'endpoints.json'), 'utf8')) as { platform: string };
      const { adminToken } = JSON.parse(readFileSync(path.join(dir, 'secrets.json'), 'utf8')) as { adminToken: string };
      const times: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const app = path.join(dir, `app-${i}`);
        cpSync(EXAMPLE, app, { recursive: true });
        const appJson = JSON.parse(readFileSync(path.join(app, 'app.json'), 'utf8'));
        appJson.version = `1.0.${i}`;
        writeFileSync(path.join(app, 'app.json'), JSON.stringify(appJson));
        const t0 = performance.now();
        const bundle = await makeBundle(app);
        const res = await fetch(`${platform}/api/apps`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/zip' }, body: bundle.bytes });
        const body = (await res.json()) as { app: { appId: number } };
        const got = await fetch(`${platform}/bundles/${body.app.appId}/1.0.${i}`, { headers: { authorization: `Bearer ${adminToken}` } });
        await got.arrayBuffer();
        if (got.status !== 200) throw new Error(`bundle not available: ${got.status}`);
        times.push(performance.now() - t0);
      }
      rows.push({ figure: 'deploy to "bundle available" (bundle made, uploaded, checked, stored, downloaded; median of 5)', value: `${fmt(percentile(times.sort((a, b) => a - b), 50), 1)} ms`, target: '' });
    } finally {
      await stop(again.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `accounts`: the Things' broker accounts made by the platform in mosquitto's dynamic security
 * plugin as it enrols them (as in production), or, for fleets too big for dynsec (which rewrites its
 * whole file after each command: O(n²), half an hour for 10,000), enrolled here and written to
 * mosquitto's password and ACL files (the same rules, one pattern line each).
 */
export async function provisionBench(rows: Row[], things: number, accounts: 'dynsec' | 'files'): Promise<void> {
  const accountsSaid = accounts === 'dynsec' ? 'accounts in dynsec' : "accounts in mosquitto's password and ACL files";
  if (!mosquittoInstalled()) {
    rows.push({ figure: `provision one app to a Template of ${things} Things`, value: 'skipped: mosquitto is not installed', target: '< 5 s', ok: false });
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-fleet-'));
  const broker = await startMosquitto({ accounts });
  const adminToken = randomBytes(24).toString('base64url');
  const platformPassword = randomBytes(24).toString('base64url');
  let service: PlatformService | undefined;
  let fleet: ChildProcess | undefined;
  const probes: MqttClient[] = [];
  try {
    if (accounts === 'dynsec') await setupMosquittoDynsec({ brokerUrl: broker.url, adminUser: broker.adminUser, adminPassword: broker.adminPassword, platformPassword });
    else await broker.writeAccounts({ [PLATFORM_USER]: platformPassword });
    service = await PlatformService.start({
      store: path.join(dir, 'store'), brokerUrl: broker.url, brokerUsername: PLATFORM_USER, brokerPassword: platformPassword, port: 0, adminToken,
      ...(accounts === 'dynsec' ? { brokerAccounts: (mq: MqttClient) => new MosquittoDynsecAccounts(mq) } : {}),
    });
    const bundle = await makeBundle(EXAMPLE);
    const version = await service.store.deployAppVersion({ name: bundle.name, version: bundle.version, bundle: bundle.bytes, scriptNames: bundle.scriptNames });
    await service.store.saveTemplate({ templateId: 'bench', name: 'Bench', apps: [] });
    if (accounts === 'files') await enrolIntoFiles(service.url, adminToken, things, path.join(dir, 'fleet.json'), (a) => broker.writeAccounts({ [PLATFORM_USER]: platformPassword, ...a }));
    const started = await startCli(['fleet', '--broker', broker.url, '--platform', service.url, '--things', String(things), '--template', 'bench', '--credentials', path.join(dir, 'fleet.json'), ...(things > 1000 ? ['--things-per-worker', String(THINGS_PER_WORKER_PAST_1000)] : [])], { SMARTPLUG_TOKEN: adminToken }, /^ready/, Math.max(300_000, things * 60));
    fleet = started.child;
    const store = service.store;
    // Every Thing that reports running the revision, counted as the platform stores the reports
    // (its own event), so the bench does not load the machine by polling the store.
    const reached = new Set<string>();
    let target = Infinity;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    service.feedback.on('stored', (ids) => {
      void store.listThingStates(ids).then((states) => {
        for (const s of states) if (s.reachedRevision >= target && Object.values(s.apps).length > 0 && Object.values(s.apps).every((a) => a.state === 'running')) reached.add(s.thingId);
        if (reached.size === things) done();
      });
    });
    const trace = process.env.SMARTPLUG_BENCH_TRACE ? await traceProvisioning(broker.url, platformPassword, () => target) : undefined;
    if (trace) probes.push(trace.client);
    const instance = JSON.parse(readFileSync(path.join(EXAMPLE, 'instance.json'), 'utf8')) as { name: string; config: Record<string, unknown> };
    // Saving the Template raises each of its Things' desired revision by one.
    target = (await store.listDesiredStates(['thing-1']))[0].revision + 1;
    trace?.start();
    const t0 = performance.now();
    const res = await fetch(`${service.url}/api/templates/bench`, { method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench', apps: [{ app_id: version.appId, version: version.version, config: instance.config, name: instance.name }] }) });
    const saved = (await res.json()) as { template: { revision: number } };
    if ((await store.listDesiredStates(['thing-1']))[0].revision !== target) throw new Error('the Template save did not raise the desired revision by one');
    // SMARTPLUG_BENCH_TRACE: every minute, how many Things reached the revision, and what the
    // stored state of a few that did not says (a provisioning that never ends says why).
    const ids = Array.from({ length: things }, (_, i) => `thing-${i + 1}`);
    const progress = trace ? setInterval(() => void store.listThingStates(ids.filter((id) => !reached.has(id)).slice(0, 5)).then((states) => {
      process.stderr.write(`trace: ${reached.size} of ${things} reached revision ${target} after ${fmt((performance.now() - t0) / 1000, 0)} s; some that did not: ${JSON.stringify(states).slice(0, 1500)}\n`);
      process.stderr.write(`trace: ${trace.counts()}; the fleet's last lines:\n${started.lines.slice(-30).join('\n')}\n`);
    }), 60_000) : undefined;
    await finished;
    clearInterval(progress);
    const provisionMs = performance.now() - t0;
    trace?.print(t0, provisionMs);
    const rss = treeRssMb(fleet.pid!);
    rows.push({ figure: `provision one app to a Template of ${things} Things through mosquitto (${accountsSaid}), real HTTP downloads, until every Thing reports it running (template revision ${saved.template.revision})`, value: `${fmt(provisionMs / 1000, 2)} s`, ...(things === 1000 ? { target: '< 5 s (floor ~2 s)', ok: provisionMs < 5000 } : { target: '' }) });
    rows.push({ figure: `memory per simulated Thing (the fleet process and its workers, ${things} Things, 1 app each)`, value: `${fmt(rss / things, 2)} MB`, target: '' });
    // Floors in the same run: what the network parts alone cost.
    const creds = JSON.parse(readFileSync(path.join(dir, 'fleet.json'), 'utf8')) as Record<string, { secret: string }>;
    const f0 = performance.now();
    const auth = `Basic ${Buffer.from(`thing-1:${creds['thing-1'].secret}`).toString('base64')}`;
    const url = `${service.url}/bundles/${version.appId}/${version.version}`;
    for (let i = 0; i < things; i += 50) await Promise.all(Array.from({ length: Math.min(50, things - i) }, async () => (await fetch(url, { headers: { authorization: auth } })).arrayBuffer()));
    const downloadsMs = performance.now() - f0;
    const a = await mqtt.connectAsync(broker.url, { username: PLATFORM_USER, password: platformPassword, clientId: 'bench-a' });
    probes.push(a);
    (a.stream as import('node:net').Socket).setNoDelay(true);
    await a.subscribeAsync('bench/echo', { qos: 1 });
    const r0 = performance.now();
    let left = things;
    await new Promise<void>((resolve) => {
      a.on('message', () => {
        if (--left === 0) resolve();
        else void a.publishAsync('bench/echo', 'x', { qos: 1 });
      });
      void a.publishAsync('bench/echo', 'x', { qos: 1 });
    });
    const roundTripsMs = performance.now() - r0;
    rows.push({ figure: `floor, same run: ${things} bundle downloads (50 at a time) / ${things} QoS 1 round trips through mosquitto (one after another)`, value: `${fmt(downloadsMs, 0)} / ${fmt(roundTripsMs, 0)} ms`, target: '' });
  } finally {
    for (const p of probes) await p.endAsync(true).catch(() => undefined);
    const s0 = performance.now();
    if (fleet) await stop(fleet);
    if (process.env.SMARTPLUG_BENCH_PROFILE) process.stderr.write(`fleet stopped in ${Math.round(performance.now() - s0)} ms\n`);
    await service?.close();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SMARTPLUG_BENCH_TRACE=1: when the broker carried the desired states and the Things' reports of
 * the target revision (first, median, last), printed to stderr: where a provisioning's time goes.
 */
async function traceProvisioning(brokerUrl: string, password: string, target: () => number) {
  const client = await mqtt.connectAsync(brokerUrl, { username: PLATFORM_USER, password, clientId: 'bench-trace' });
  const desired: number[] = [];
  const reported: number[] = [];
  const counts = new Map<string, number>();
  client.on('message', (topic, payload, packet) => {
    if (packet.retain) return;
    const now = performance.now();
    const kind = topic.split('/').slice(3).join('/');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (!topic.endsWith('/desired') && !topic.endsWith('/status')) return;
    if (topic.endsWith('/desired')) desired.push(now);
    else if ((JSON.parse(payload.toString()) as { revision: number }).revision >= target()) reported.push(now);
  });
  await client.subscribeAsync(['glp/0/#'], { qos: 0 });
  const cpu = () => {
    const out = new Map<number, { name: string; ppid: number; ticks: number }>();
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
        out.set(Number(pid), { name, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        /* gone */
      }
    }
    return out;
  };
  let before = cpu();
  return {
    client,
    /** How many desired states and reports of the revision the broker carried so far. */
    counts: () => `${desired.length} desired states and ${reported.length} reports of the revision seen on the broker`,
    start() {
      before = cpu();
    },
    print(t0: number, totalMs: number) {
      const after = cpu();
      const used = [...after].map(([pid, a]) => [pid, a.name, a.ppid, a.ticks - (before.get(pid)?.ticks ?? 0)] as const).filter((u) => u[3] > 0).sort((x, y) => y[3] - x[3]);
      const worker = used.find(([, name, ppid]) => name === 'node' && used.some(([pid]) => pid === ppid) && ppid !== used[0][0]);
      if (worker) {
        const threads = readdirSync(`/proc/${worker[0]}/task`).map((tid) => {
          const text = readFileSync(`/proc/${worker[0]}/task/${tid}/stat`, 'utf8');
          const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
          return `${tid}:${(Number(f[11]) + Number(f[12])) * 10}`;
        });
        process.stderr.write(`trace: one worker's threads, CPU since it started (ms): ${threads.join(' ')}\n`);
      }
      process.stderr.write(`trace: CPU while provisioning (ms): ${used.slice(0, 16).map(([pid, name, ppid, t]) => `${name}[${pid}<${ppid}] ${t * 10}`).join(', ')}\n`);
      const at = (list: number[]) => (list.length ? `${fmt(list[0] - t0, 0)} / ${fmt(list[Math.floor(list.length / 2)] - t0, 0)} / ${fmt(list[list.length - 1] - t0, 0)} ms (${list.length})` : 'none');
      process.stderr.write(`trace: desired states published (first / median / last): ${at(desired)}\ntrace: reports of the revision: ${at(reported)}\ntrace: all stored by the platform: ${fmt(totalMs, 0)} ms\ntrace: messages by topic: ${[...counts].map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    },
  };
}

/** The fleet's Things enrolled through the API (1,000 a request), their credentials written where the fleet reads them, their accounts given to the broker. */
async function enrolIntoFiles(platformUrl: string, token: string, things: number, credentialsFile: string, giveAccounts: (accounts: Record<string, string>) => Promise<void>): Promise<void> {
  const creds: Record<string, { secret: string; shell: string }> = {};
  for (let i = 0; i < things; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, things - i) }, (_, k) => ({ thingId: `thing-${i + k + 1}`, model: 'home', templateId: 'bench' }));
    const res = await fetch(`${platformUrl}/api/things/batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ things: batch }) });
    const body = (await res.json()) as { things: Array<{ thing: { thingId: string }; secrets: { broker: string; shell: string } }> };
    if (res.status !== 201) throw new Error(`enrolment refused: ${JSON.stringify(body).slice(0, 300)}`);
    for (const e of body.things) creds[e.thing.thingId] = { secret: e.secrets.broker, shell: e.secrets.shell };
  }
  writeFileSync(credentialsFile, JSON.stringify(creds), { mode: 0o600 });
  await giveAccounts(Object.fromEntries(Object.entries(creds).map(([id, c]) => [id, c.secret])));
}

/**
 * Past 1,000 Things, fewer and fuller workers: a hundred worker processes starting together on two
 * cores miss their beats (and idle workers cost ~2 % of a core each before their wardens learned to
 * sleep between executions; now 0.2–0.8 %).
 */
const THINGS_PER_WORKER_PAST_1000 = 300;

/** Set to measure 10,000 Things too (about 6 minutes and 6 GB here; docs/scale-out.md has its figure). */
export const BENCH_10K = 'SMARTPLUG_BENCH_10K';

export async function platformBench(rows: Row[]): Promise<void> {
  await upBench(rows);
  await provisionBench(rows, Number(process.env.SMARTPLUG_BENCH_THINGS ?? 1000), 'dynsec');
  if (process.env[BENCH_10K]) await provisionBench(rows, 10_000, 'files');
  else rows.push({ figure: 'provision one app to a Template of 10,000 Things (accounts in mosquitto\'s password and ACL files)', value: `not run: set ${BENCH_10K}=1 (63 s in one run on 2 cores: docs/scale-out.md)`, target: '' });
}
