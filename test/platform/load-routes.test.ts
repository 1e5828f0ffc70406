/**
 * Load actions through the platform (issue 19): the HTTP routes that inspect an image's manifest
 * and send a load action to a Thing (tokens, checks, the completion answered), and the
 * `smartplug load` command a user runs, as a real child process against `smartplug up`'s platform.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { formatIapTimestamp } from '../../runtime/load-actions';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { SMARTPLUG } from '../support/cli-process';
import { PlatformApi, runsEverything } from '../support/platform-api';
import { digest, ImageServer, zipOf } from './load-support';

const run = promisify(execFile);

describe('load actions through the platform and `smartplug load`', function () {
  this.timeout(120_000);
  let root: string;
  let dir: string;
  let env: LocalEnvironment;
  let api: PlatformApi;
  let images: ImageServer;
  let outer: Uint8Array;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-load-routes-'));
    dir = path.join(root, 'state');
    env = await LocalEnvironment.start({ dir, things: 2, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    api = new PlatformApi(env.endpoints.platform, env.adminToken);
    await api.waitForThings((ts) => ts.length === 2 && ts.every(runsEverything));
    images = await ImageServer.start();
    const inner = Buffer.from('relay firmware 5.1');
    outer = await zipOf({ 'manifest.json': JSON.stringify({ image: 'relay_5_1.bin', version: '5.1.0', issuer: 'ACME Controls', description: 'Relay timing fix', readme: 'https://acme.example/relay-5.1', method: 'native', integrity: 'SHA256', checksum: digest('sha256', inner), imgpwd: 'hidden pw' }), 'relay_5_1.bin': inner });
  });

  after(async () => {
    images?.close();
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('inspect: the manifest to show before proceeding, its passwords not repeated', async () => {
    const url = images.serve('relay.glpo', outer);
    const r = await api.post('/api/loads/inspect', { args: { url, method: 'native', integrity: 'SHA256', checksum: digest('sha256', outer) } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.manifest.version, '5.1.0');
    assert.equal(r.body.manifest.issuer, 'ACME Controls');
    assert.equal(r.body.manifest.imgpwd, '(set)');
    assert.equal(r.body.integrity, 'checked');
    assert.deepEqual(r.body.image, { name: 'relay_5_1.bin', inArchive: true, size: 'relay firmware 5.1'.length });
    const plain = await api.post('/api/loads/inspect', { args: { url: images.serve('plain.bin', Buffer.from('x')), method: 'native' } });
    assert.equal(plain.body.manifest, null);
    const bad = await api.post('/api/loads/inspect', { args: { url: `${images.base}/images/none.bin`, method: 'native' } });
    assert.equal(bad.status, 422);
    assert.match(bad.body.error.message, /\(fetch\).*HTTP 404/);
  });

  it('both routes need a token with the provision scope', async () => {
    const url = images.serve('relay.glpo', outer);
    const hits = images.hitsOf(url);
    assert.equal((await api.withToken(undefined).post('/api/loads/inspect', { args: { url, method: 'native' } })).status, 401);
    assert.equal((await api.withToken(undefined).post('/api/things/thing-1/loads', { args: { url, method: 'native' } })).status, 401);
    const reader = await api.post('/api/tokens', { name: 'reader', scopes: ['read'] });
    assert.equal(reader.status, 201, JSON.stringify(reader.body));
    const asReader = api.withToken(reader.body.secret);
    assert.equal((await asReader.post('/api/loads/inspect', { args: { url, method: 'native' } })).status, 403);
    assert.equal((await asReader.post('/api/things/thing-1/loads', { args: { url, method: 'native' } })).status, 403);
    assert.equal(images.hitsOf(url), hits, 'nothing was fetched for them');
  });

  it('send: the completion is answered; a failing stage is named; bad args and unknown Things are refused', async () => {
    const url = images.serve('relay.glpo', outer);
    const r = await api.post('/api/things/thing-2/loads', { args: { url, method: 'native' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.completion.error, null);
    assert.match(r.body.response, /^glp\/0\/thing-2\/ev\/=cms\/response\/load\//);
    const typed = await api.post('/api/things/thing-2/loads', { args: { url, method: 'native', type: '^office$' } });
    assert.equal(typed.body.completion.error.code, 'type');
    const device = await api.post('/api/things/thing-2/loads', { args: { url: images.serve('door.bin', Buffer.from('d')), method: 'native' }, device: 'zb/front-door' });
    assert.equal(device.body.completion.error, null);
    assert.equal(device.body.topic, 'glp/0/thing-2/rq/dev/zb/front-door/do');
    const invalid = await api.post('/api/things/thing-2/loads', { args: { url, method: 'native', integrity: 'SHA1' } });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.error.message, /integrity "SHA1" is not supported/);
    assert.equal((await api.post('/api/things/thing-9/loads', { args: { url, method: 'native' } })).status, 404);
    assert.equal((await api.post('/api/things/thing-2/loads', { args: { url, method: 'native' }, device: 'front-door' })).status, 400);
  });

  it('send with a switchover later than the wait: 202, then the load completes on its own', async () => {
    const url = images.serve('later.bin', Buffer.from('later'));
    const r = await api.post('/api/things/thing-2/loads', { args: { url, method: 'native', switchover: formatIapTimestamp(Date.now() + 1500) }, wait: 0 });
    assert.equal(r.status, 202);
    assert.equal(r.body.completion, null);
    const agent = env.fleet.agent('thing-2')!;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await agent.loadsIdle();
  });

  it('smartplug load: shows the manifest, sends with --yes, prints the outcome; a bad file is refused with its place', async () => {
    const url = images.serve('relay.glpo', outer);
    const file = path.join(root, 'relay.load.json');
    writeFileSync(file, JSON.stringify({ url, method: 'native', integrity: 'SHA256', checksum: digest('sha256', outer) }, null, 2));
    const ok = await run(process.execPath, [SMARTPLUG, 'load', 'thing-1', file, '--dir', dir, '--yes'], { encoding: 'utf8' });
    assert.match(ok.stdout, /version\s+5\.1\.0/);
    assert.match(ok.stdout, /issuer\s+ACME Controls/);
    assert.match(ok.stdout, /loaded: .*relay\.glpo \(native\) completed without error/);
    assert.doesNotMatch(ok.stdout + ok.stderr, /hidden pw/);

    writeFileSync(file, JSON.stringify({ action: 'load', args: { url, method: 'native', type: '^office$' } }));
    const failed = await run(process.execPath, [SMARTPLUG, 'load', 'thing-1', file, '--dir', dir, '--yes'], { encoding: 'utf8' }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal((failed as { code?: number }).code, 1);
    assert.match(failed.stderr, /the load failed at type: .*does not match the Thing's type "home"/);

    writeFileSync(file, '{\n  "url": "ftp://example.com/x.bin",\n  "method": "native"\n}\n');
    const bad = await run(process.execPath, [SMARTPLUG, 'load', 'thing-1', file, '--dir', dir, '--yes'], { encoding: 'utf8' }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal((bad as { code?: number }).code, 1);
    assert.match(bad.stderr, /relay\.load\.json:2:\d+: .*ftp/);
    assert.match(bad.stderr, /nothing was sent/);

    // Without --yes and no terminal to ask on, nothing is sent.
    writeFileSync(file, JSON.stringify({ url, method: 'native' }));
    const unasked = await run(process.execPath, [SMARTPLUG, 'load', 'thing-1', file, '--dir', dir], { encoding: 'utf8' }).catch((e: { code: number; stdout: string }) => e);
    assert.equal((unasked as { code?: number }).code, 1);
    assert.match(unasked.stdout, /nothing was sent/);
  });
});
