import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeLauncher } from '../../client/terminal/launcher';
import { ROOT } from './cli-helpers';
import { assertFreshDist } from '../support/fresh-dist';

describe('client: the smartplug launcher on the integrated terminal\'s PATH', function () {
  before(() => assertFreshDist());
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'smartplug launcher '));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs the extension\'s CLI bundle with the given Node, by name from PATH, from any folder, whatever the paths hold', function () {
    if (process.platform === 'win32') this.skip();
    // The extension installed where the path has a space and a quote, reached through a symlink.
    const extension = path.join(tmp, "it's the extension");
    symlinkSync(ROOT, extension);
    const dir = path.join(tmp, 'global storage', 'bin');
    const file = writeLauncher({ dir, execPath: process.execPath, cliPath: path.join(extension, 'dist', 'runtime', 'cli.js') });
    assert.equal(file, path.join(dir, 'smartplug'));
    // Electron runs as Node only inside the launcher.
    assert.match(readFileSync(file, 'utf8'), /^ELECTRON_RUN_AS_NODE=1 exec /m);
    const sh = (command: string, cwd: string) => spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` } });
    const version = sh('smartplug --version', tmp);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const test = sh('smartplug test tests', path.join(ROOT, 'examples', 'motion-light'));
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /^6 passed, 0 failed$/m);
  });

  it('writes a .cmd for Windows that keeps ELECTRON_RUN_AS_NODE to itself', () => {
    const file = writeLauncher({ dir: path.join(tmp, 'win'), execPath: 'C:\\Program Files\\Code\\Code.exe', cliPath: 'C:\\ext dir\\dist\\runtime\\cli.js', platform: 'win32' });
    assert.equal(path.basename(file), 'smartplug.cmd');
    assert.equal(readFileSync(file, 'utf8'), '@echo off\r\nsetlocal\r\nset ELECTRON_RUN_AS_NODE=1\r\n"C:\\Program Files\\Code\\Code.exe" "C:\\ext dir\\dist\\runtime\\cli.js" %*\r\n');
  });
});
