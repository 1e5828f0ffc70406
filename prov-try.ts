import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { LocalEnvironment } from './platform/up/local-environment';
import { PlatformApi } from './test/support/platform-api';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
(async () => {
  const N = Number(process.argv[2] ?? 1000);
  const dir = mkdtempSync(path.join(tmpdir(), 'prov-'));
  let t0 = performance.now();
  const env = await LocalEnvironment.start({ dir, things: N, activityMs: 0, exampleApp: path.resolve('examples/door-light'), log: (l) => console.log(l) });
  console.log('started', Math.round(performance.now() - t0), 'ms');
  t0 = performance.now();
  const ok = await env.fleet.converged(120_000);
  console.log('converged', ok, Math.round(performance.now() - t0), 'ms');
  const api = new PlatformApi(env.endpoints.platform, env.adminToken);
  const tpl = (await api.get('/api/templates/home')).body;
  const session = new Session(); session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start');
  t0 = performance.now();
  await api.put('/api/templates/home', { name: 'Home', apps: [...tpl.apps, { ...tpl.apps[0], installation_id: undefined, name: 'Porch light' }] });
  const put = performance.now() - t0;
  const target = tpl.revision; 
  const want = (await env.store.getTemplate('home')).revision;
  while (!env.fleet.agents.every((a) => a.synced && a.revision > 1)) await new Promise((r) => setTimeout(r, 20));
  console.log('agents synced', Math.round(performance.now() - t0));
  const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/prof/prov.cpuprofile', JSON.stringify(profile));
  await api.waitForThings((ts) => ts.every((t: any) => t.inSync && t.inherited.every((a: any) => a.status.state === 'running')), 20_000).catch(async () => {
    const ts = (await api.get('/api/things')).body.things;
    const c = new Map(); for (const t of ts) { const k = `${t.inSync} ${t.inherited.map((a: any) => a.status.state + (a.status.error ? ':' + a.status.error.slice(0, 200) : '')).join('|')}`; c.set(k, (c.get(k) ?? 0) + 1); }
    console.log([...c]);
  });
  console.log('provision (config change) PUT', Math.round(put), 'all running', Math.round(performance.now() - t0), 'ms');
  console.log('rss MB', process.memoryUsage().rss / 1e6);
  await env.close();
})();
