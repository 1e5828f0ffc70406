/**
 * An app endpoint's round trip through `smartplug up`'s platform (issue 19): an HTTP GET of a
 * web-service route at /things/{thing}/apps/{installation}/…, the token checked, the rate counted,
 * the request relayed over the broker to the Thing's agent, the route run in the app's sandbox on
 * its worker, and the response back. Beside it, in the same run: an HTTP request to the same
 * platform that goes nowhere (GET /api/health), and an MQTT request/response on the same broker.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBundle } from '../platform/bundle';
import { PlatformApi } from '../platform/remote/platform-api';
import { ENDPOINT_CALLS_PER_WINDOW } from '../platform/service/endpoint-rate';
import { exampleAppDir } from '../platform/up/example-app';
import { LocalEnvironment } from '../platform/up/local-environment';
import { asyncTimings, fmt, type Row } from './table';

/** Calls measured: under one installation's rate window (it would answer 429 past it). */
const RUNS = ENDPOINT_CALLS_PER_WINDOW - 30;
const WARM = 20;

const APP_JSON = { name: 'bench-endpoints', version: '1.0.0', input: { lamp: { type: 'single_device_selector', name: 'Lamp' } }, guide: [{ id: 'p', input_fields: ['lamp'] }] };
const APP_JS = `mappings({ 'GET /lamp': lamp })
function lamp(request) { return { name: settings.lamp.label, value: settings.lamp.currentSwitch } }
`;

export async function endpointBench(rows: Row[]): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'smartplug-endpoint-bench-'));
  const env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
  try {
    const app = path.join(root, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'app.json'), JSON.stringify(APP_JSON));
    writeFileSync(path.join(app, 'app.js'), APP_JS);
    const api = new PlatformApi({ url: env.endpoints.platform, token: env.adminToken });
    const deployed = await api.deploy((await makeBundle(app)).bytes);
    const instance = await api.addThingApp('thing-1', { app_id: deployed.app.appId, name: 'Bench endpoints', config: { lamp: 'hall-lamp' } });
    if (!(await env.fleet.converged(30_000))) throw new Error('endpoint bench: the Thing did not run its apps within 30 s');
    const { secret, path: base } = await api.endpointToken('thing-1', instance.installation_id);
    const url = `${env.endpoints.platform}${base}/lamp`;
    const headers = { authorization: `Bearer ${secret}` };
    const first = await fetch(url, { headers });
    if (first.status !== 200) throw new Error(`endpoint bench: GET /lamp answered ${first.status} ${await first.text()}`);
    const call = await asyncTimings(async () => {
      const r = await fetch(url, { headers });
      if (r.status !== 200) throw new Error(`endpoint bench: GET /lamp answered ${r.status}`);
      await r.arrayBuffer();
    }, RUNS - WARM, WARM);
    rows.push({ figure: 'app endpoint round trip, GET through the platform (HTTP → token, rate → broker → agent → app sandbox → back): p50 / p99', value: `${fmt(call.p50, 2)} / ${fmt(call.p99, 2)} ms`, target: 'p50 < 5 ms', ok: call.p50 < 5 });
    const health = await asyncTimings(async () => (await fetch(`${env.endpoints.platform}/api/health`)).arrayBuffer(), RUNS - WARM, WARM);
    rows.push({ figure: 'floor: an HTTP request to the same platform that goes nowhere (GET /api/health): p50 / p99', value: `${fmt(health.p50, 2)} / ${fmt(health.p99, 2)} ms`, target: '' });
  } finally {
    await env.close();
    rmSync(root, { recursive: true, force: true });
  }
}
