/**
 * The JS Shell's round trip on `smartplug up`'s platform: `eval 1+1` from a tool account through the
 * embedded broker to a simulated Thing's agent, into its worker's engine thread and back (issue 15:
 * p50 < 2 ms). Beside it, measured in the same run on the same broker, the floor: an MQTT
 * request/response between two clients with nothing behind it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Socket } from 'node:net';
import mqtt from 'mqtt';
import { PLATFORM_USER } from '../platform/broker/access';
import { ShellClient } from '../platform/shell/shell-client';
import { exampleAppDir } from '../platform/up/example-app';
import { LocalEnvironment } from '../platform/up/local-environment';
import { localSecrets } from '../platform/up/local-secrets';
import { asyncTimings, fmt, type Row } from './table';

const WARM = 1000;
const RUNS = 2000;

export async function shellBench(rows: Row[]): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'smartplug-shell-bench-'));
  const dir = path.join(root, 'state');
  const env = await LocalEnvironment.start({ dir, things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
  try {
    if (!(await env.fleet.converged(30_000))) throw new Error('shell bench: the Thing did not run its apps within 30 s');
    const credential = (JSON.parse(readFileSync(path.join(dir, 'fleet-credentials.json'), 'utf8')) as Record<string, { shell: string }>)['thing-1'].shell;
    const client = await ShellClient.connect({ brokerUrl: env.endpoints.broker, token: env.adminToken });
    try {
      const first = await client.eval('thing-1', credential, '1+1');
      if (first.result !== '2') throw new Error(`shell bench: eval 1+1 answered ${JSON.stringify(first)}`);
      const shell = await asyncTimings(() => client.eval('thing-1', credential, '1+1'), RUNS, WARM);
      rows.push({ figure: 'JS Shell round trip, eval 1+1 (tool → broker → agent → worker → back): p50 / p99', value: `${fmt(shell.p50, 2)} / ${fmt(shell.p99, 2)} ms`, target: 'p50 < 2 ms', ok: shell.p50 < 2 });
    } finally {
      await client.close();
    }
    const floor = await mqttFloor(env.endpoints.broker, localSecrets(dir).platformPassword);
    rows.push({ figure: 'floor: MQTT request/response on the same broker, QoS 1, nothing behind it: p50 / p99', value: `${fmt(floor.p50, 2)} / ${fmt(floor.p99, 2)} ms`, target: 'notes: aedes p50 0.27–0.37 ms' });
  } finally {
    await env.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** One client asks, another answers at once: what any request/response over this broker costs. */
async function mqttFloor(url: string, password: string): Promise<{ p50: number; p99: number }> {
  const connect = async (clientId: string) => {
    const c = await mqtt.connectAsync(url, { username: PLATFORM_USER, password, clientId, reconnectPeriod: 0 });
    (c.stream as Socket | undefined)?.setNoDelay?.(true);
    return c;
  };
  const asker = await connect('bench-asker');
  const answerer = await connect('bench-answerer');
  try {
    await answerer.subscribeAsync('bench/ask', { qos: 1 });
    answerer.on('message', (_t, payload) => answerer.publish('bench/answer', payload, { qos: 1 }));
    await asker.subscribeAsync('bench/answer', { qos: 1 });
    let waiting: (() => void) | undefined;
    asker.on('message', () => waiting?.());
    return await asyncTimings(
      () =>
        new Promise<void>((resolve) => {
          waiting = resolve;
          asker.publish('bench/ask', '{"action":"eval"}', { qos: 1 });
        }),
      RUNS,
      WARM,
    );
  } finally {
    await asker.endAsync(true);
    await answerer.endAsync(true);
  }
}
