/**
 * `smartplug deploy` through the built CLI against a running local platform: a deploy, a version
 * that does not go up, an app with an error, a rename refused (seed 000) and deployed as a new app
 * when asked, and no platform at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi } from '../support/platform-api';

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'smartplug.js');

describe('smartplug deploy', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let app: string;

  /** The CLI as a child process, waited for without blocking: the platform it talks to runs in this process. */
  const cli = (args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const deploy = (...args: string[]) => cli(['deploy', ...args], root);
  const setAppJson = (edit: (j: any) => void) => {
    const file = path.join(app, 'app.json');
    const j = JSON.parse(readFileSync(file, 'utf8'));
    edit(j);
    writeFileSync(file, JSON.stringify(j, null, 2));
  };

  before(async () => {
    assertFreshDist(['platform/cli', 'runtime/cli']);
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-deploy-'));
    // The local platform in root/.smartplug, as `smartplug up` in root would make it.
    env = await LocalEnvironment.start({ dir: path.join(root, '.smartplug'), things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    app = path.join(root, 'my light');
    cpSync(exampleAppDir(), app, { recursive: true });
  });

  after(async () => {
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('deploys a new version with the platform and token of ./.smartplug', async () => {
    setAppJson((j) => (j.version = '1.1.0'));
    const r = await deploy('my light');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^deployed Door light 1\.1\.0 as app 1 \(sha256 [0-9a-f]{64}\)$/m);
    const apps = (await new PlatformApi(env.endpoints.platform, env.adminToken).get('/api/apps')).body.apps;
    assert.deepEqual(apps[0].versions.map((v: any) => v.version), ['1.0.0', '1.1.0']);
  });

  it('refuses a version that does not go up, saying so', async () => {
    const r = await deploy('my light');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /1\.1\.0/);
    assert.match(r.stderr, /above|higher|greater|raise/i);
  });

  it('refuses an app with an error before sending it, naming file and line', async () => {
    writeFileSync(path.join(app, 'app.js'), readFileSync(path.join(app, 'app.js'), 'utf8') + '\nfunction broken( {\n');
    const r = await deploy('my light');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /app\.js:\d+:\d+/);
    cpSync(path.join(exampleAppDir(), 'app.js'), path.join(app, 'app.js'));
  });

  it('refuses to rename a deployed app (seed 000), and deploys it as a new app when asked', async () => {
    setAppJson((j) => {
      j.name = 'Porch light';
      j.version = '1.2.0';
    });
    const refused = await deploy('my light');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /deployed to .* as "Door light" \(app 1\), and its app\.json now names it "Porch light"\. A deployed app cannot be renamed/);
    assert.match(refused.stderr, /Put "name": "Door light" back in app\.json, or deploy it as a new app with --as-new-app/);
    const api = new PlatformApi(env.endpoints.platform, env.adminToken);
    assert.equal((await api.get('/api/apps')).body.apps.length, 1, 'nothing was deployed');
    const asNew = await deploy('my light', '--as-new-app');
    assert.equal(asNew.status, 0, asNew.stderr);
    assert.match(asNew.stdout, /^deployed Porch light 1\.2\.0 as app (?!1 )\d+ /m);
    assert.deepEqual((await api.get('/api/apps')).body.apps.map((a: any) => a.name).sort(), ['Door light', 'Porch light']);
    // From then on the folder is the new app: deploying it again needs no flag.
    setAppJson((j) => (j.version = '1.3.0'));
    assert.equal((await deploy('my light')).status, 0);
  });

  it('without a platform, says how to get one', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'smartplug-nowhere-'));
    try {
      const r = await cli(['deploy', app], elsewhere, { ...process.env, SMARTPLUG_TOKEN: '' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /no platform: start one with "smartplug up"/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
