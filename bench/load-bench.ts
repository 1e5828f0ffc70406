/**
 * A load action of a 1 MB image on `smartplug up`'s platform (issue 19), from the do request on the
 * broker to the completion object: download over HTTP, SHA256 check, method, the change written to
 * the Thing's folder, the completion published. Native (firmware) and setup (a 1 MB resource in an
 * AES-encrypted zip) are measured; beside them, in the same run, the floor: the same 1 MB fetched
 * over the same HTTP and hashed, with nothing else.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mqtt from 'mqtt';
import { ZipWriter, Uint8ArrayReader, Uint8ArrayWriter } from '@zip.js/zip.js';
import { PLATFORM_USER } from '../platform/broker/access';
import { download } from '../platform/load/http-download';
import { topics } from '../platform/protocol';
import { exampleAppDir } from '../platform/up/example-app';
import { LocalEnvironment } from '../platform/up/local-environment';
import { localSecrets } from '../platform/up/local-secrets';
import { asyncTimings, fmt, type Row } from './table';

const RUNS = 30;
const MB = 1024 * 1024;

export async function loadBench(rows: Row[]): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'smartplug-load-bench-'));
  const dir = path.join(root, 'state');
  const env = await LocalEnvironment.start({ dir, things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
  // Bytes that do not compress, as firmware does not.
  const firmware = Buffer.alloc(MB);
  for (let i = 0; i < MB; i += 4) firmware.writeUInt32LE(Math.imul(i + 1, 2654435761) >>> 0, i);
  const xml = Buffer.concat([Buffer.from('<?xml version="1.0"?><resources>'), Buffer.from(firmware.toString('base64').slice(0, MB - 64)), Buffer.from('</resources>')]);
  const writer = new ZipWriter(new Uint8ArrayWriter(), { password: 'bench' });
  await writer.add('types.xml', new Uint8ArrayReader(xml));
  const setupZip = Buffer.from(await writer.close());
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(req.url === '/setup.zip' ? setupZip : firmware));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = await mqtt.connectAsync(env.endpoints.broker, { username: PLATFORM_USER, password: localSecrets(dir).platformPassword, clientId: 'load-bench', reconnectPeriod: 0 });
  (client.stream as Socket | undefined)?.setNoDelay?.(true);
  try {
    if (!(await env.fleet.converged(30_000))) throw new Error('load bench: the Thing did not run its apps within 30 s');
    const response = 'glp/0/thing-1/ev/=cms/response/load/bench';
    await client.subscribeAsync(response, { qos: 1 });
    let waiting: ((payload: Buffer) => void) | undefined;
    client.on('message', (t, p) => t === response && waiting?.(p));
    const load = (args: Record<string, unknown>) =>
      new Promise<void>((resolve, reject) => {
        waiting = (p) => {
          const c = JSON.parse(p.toString()) as { error: { message: string } | null };
          if (c.error) reject(new Error(`load bench: ${c.error.message}`));
          else resolve();
        };
        client.publish(topics.thingDo('thing-1'), JSON.stringify({ action: 'load', args: { ...args, response } }), { qos: 1 });
      });
    const native = await asyncTimings(() => load({ url: `${base}/firmware.bin`, method: 'native', integrity: 'SHA256', checksum: sha256(firmware) }), RUNS, 3);
    rows.push({ figure: 'load action, 1 MB native image over HTTP, SHA256 checked (do request → completion): p50 / p99', value: `${fmt(native.p50, 1)} / ${fmt(native.p99, 1)} ms`, target: 'p50 < 25 ms', ok: native.p50 < 25 });
    const setup = await asyncTimings(() => load({ url: `${base}/setup.zip`, method: 'setup', imgpwd: 'bench', integrity: 'SHA256', checksum: sha256(setupZip) }), RUNS, 3);
    rows.push({ figure: 'load action, 1 MB setup image (AES zip, one DRF/xml resource installed): p50 / p99', value: `${fmt(setup.p50, 1)} / ${fmt(setup.p99, 1)} ms`, target: 'p50 < 75 ms', ok: setup.p50 < 75 });
    const floor = await asyncTimings(async () => sha256(await download(`${base}/firmware.bin`, undefined)), RUNS, 3);
    rows.push({ figure: 'floor: the same 1 MB fetched over the same HTTP and hashed, nothing else: p50 / p99', value: `${fmt(floor.p50, 1)} / ${fmt(floor.p99, 1)} ms`, target: '' });
  } finally {
    await client.endAsync(true);
    server.close();
    await env.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
