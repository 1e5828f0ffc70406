/**
 * `smartplug` installed the ways a CLI is installed: from the `npm pack` tarball with
 * `npm install -g`, run with `npx` in this checkout, and `npm link`ed. Everything goes into a fresh
 * temporary folder (prefix and npm cache): nothing global is touched. The folders have spaces in
 * their names and are reached through symlinks too, as users' folders are.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

describe('smartplug installed like a CLI (npm pack, npm install -g, npx, npm link)', function () {
  this.timeout(180_000);
  let tmp: string;
  let tarball: string;
  /** A user's app folder with a scenario beside app.json: `cd "my app" && smartplug test my.scenario.json`. */
  let app: string;
  /** The npm cache of these tests only. */
  let cache: string;

  const npmEnv = () => ({ ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' });

  function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
    return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  }

  function ok(r: SpawnSyncReturns<string>, what: string): string {
    assert.equal(r.status, 0, `${what} exited with ${r.status} (${r.signal ?? 'no signal'}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** The scenario file's run, through `bin`, from inside the app folder: every scenario passes. */
  function passesInApp(bin: string, cwd = app): void {
    const out = ok(run(bin, ['test', 'my.scenario.json'], cwd), `${bin} test my.scenario.json`);
    assert.match(out, /^3 passed, 0 failed$/m);
  }

  before(function () {
    tmp = mkdtempSync(path.join(tmpdir(), 'smartplug install '));
    cache = path.join(tmp, 'npm cache');
    // A cache of our own: npm install -g must not need the registry (the bundles hold every dependency).
    const packed = ok(run(NPM, ['pack', '--pack-destination', tmp, '--json'], ROOT, npmEnv()), 'npm pack');
    const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[];
    tarball = path.join(tmp, info.filename);
    app = path.join(tmp, 'my app');
    cpSync(path.join(ROOT, 'examples', 'motion-light'), app, { recursive: true });
    const scenario = JSON.parse(readFileSync(path.join(app, 'tests', 'motion-light.scenario.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { scenarios: unknown[]; devices: string; config: string };
    scenario.devices = 'devices.json';
    scenario.config = 'instance.json';
    scenario.scenarios = scenario.scenarios.slice(0, 3);
    writeFileSync(path.join(app, 'my.scenario.json'), JSON.stringify(scenario, null, 2));
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('npm pack ships what the CLI runs, and nothing of the checkout besides', () => {
    const listing = ok(run('tar', ['-tzf', tarball], tmp), 'tar -t').split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
    const needed = ['bin/smartplug.js', 'dist/runtime/cli.js', 'dist/runtime/worker.js', 'dist/runtime/engine-thread.js', 'dist/platform/cli.js', 'dist/platform/node-sqlite3-wasm.wasm', 'package.json', 'README.md', 'LICENSE'];
    // smartplug up deploys the example app on first start: it ships, and nothing else of examples/.
    const example = ['examples/door-light/app.js', 'examples/door-light/app.json', 'examples/door-light/instance.json'];
    for (const f of [...needed, ...example]) assert.ok(listing.includes(f), `${f} is in the package: ${listing.join(' ')}`);
    assert.deepEqual(listing.filter((f) => /^(test|runtime|server|client|examples|bench)\/|\.map$|\.ts$/.test(f) && !f.endsWith('.d.ts') && !example.includes(f)), []);
  });

  /** Runs a long-running command until it prints `ready`, then stops it with Ctrl-C; its whole output. */
  function untilReadyThenStop(command: string, args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${command} ${args.join(' ')} was not ready within 60 s:\n${out}`));
      }, 60_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (/^ready/m.test(out) && !child.killed) child.kill('SIGINT');
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', () => {
        clearTimeout(timer);
        resolve(out);
      });
    });
  }

  it('npm install -g (into a temporary prefix with a space in it): smartplug runs from the bin symlink, in the app folder, through a symlinked prefix too', async () => {
    const prefix = path.join(tmp, 'global prefix');
    // Offline: the package has no dependencies to fetch, so an offline user can install it.
    ok(run(NPM, ['install', '--global', '--prefix', prefix, '--offline', tarball], tmp, npmEnv()), 'npm install -g');
    assert.ok(!existsSync(path.join(prefix, 'lib', 'node_modules', 'smartplug-apps-ide', 'node_modules')), 'npm install -g installed dependencies the bundles already hold');
    const bin = path.join(prefix, 'bin', 'smartplug');
    assert.notEqual(realpathSync(bin), bin, 'npm installs the command as a symlink');
    assert.equal(ok(run(bin, ['--version'], app), 'smartplug --version').trim(), JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    passesInApp(bin);
    // --allow-read naming the folder the run is in, the scenario's own folder, and a folder whose
    // name starts with the app folder's ("my app data"; Node 20 then denied listing "my app"):
    // nothing is denied, and the folder is searched for every scenario in it.
    const data = path.join(tmp, 'my app data');
    mkdirSync(data);
    const allowed = ok(run(bin, ['test', 'my.scenario.json', '--allow-read', app, '--allow-read', '.', '--allow-read', data], app), 'smartplug test --allow-read');
    assert.match(allowed, /^3 passed, 0 failed$/m);
    const everything = ok(run(bin, ['test', '--allow-read', data], app), 'smartplug test --allow-read (the whole folder)');
    assert.match(everything, /^9 passed, 0 failed$/m);
    // The prefix and the app reached through symlinks (two hops to the CLI's real file).
    const linkedPrefix = path.join(tmp, 'linked prefix');
    symlinkSync(prefix, linkedPrefix);
    const linkedApp = path.join(tmp, 'linked app');
    symlinkSync(app, linkedApp);
    const viaLinks = ok(run(path.join(linkedPrefix, 'bin', 'smartplug'), ['test', path.join(linkedApp, 'my.scenario.json'), '--format', 'json'], tmp), 'smartplug test via symlinks');
    const ends = viaLinks.trim().split('\n').map((l) => JSON.parse(l) as { event: string; ok?: boolean }).filter((e) => e.event === 'scenario-end');
    assert.deepEqual(ends.map((e) => e.ok), [true, true, true]);
    // smartplug run starts its worker from the installed package as well.
    const status = ok(run(bin, ['run', '.', '--config', 'instance.json', '--devices', 'devices.json', '--virtual', '--json'], app), 'smartplug run');
    assert.match(status, /"type":"worker","change":"started","pid":\d+,"permissionModel":true/);
    // And smartplug up: the embedded store's WebAssembly, the broker and the example app all come from the package.
    const up = await untilReadyThenStop(bin, ['up', '--dir', path.join(tmp, 'my platform'), '--things', '1'], app);
    assert.match(up, /first start: deployed Door light 1\.0\.0/, up);
    assert.match(up, /^ready in \d+ ms: 1 of 1 Things run their apps/m, up);
    assert.match(up, /^stopped$/m, up);
  });

  it('npx smartplug in this checkout (the README\'s way), for the examples and for an app elsewhere', () => {
    assert.ok(existsSync(path.join(ROOT, 'dist', 'runtime', 'cli.js')), 'npm pack built dist/');
    // npx runs the checkout's own bin through a symlink in its cache (ours, in the temporary folder).
    const examples = ok(run(NPX, ['--yes', 'smartplug', 'test', 'examples/motion-light'], ROOT, npmEnv()), 'npx smartplug test examples/motion-light');
    assert.match(examples, /^6 passed, 0 failed$/m);
    const elsewhere = ok(run(NPX, ['--yes', 'smartplug', 'test', path.join(app, 'my.scenario.json')], ROOT, npmEnv()), 'npx smartplug test <app elsewhere>');
    assert.match(elsewhere, /^3 passed, 0 failed$/m);
  });

  it('npm link (into a temporary prefix): the linked smartplug runs from the checkout', () => {
    const prefix = path.join(tmp, 'link prefix');
    mkdirSync(prefix);
    // `npm link` is global by nature; npm_config_prefix points "global" at the temporary prefix.
    ok(run(NPM, ['link'], ROOT, { ...npmEnv(), npm_config_prefix: prefix }), 'npm link');
    const bin = path.join(prefix, 'bin', 'smartplug');
    assert.equal(realpathSync(bin), realpathSync(path.join(ROOT, 'bin', 'smartplug.js')));
    assert.deepEqual(readdirSync(path.join(prefix, 'lib', 'node_modules')), ['smartplug-apps-ide']);
    passesInApp(bin);
  });
});
