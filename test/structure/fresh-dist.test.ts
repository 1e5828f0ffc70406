import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { staleBundle } from '../support/fresh-dist';

describe('tests that run dist/ refuse a dist/ older than its sources', () => {
  let root: string;
  const at = (file: string, seconds: number) => utimesSync(path.join(root, file), seconds, seconds);
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-dist-'));
    mkdirSync(path.join(root, 'dist', 'runtime'), { recursive: true });
    mkdirSync(path.join(root, 'runtime', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'runtime', 'cli.ts'), '');
    writeFileSync(path.join(root, 'runtime', 'cli', 'test-command.ts'), '');
    writeFileSync(path.join(root, 'dist', 'runtime', 'cli.js'), '');
    writeFileSync(path.join(root, 'dist', 'runtime', 'cli.inputs.json'), JSON.stringify(['runtime/cli.ts', 'runtime/cli/test-command.ts']));
    at('runtime/cli.ts', 1000);
    at('runtime/cli/test-command.ts', 1000);
    at('dist/runtime/cli.js', 2000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes a bundle built after every source it lists', () => {
    assert.equal(staleBundle('runtime/cli', root), undefined);
  });

  it('names the bundle, the newer source and the fix', () => {
    at('runtime/cli/test-command.ts', 2060);
    assert.equal(staleBundle('runtime/cli', root), 'dist/runtime/cli.js is older than runtime/cli/test-command.ts, one of its sources (changed 60 s after the build): run "npm run build" (the tests run the bundles in dist/, not the sources)');
  });

  it('says so when the bundle, its list of sources, or a listed source is missing', () => {
    rmSync(path.join(root, 'runtime', 'cli.ts'));
    assert.match(staleBundle('runtime/cli', root)!, /^dist\/runtime\/cli\.js was built from runtime\/cli\.ts, which no longer exists: run "npm run build"/);
    rmSync(path.join(root, 'dist', 'runtime', 'cli.inputs.json'));
    assert.match(staleBundle('runtime/cli', root)!, /^dist\/runtime\/cli\.js has no list of its sources \(dist\/runtime\/cli\.inputs\.json\): run "npm run build"/);
    assert.match(staleBundle('runtime/worker', root)!, /^dist\/runtime\/worker\.js does not exist: run "npm run build"/);
  });
});
