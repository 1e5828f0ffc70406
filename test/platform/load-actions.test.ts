/**
 * Load actions in full (seed 002, issue 19), performed by the agent of a simulated Thing of a real
 * local platform (embedded broker, platform, fleet) for `do load` requests sent over the broker,
 * with images served over real HTTP. Every stage's failure is tested, and each failure leaves the
 * Thing running what it had.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatIapTimestamp } from '../../runtime/load-actions';
import { topics, type ImagesMessage, type LoadCompletionMessage } from '../../platform/protocol';
import mqtt from 'mqtt';
import { bubblewrap } from '../../platform/agent/load/confined-script';
import { PLATFORM_USER } from '../../platform/broker/access';
import { localSecrets } from '../../platform/up/local-secrets';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';
import { digest, ImageServer, LoadClient, zipOf } from './load-support';

const THING = 'thing-1';
const MODBUS = '#filetype,Modbus_xif\n#program_ID,9F0096052804DB01\n#version,v2.10.020\nBlock Name,Block Index,Datapoint Name,Address\n';

describe('load actions (seed 002) on a simulated Thing', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let images: ImageServer;
  let client: LoadClient;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-loads-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined, loadLimits: { maxBytes: 4 * 1024 * 1024, timeoutMs: 4000, stallMs: 1500 } });
    await new PlatformApi(env.endpoints.platform, env.adminToken).waitForThings((ts) => ts.length === 1 && ts.every(runsEverything));
    images = await ImageServer.start();
    client = await LoadClient.start(env.service.mqtt, THING);
    await client.imagesWhen(() => true);
  });

  after(async () => {
    images?.close();
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const ok = (c: LoadCompletionMessage) => assert.equal(c.error, null, `the load failed: ${JSON.stringify(c.error)}`);

  /** Asserts a failed completion at `stage`, and that nothing installed changed. */
  async function failsAt(args: Record<string, unknown>, stage: string, text: RegExp, options: { topic?: string } = {}): Promise<LoadCompletionMessage> {
    const before = snapshot(client.images!);
    const appsBefore = await env.fleet.agent(THING)!.thing.listApps();
    const c = await client.load(args, options);
    assert.notEqual(c.error, null, `the load should fail at ${stage}`);
    assert.equal(c.error!.code, stage, c.error!.message);
    assert.match(c.error!.message, text);
    assert.equal(c.url, args.url ?? null, 'the completion echoes the url');
    assert.equal(c.method, args.method ?? null);
    await env.fleet.agent(THING)!.loadsIdle();
    assert.deepEqual(snapshot(client.images!), before, 'nothing installed changed');
    const appsAfter = await env.fleet.agent(THING)!.thing.listApps();
    assert.deepEqual(appsAfter.map((a) => [a.id, a.state]), appsBefore.map((a) => [a.id, a.state]), 'the apps run on');
    return c;
  }

  const snapshot = (m: ImagesMessage) => JSON.stringify({ system: m.system, firmware: m.firmware, resources: m.resources });

  describe('fetching and checks', () => {
    it('a native image over http, with SHA256 integrity, becomes the Thing\'s firmware', async () => {
      const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
      const url = images.serve('top900_v12_2.bin', bytes);
      const c = await client.load({ url, method: 'native', integrity: 'SHA256', checksum: digest('sha256', bytes), protocol: 'sim', flags: { a: 1 } });
      ok(c);
      assert.deepEqual({ url: c.url, method: c.method, protocol: c.protocol, type: c.type, flags: c.flags }, { url, method: 'native', protocol: 'sim', type: null, flags: { a: 1 } }, 'the completion echoes the request');
      const m = await client.imagesWhen((i) => i.firmware['']?.image === 'top900_v12_2.bin');
      assert.equal(m.firmware[''].sha256, digest('sha256', bytes));
      assert.equal(m.firmware[''].size, bytes.length);
    });

    it('the completion follows its response topic\'s channel: retained on the feedback channel, not on the event channel', async () => {
      const url = images.serve('channels.bin', Buffer.from('channels'));
      const fb = `glp/0/${THING}/fb/=cms/response/load/retained`;
      const ev = `glp/0/${THING}/ev/=cms/response/load/not-retained`;
      ok(await client.load({ url, method: 'native', response: fb }));
      ok(await client.load({ url, method: 'native', response: ev }));
      // A client that subscribes afterwards gets what was retained.
      const late = await mqtt.connectAsync(env.endpoints.broker, { username: PLATFORM_USER, password: localSecrets(path.join(root, 'state')).platformPassword, clientId: 'late-reader', reconnectPeriod: 0 });
      try {
        const got = new Map<string, boolean>();
        late.on('message', (t, _p, packet) => got.set(t, packet.retain));
        await late.subscribeAsync([fb, ev], { qos: 1 });
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(got.get(fb), true, 'the feedback-channel completion is retained');
        assert.equal(got.has(ev), false, 'the event-channel completion is not');
      } finally {
        await late.endAsync(true);
        await env.service.mqtt.publishAsync(fb, '', { qos: 1, retain: true });
      }
    });

    it('MD5 and SHA512 are checked; a wrong checksum fails at integrity', async () => {
      const bytes = Buffer.from('firmware two');
      const url = images.serve('fw2.bin', bytes);
      ok(await client.load({ url, method: 'native', integrity: 'MD5', checksum: digest('md5', bytes) }));
      ok(await client.load({ url, method: 'native', integrity: 'SHA512', checksum: digest('sha512', bytes).toUpperCase() }));
      await failsAt({ url, method: 'native', integrity: 'SHA256', checksum: 'ab'.repeat(32) }, 'integrity', /has SHA256 [0-9a-f]{64}, not the checksum/);
      await failsAt({ url, method: 'native', integrity: 'MD5', checksum: 'ab'.repeat(16) }, 'integrity', /MD5/);
    });

    it('BasicAuth from user and passwd; wrong credentials fail at auth', async () => {
      const bytes = Buffer.from('private image');
      const url = images.serve('private.bin', bytes, { auth: 'loader:s3cret' });
      ok(await client.load({ url, method: 'native', user: 'loader', passwd: 's3cret' }));
      const c = await failsAt({ url, method: 'native', user: 'loader', passwd: 'wrong' }, 'auth', /refused the credentials of user "loader" \(HTTP 401\)/);
      assert.doesNotMatch(c.error!.message, /wrong/, 'the password is never repeated');
      await failsAt({ url, method: 'native' }, 'auth', /asks for credentials/);
    });

    it('a redirect, a download page, a 404 and a refused connection fail at fetch', async () => {
      images.served.set('/images/moved.bin', { status: 302, headers: { location: `${images.base}/images/fw2.bin` } });
      await failsAt({ url: `${images.base}/images/moved.bin`, method: 'native' }, 'fetch', /answered with a redirect \(302/);
      images.serve('page.bin', Buffer.from('<!DOCTYPE html><html><body>Click to download</body></html>'), { headers: { 'content-type': 'text/html; charset=utf-8' } });
      await failsAt({ url: `${images.base}/images/page.bin`, method: 'native' }, 'fetch', /is a web page .* not an image/);
      await failsAt({ url: `${images.base}/images/nothing.bin`, method: 'native' }, 'fetch', /HTTP 404/);
      await failsAt({ url: 'http://127.0.0.1:1/fw.bin', method: 'native' }, 'fetch', /could not download http:\/\/127\.0\.0\.1:1\/fw\.bin/);
    });

    it('an endless download stops at the size limit; a trickling one at the time limit', async () => {
      images.served.set('/images/endless.bin', { endless: true });
      await failsAt({ url: `${images.base}/images/endless.bin`, method: 'native' }, 'fetch', /more than the agent's limit of 4194304 bytes/);
      images.served.set('/images/trickle.bin', { trickle: true });
      const started = Date.now();
      await failsAt({ url: `${images.base}/images/trickle.bin`, method: 'native' }, 'fetch', /was not downloaded within 4 s/);
      assert.ok(Date.now() - started < 8000);
    });

    it('the Thing stopped mid-load: its download and its setup script end at once, the completion says so, nothing is installed, and it loads again once started', async () => {
      const agent = env.fleet.agent(THING)!;
      const before = snapshot(client.images!);
      const appsBefore = (await agent.thing.listApps()).map((a) => [a.id, a.state]);
      const stopWhen = async (started: () => boolean) => {
        while (!started()) await new Promise((r) => setTimeout(r, 20));
        const t0 = Date.now();
        await agent.stop();
        return Date.now() - t0;
      };
      // A download that trickles (it would take the 4 s limit): stopped while it comes.
      images.served.set('/images/trickle-stop.bin', { trickle: true });
      const trickling = client.load({ url: `${images.base}/images/trickle-stop.bin`, method: 'native' });
      const downloadStop = await stopWhen(() => (images.hits.get('/images/trickle-stop.bin') ?? 0) > 0);
      const cut = await trickling;
      assert.equal(cut.error?.code, 'fetch', JSON.stringify(cut.error));
      assert.match(cut.error!.message, /the download of http:\/\/127\.0\.0\.1:\d+\/images\/trickle-stop\.bin was stopped: the Thing stopped/);
      assert.ok(downloadStop < 1000, `the stop waited ${downloadStop} ms for the download`);
      await agent.start();
      // A setup script that would run for a minute: killed with its Thing.
      const sleeper = "#!/usr/bin/env node\nconsole.error('working');\nsetTimeout(() => require('fs').writeFileSync(process.env.SMARTPLUG_INSTALL + '/late.json', '{}'), 60000);\n";
      const events = client.events.length;
      const sleeping = client.load({ url: images.serve('sleeper.zip', await zipOf({ setup: sleeper })), method: 'setup' });
      // The script has started once its folder exists; a moment more and it is running.
      await new Promise((r) => setTimeout(r, 800));
      const scriptStop = await stopWhen(() => true);
      const killed = await sleeping;
      assert.equal(killed.error?.code, 'script', JSON.stringify(killed.error));
      assert.match(killed.error!.message, /the setup script of sleeper\.zip was stopped: the Thing stopped/);
      assert.ok(scriptStop < 2000, `the stop waited ${scriptStop} ms for the script`);
      assert.ok(client.events.length >= events);
      await agent.start();
      await agent.loadsIdle();
      const m = await client.imagesWhen(() => true);
      assert.equal(snapshot(m), before, 'nothing was installed');
      assert.deepEqual((await agent.thing.listApps()).map((a) => [a.id, a.state]), appsBefore, 'the apps run on');
      ok(await client.load({ url: images.serve('after-stop.bin', Buffer.from('firmware after the stop')), method: 'native' }));
    });

    it('an image hosted in the broker (iapmq)', async () => {
      const bytes = Buffer.from('small image in the broker');
      const topic = topics.hostedImage(THING, 'small.bin');
      await env.service.mqtt.publishAsync(topic, bytes, { qos: 1, retain: true });
      ok(await client.load({ url: `iapmq:${topic}`, method: 'native', integrity: 'SHA256', checksum: digest('sha256', bytes) }));
      await client.imagesWhen((m) => m.firmware['']?.sha256 === digest('sha256', bytes));
      await env.service.mqtt.publishAsync(topic, '', { qos: 1, retain: true });
      await failsAt({ url: `iapmq:${topics.hostedImage('thing-2', 'x')}`, method: 'native' }, 'fetch', /its own request channel only/);
      await failsAt({ url: `iapmq:${topics.hostedImage(THING, 'absent.bin')}`, method: 'native' }, 'fetch', /holds no retained image/);
    });

    it('type is a POSIX BRE matched against the Thing\'s type (its model) before anything is fetched', async () => {
      const url = images.serve('typed.bin', Buffer.from('typed'));
      ok(await client.load({ url, method: 'native', type: '^ho[a-z]\\{2\\}$' }));
      const hits = images.hitsOf(url);
      await failsAt({ url, method: 'native', type: '^8000010203040506$' }, 'type', /does not match the Thing's type "home"/);
      assert.equal(images.hitsOf(url), hits, 'nothing was downloaded');
    });
  });

  describe('targets and methods', () => {
    it('a native image for a device, on its do topic, checked against the device\'s type', async () => {
      const bytes = Buffer.from('door firmware 2');
      const url = images.serve('door.bin', bytes);
      ok(await client.load({ url, method: 'native', type: '^Zigbee' }, { topic: topics.deviceDo(THING, 'zb', 'front-door') }));
      const m = await client.imagesWhen((i) => i.firmware['zb/front-door'] !== undefined);
      assert.equal(m.firmware['zb/front-door'].image, 'door.bin');
      await failsAt({ url, method: 'native', type: '^Z-Wave' }, 'type', /does not match device front-door \(zb\)'s type "Zigbee Door"/, { topic: topics.deviceDo(THING, 'zb', 'front-door') });
      await failsAt({ url, method: 'native' }, 'request', /no device "garage"/, { topic: topics.deviceDo(THING, 'zb', 'garage') });
      await failsAt({ url, method: 'setup' }, 'method', /for the edge server itself, not for device front-door/, { topic: topics.deviceDo(THING, 'zb', 'front-door') });
    });

    it('native: a zip holding exactly one file is that file; any other zip is the image itself', async () => {
      const one = await zipOf({ 'LON_app_v3.apb': 'neuron application' });
      ok(await client.load({ url: images.serve('wrapped.zip', one), method: 'native' }));
      let m = await client.imagesWhen((i) => i.firmware['']?.image === 'LON_app_v3.apb');
      assert.equal(m.firmware[''].size, 'neuron application'.length);
      const two = await zipOf({ 'a.bin': 'a', 'b.bin': 'b' });
      ok(await client.load({ url: images.serve('two.zip', two), method: 'native' }));
      m = await client.imagesWhen((i) => i.firmware['']?.image === 'two.zip');
      assert.equal(m.firmware[''].sha256, digest('sha256', two));
    });

    it('setup without a script: the generic setup installs the recognised resources, behind imgpwd (AES and ZipCrypto)', async () => {
      const files = { 'meter.mod': MODBUS, 'lon/device.xif': 'File: device.xif generated by NodeBuilder\n', 'drf/types.xml': '<?xml version="1.0"?><resources/>', 'app.amd': 'metadata' };
      ok(await client.load({ url: images.serve('resources.zip', await zipOf(files, { password: 'open sesame' })), method: 'setup', imgpwd: 'open sesame' }));
      const m = await client.imagesWhen((i) => i.resources['meter.mod'] !== undefined);
      assert.deepEqual(Object.fromEntries(Object.entries(m.resources).filter(([k]) => k in files).map(([k, r]) => [k, r.kind])), { 'meter.mod': 'modbus', 'lon/device.xif': 'xif', 'drf/types.xml': 'drf-xml', 'app.amd': 'amd' });
      ok(await client.load({ url: images.serve('zipcrypto.zip', await zipOf({ 'old.xif': 'File: old.xif\n' }, { password: 'pw', zipCrypto: true })), method: 'setup', imgpwd: 'pw' }));
      await client.imagesWhen((i) => i.resources['old.xif'] !== undefined);
    });

    it('setup: a wrong or missing imgpwd fails at unpack; unknown files, DRF/bin and app bundles fail the generic setup', async () => {
      const locked = images.serve('locked.zip', await zipOf({ 'a.xif': 'x' }, { password: 'right' }));
      await failsAt({ url: locked, method: 'setup', imgpwd: 'wrong' }, 'unpack', /imgpwd does not open the member "a\.xif"/);
      await failsAt({ url: locked, method: 'setup' }, 'unpack', /is encrypted, and the load action has no imgpwd/);
      await failsAt({ url: images.serve('notzip.bin', Buffer.from('plain bytes')), method: 'setup' }, 'unpack', /is not a ZIP archive/);
      await failsAt({ url: images.serve('unknown.zip', await zipOf({ 'ok.xif': 'x', 'tool.exe': 'MZ' })), method: 'setup' }, 'script', /does not know what to do with tool\.exe/);
      await failsAt({ url: images.serve('drfbin.zip', await zipOf({ 'types.typ': 'bin' })), method: 'setup' }, 'script', /binary device resource files \(DRF\/bin\) are not supported/);
      await failsAt({ url: images.serve('badmod.zip', await zipOf({ 'x.mod': 'not modbus' })), method: 'setup' }, 'script', /does not begin with "#filetype,Modbus_xif"/);
      await failsAt({ url: images.serve('bundle.zip', await zipOf({ 'app.json': '{}', 'app.js': '' })), method: 'setup' }, 'script', /is a SmartPlug app bundle/);
      await failsAt({ url: images.serve('escape-member.zip', await zipOf({ '../escape.xif': 'x' })), method: 'setup' }, 'unpack', /leads out of the archive|Unsafe filename/);
    });

    it('setup with a Node script: it runs in its folder, and what it puts in $SMARTPLUG_INSTALL is installed', async () => {
      const setup = "#!/usr/bin/env node\nconst fs = require('fs');\nfs.writeFileSync(process.env.SMARTPLUG_INSTALL + '/calibration.json', fs.readFileSync('data/cal.json'));\nconsole.error('installed calibration');\n";
      ok(await client.load({ url: images.serve('scripted.zip', await zipOf({ setup, 'data/cal.json': '{"offset": 2}' })), method: 'setup' }));
      const m = await client.imagesWhen((i) => i.resources['calibration.json'] !== undefined);
      assert.equal(m.resources['calibration.json'].kind, 'file');
      assert.equal(m.resources['calibration.json'].size, '{"offset": 2}'.length);
    });

    it('setup scripts cannot write outside their folder, and a failing one reports its stderr and exit code', async () => {
      const outside = path.join(root, 'escaped.txt');
      const escape = `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(outside)}, 'out');\n`;
      await failsAt({ url: images.serve('escape.zip', await zipOf({ setup: escape })), method: 'setup' }, 'script', /exited with code [1-9]\d*: .*(EACCES|ERR_ACCESS_DENIED|EROFS|ENOENT|Read-only)/s);
      assert.equal(existsSync(outside), false, 'nothing was written outside');
      const failing = "#!/usr/bin/env node\nconsole.error('the device table is missing');\nprocess.exit(3);\n";
      await failsAt({ url: images.serve('failing.zip', await zipOf({ setup: failing })), method: 'setup' }, 'script', /exited with code 3: the device table is missing/);
      await failsAt({ url: images.serve('noshebang.zip', await zipOf({ setup: 'echo hi' })), method: 'setup' }, 'script', /has no #! line/);
    });

    (bubblewrap() ? it : it.skip)('setup with a shell script, confined by bubblewrap: no writes outside, no network', async () => {
      const sh = '#!/bin/sh\nset -e\necho "zone=2" > "$SMARTPLUG_INSTALL/zone.cfg"\n';
      ok(await client.load({ url: images.serve('shell.zip', await zipOf({ setup: sh })), method: 'setup' }));
      await client.imagesWhen((i) => i.resources['zone.cfg'] !== undefined);
      const outside = path.join(root, 'sh-escaped.txt');
      await failsAt({ url: images.serve('shell-escape.zip', await zipOf({ setup: `#!/bin/sh\necho out > ${outside}\n` })), method: 'setup' }, 'script', /exited with code [1-9]\d*: .*(Read-only|No such file|Permission denied|nonexistent)/s);
      const port = new URL(images.base).port;
      const net = `#!/usr/bin/env node\nrequire('http').get('http://127.0.0.1:${port}/images/fw2.bin', () => process.exit(0)).on('error', (e) => { console.error('no network: ' + e.code); process.exit(4); });\n`;
      await failsAt({ url: images.serve('net.zip', await zipOf({ setup: net })), method: 'setup' }, 'script', /exited with code 4: no network: (ECONNREFUSED|ENETUNREACH|EADDRNOTAVAIL)/);
    });

    it('hybrid: members applied in the numeric order of their suffixes, as one change', async () => {
      const inner = await zipOf({ 'hybrid.xif': 'File: hybrid.xif\n', 'shared.amd': 'from setup.10' });
      const later = await zipOf({ 'shared.amd': 'from setup.100' });
      const hybrid = await zipOf({ 'setup.100': later, 'native.2': 'firmware in a hybrid', 'setup.10': inner });
      const c = await client.load({ url: images.serve('combo.glp', hybrid), method: 'hybrid' });
      ok(c);
      const m = await client.imagesWhen((i) => i.resources['hybrid.xif'] !== undefined);
      assert.equal(m.firmware[''].image, 'combo.glp:native.2');
      assert.equal(m.resources['shared.amd'].size, 'from setup.100'.length, 'setup.100 came after setup.10');
      const info = client.events.filter((e) => e.message.includes('combo.glp')).pop()!;
      assert.ok(info.message.indexOf('native.2') < info.message.indexOf('setup.10') && info.message.indexOf('setup.10') < info.message.indexOf('setup.100'), info.message);
    });

    it('hybrid: a system member, ambiguous numbers, bad member names and a failing member are refused whole', async () => {
      await failsAt({ url: images.serve('h-system.zip', await zipOf({ 'setup.1': await zipOf({ 'a.xif': 'x' }), 'system.2': await zipOf({}) })), method: 'hybrid' }, 'method', /"system\.2" is a system image/);
      await failsAt({ url: images.serve('h-same.zip', await zipOf({ 'setup.1': 'x', 'native.01': 'y' })), method: 'hybrid' }, 'method', /same sequence number/);
      await failsAt({ url: images.serve('h-name.zip', await zipOf({ 'firmware.bin': 'x' })), method: 'hybrid' }, 'method', /hybrid member "firmware\.bin": "firmware" is not a load method/);
      await failsAt({ url: images.serve('h-fail.zip', await zipOf({ 'native.1': 'ok', 'setup.2': await zipOf({ 'x.exe': 'x' }) })), method: 'hybrid' }, 'script', /x\.exe/);
      await failsAt({ url: images.serve('h-custom.zip', await zipOf({ 'iox.ble.1': 'x' })), method: 'hybrid' }, 'method', /non-standard load method "iox\.ble"/);
    });

    it('a non-standard method is refused unless the Thing declares it', async () => {
      await failsAt({ url: images.serve('ble.bin', Buffer.from('ble')), method: 'iox.ble' }, 'method', /does not support the non-standard load method "iox\.ble"/);
    });

    it('bad requests fail at request, with the language server\'s words', async () => {
      await failsAt({ method: 'native' }, 'request', /no "url", which is required/);
      await failsAt({ url: images.serve('r.bin', Buffer.from('r')), method: 'native', image: 'r.bin' }, 'request', /"image" is a manifest property/);
      const wrongTopic = `glp/0/thing-2/ev/=cms/response/load`;
      const before = client.events.length;
      await env.service.mqtt.publishAsync(topics.thingDo(THING), JSON.stringify({ action: 'load', args: { url: images.serve('r.bin', Buffer.from('r')), method: 'native', response: wrongTopic } }), { qos: 1 });
      const until = Date.now() + 5000;
      while (!client.events.slice(before).some((e) => /cannot publish its completion on glp\/0\/thing-2/.test(e.message)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.ok(client.events.slice(before).some((e) => e.code === 'request'), 'an error event says why');
      await env.service.mqtt.publishAsync(topics.thingDo(THING), '{not json', { qos: 1 });
      await env.service.mqtt.publishAsync(topics.thingDo(THING), JSON.stringify({ action: 'wink' }), { qos: 1 });
      while (!client.events.slice(before).some((e) => /"wink"/.test(e.message)) && Date.now() < until + 5000) await new Promise((r) => setTimeout(r, 20));
      assert.ok(client.events.slice(before).some((e) => /is not JSON/.test(e.message)));
    });
  });

  describe('manifests, switchover and system images', () => {
    it('an outer archive: its manifest names a member as the image, and its type must match too', async () => {
      const inner = Buffer.from('inner firmware v3');
      const manifest = { image: 'fw_v3.bin', version: '3.0.1', issuer: 'ACME', description: 'Fixes the relay', method: 'native', integrity: 'SHA256', checksum: digest('sha256', inner), type: '^home$' };
      const outer = await zipOf({ 'manifest.json': JSON.stringify(manifest), 'fw_v3.bin': inner });
      ok(await client.load({ url: images.serve('update.glpo', outer), method: 'native' }));
      const m = await client.imagesWhen((i) => i.firmware['']?.image === 'fw_v3.bin');
      assert.equal(m.firmware[''].version, '3.0.1');
      assert.equal(m.firmware[''].issuer, 'ACME');
      const typed = await zipOf({ 'manifest.json': JSON.stringify({ ...manifest, type: '^office$' }), 'fw_v3.bin': inner });
      await failsAt({ url: images.serve('typed.glpo', typed), method: 'native' }, 'type', /the manifest of fw_v3\.bin's type "\^office\$" does not match/);
      await failsAt({ url: images.serve('method.glpo', outer), method: 'setup' }, 'method', /differs from the manifest's "native"/);
      const damaged = await zipOf({ 'manifest.json': JSON.stringify({ ...manifest, checksum: 'cd'.repeat(32) }), 'fw_v3.bin': inner });
      await failsAt({ url: images.serve('damaged.glpo', damaged), method: 'native' }, 'integrity', /fw_v3\.bin in damaged\.glpo has SHA256/);
      await failsAt({ url: images.serve('badmanifest.glpo', await zipOf({ 'manifest.json': JSON.stringify({ version: '1', method: 'native' }), x: 'y' })), method: 'native' }, 'unpack', /no "image", which is required/);
    });

    it('an outer archive whose manifest refers to a remote image, fetched with the manifest\'s credentials', async () => {
      const remote = Buffer.from('remote firmware');
      const remoteUrl = images.serve('remote_fw.bin', remote, { auth: 'cdn:pw' });
      const outer = await zipOf({ 'manifest.json': JSON.stringify({ image: remoteUrl, version: '4', method: 'native', user: 'cdn', passwd: 'pw', integrity: 'SHA256', checksum: digest('sha256', remote) }) });
      ok(await client.load({ url: images.serve('remote.glpo', outer), method: 'native' }));
      await client.imagesWhen((i) => i.firmware['']?.image === 'remote_fw.bin' && i.firmware[''].version === '4');
      const badAuth = await zipOf({ 'manifest.json': JSON.stringify({ image: remoteUrl, method: 'native', user: 'cdn', passwd: 'nope' }) });
      await failsAt({ url: images.serve('remote-auth.glpo', badAuth), method: 'native' }, 'auth', /refused the credentials of user "cdn"/);
    });

    it('a switchover in the future: prepared now, applied at that time, then the completion', async () => {
      const bytes = Buffer.from('scheduled firmware');
      const url = images.serve('scheduled.bin', bytes);
      const at = Date.now() + 2500;
      const sent = Date.now();
      const completion = client.load({ url, method: 'native', switchover: formatIapTimestamp(at) });
      const waiting = await client.imagesWhen((i) => i.scheduled.length === 1);
      assert.equal(waiting.scheduled[0].url, url);
      assert.notEqual(waiting.firmware['']?.image, 'scheduled.bin', 'not applied before the switchover');
      ok(await completion);
      assert.ok(Date.now() >= at - 5, `applied at the switchover (after ${Date.now() - sent} ms)`);
      const m = await client.imagesWhen((i) => i.scheduled.length === 0 && i.firmware['']?.image === 'scheduled.bin');
      assert.equal(m.firmware[''].sha256, digest('sha256', bytes));
      // A switchover in the past is immediate.
      ok(await client.load({ url, method: 'native', switchover: '2016-09-28 12:00:00.000 UTC' }));
    });

    it('system: lead-in, install, a reboot the broker sees, confirmation, and the new version in About', async () => {
      const system = await zipOf({ 'manifest.json': JSON.stringify({ image: 'rootfs.zip', version: '2.0.0', method: 'system' }), 'rootfs.zip': await zipOf({ 'base.xif': 'File: base.xif\n', confirm: '#!/usr/bin/env node\nprocess.exit(0)\n' }) });
      const connections = client.connections.length;
      const appsBefore = await env.fleet.agent(THING)!.thing.listApps();
      const aboutSeen: string[] = [];
      env.service.mqtt.on('message', (t, p) => t === topics.about(THING) && aboutSeen.push((JSON.parse(p.toString()) as { version: string }).version));
      await env.service.mqtt.subscribeAsync(topics.about(THING));
      ok(await client.load({ url: images.serve('system2.glpo', system), method: 'system' }));
      const m = await client.imagesWhen((i) => i.system.version === '2.0.0');
      assert.equal(m.system.image?.image, 'rootfs.zip');
      assert.deepEqual(client.connections.slice(connections), [false, true], 'the Thing went offline and came back');
      assert.equal(aboutSeen[aboutSeen.length - 1], '2.0.0');
      const apps = await env.fleet.agent(THING)!.thing.listApps();
      assert.ok(apps.length > 0);
      assert.deepEqual(apps.map((a) => [a.id, a.state, a.subscriptions.length]), appsBefore.map((a) => [a.id, a.state, a.subscriptions.length]), 'its apps run again after the reboot, with their state and subscriptions');
    });

    it('system: a failed confirmation rolls back to the version before, after a second reboot', async () => {
      const bad = await zipOf({ 'manifest.json': JSON.stringify({ image: 'rootfs3.zip', version: '3.0.0', method: 'system' }), 'rootfs3.zip': await zipOf({ 'v3.xif': 'File: v3.xif\n', confirm: "#!/usr/bin/env node\nconsole.error('watchdog: relay driver missing');\nprocess.exit(1)\n" }) });
      const connections = client.connections.length;
      const c = await failsAt({ url: images.serve('system3.glpo', bad), method: 'system' }, 'method', /system 3\.0\.0 was not confirmed \(the confirm script of rootfs3\.zip exited with code 1: watchdog: relay driver missing\); the Thing was rolled back to system 2\.0\.0/);
      assert.equal((c.error!.data as { reason?: string }).reason, 'rollback');
      assert.deepEqual(client.connections.slice(connections), [false, true, false, true], 'rebooted into the new system, then back');
      assert.equal(client.images!.resources['v3.xif'], undefined);
      await failsAt({ url: images.serve('system-dev.zip', await zipOf({ 'a.xif': 'x' })), method: 'system' }, 'method', /for the edge server itself/, { topic: topics.deviceDo(THING, 'zb', 'front-door') });
    });

    it('what was loaded survives a restart of the fleet', async () => {
      const dir = path.join(root, 'state');
      await env.close();
      env = await LocalEnvironment.start({ dir, things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
      client = await LoadClient.start(env.service.mqtt, THING);
      const m = await client.imagesWhen((i) => i.system.version === '2.0.0');
      assert.equal(m.firmware['zb/front-door'].image, 'door.bin');
      assert.ok(m.resources['zone.cfg'] || m.resources['calibration.json']);
    });
  });
});
