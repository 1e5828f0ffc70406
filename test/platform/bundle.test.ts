import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadAppFolder } from '../../runtime/app';
import type { AppSource } from '../../runtime/engine/installed-app';
import { SourceError } from '../../runtime/errors';
import { BundleError, makeBundle, readBundle, type BundleErrorCode, type ReadBundleOptions } from '../../platform/bundle';
import { declareSize, renameEntry, zeroBomb, zipOf, type TestEntry } from './bundle-zips';

const DOOR_LIGHT = path.resolve(__dirname, '..', '..', 'examples', 'door-light');
const LABEL = 'door-light@1.2.0';
const APP_JSON = JSON.stringify({ name: 'Door light', version: '1.2.0', input: {}, guide: [] });
const APP_JS = 'function installed() { log.info("hi"); }\n';
const APP: TestEntry[] = [{ name: 'app.json', data: APP_JSON }, { name: 'app.js', data: APP_JS }];

const folders: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-bundle-'));
  folders.push(dir);
  return dir;
}

/** A copy of door-light with every file a bundle must leave out, and the two optional ones it takes. */
function fullAppFolder(): string {
  const dir = path.join(tempDir(), 'door-light');
  cpSync(DOOR_LIGHT, dir, { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ type: 'app', description: 'door light' }));
  writeFileSync(path.join(dir, 'README.md'), '# Door light\n');
  mkdirSync(path.join(dir, 'node_modules', 'left-pad'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;');
  mkdirSync(path.join(dir, '.smartplug'));
  writeFileSync(path.join(dir, '.smartplug', 'platform.db'), 'state');
  return dir;
}

/** readBundle must refuse: the code, the label and the entry (where there is one) in the message. */
async function refused(bytes: Buffer, code: BundleErrorCode, entry: string | undefined, options: Partial<ReadBundleOptions> = {}): Promise<BundleError> {
  try {
    await readBundle(bytes, { label: LABEL, ...options });
  } catch (e) {
    assert.ok(e instanceof BundleError, `expected a BundleError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(`bundle ${LABEL}`), `the message names the bundle: ${e.message}`);
    if (entry !== undefined) assert.ok(e.message.includes(`entry "${entry}"`), `the message names the entry ${entry}: ${e.message}`);
    assert.match(e.message, /Fix: \S/, 'the message says what to do');
    return e;
  }
  assert.fail(`readBundle accepted a bundle it should refuse (${code})`);
}

describe('platform bundle', function () {
  this.timeout(20_000);
  after(() => {
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  describe('makeBundle and readBundle', () => {
    it('round-trips examples/door-light into what the runtime installs', async () => {
      const bundle = await makeBundle(DOOR_LIGHT);
      assert.equal(bundle.sha256, createHash('sha256').update(bundle.bytes).digest('hex'));
      assert.deepEqual(bundle.files, ['app.js', 'app.json']);
      assert.deepEqual(bundle.scriptNames, ['app.js']);
      assert.equal(bundle.name, 'Door light');
      assert.equal(bundle.version, '1.0.0');

      const contents = await readBundle(bundle.bytes, { label: 'door-light@1.0.0', expectedSha256: bundle.sha256 });
      const pkg = loadAppFolder(DOOR_LIGHT);
      assert.equal(contents.appJsonText, readFileSync(path.join(DOOR_LIGHT, 'app.json'), 'utf8'));
      assert.equal(contents.script, readFileSync(path.join(DOOR_LIGHT, 'app.js'), 'utf8'));
      // The agent's AppSource from the bundle is the CLI's from the folder, but for where app.js lies.
      const fromBundle: AppSource = { name: contents.name, version: contents.version, appJson: contents.appJson, scriptFile: contents.scriptFile, script: contents.script };
      const fromFolder: AppSource = { name: pkg.name, version: pkg.version, appJson: pkg.appJson, scriptFile: 'app.js', script: pkg.script };
      assert.deepEqual(fromBundle, fromFolder);
      assert.equal(contents.manifest, undefined);
    });

    it('holds app.json, app.js, manifest.json and README.md, and none of the instance, devices, tests, node_modules or .smartplug', async () => {
      const dir = fullAppFolder();
      const bundle = await makeBundle(dir);
      assert.deepEqual(bundle.files, ['README.md', 'app.js', 'app.json', 'manifest.json']);
      const contents = await readBundle(bundle.bytes, { label: LABEL, expectedSha256: bundle.sha256.toUpperCase() });
      assert.deepEqual(contents.files.slice().sort(), bundle.files);
      assert.deepEqual(contents.manifest, { type: 'app', description: 'door light' });
    });

    it('is deterministic: the same files give the same bytes whatever their times, modes and the time zone', async () => {
      const first = await makeBundle(DOOR_LIGHT);
      const copy = path.join(tempDir(), 'elsewhere');
      cpSync(DOOR_LIGHT, copy, { recursive: true });
      utimesSync(path.join(copy, 'app.js'), new Date('2031-05-06T07:08:09Z'), new Date('2031-05-06T07:08:09Z'));
      chmodSync(path.join(copy, 'app.json'), 0o600);
      const savedTz = process.env.TZ;
      process.env.TZ = 'Pacific/Kiritimati'; // UTC+14: a local-time field written from a UTC date would move a day
      let second;
      try {
        second = await makeBundle(copy);
      } finally {
        if (savedTz === undefined) delete process.env.TZ;
        else process.env.TZ = savedTz;
      }
      assert.equal(second.sha256, first.sha256);
      assert.ok(second.bytes.equals(first.bytes));

      writeFileSync(path.join(copy, 'app.js'), readFileSync(path.join(copy, 'app.js'), 'utf8') + '\n// changed\n');
      assert.notEqual((await makeBundle(copy)).sha256, first.sha256, 'another app.js gives another checksum');
    });

    it('refuses an app the runtime refuses, naming the file, the line and the fix', async () => {
      const dir = path.join(tempDir(), 'broken');
      cpSync(DOOR_LIGHT, dir, { recursive: true });
      const text = readFileSync(path.join(dir, 'app.json'), 'utf8').replace('"type": "single_function_selector"', '"type": "single_function_selecter"');
      writeFileSync(path.join(dir, 'app.json'), text);
      const line = text.split('\n').findIndex((l) => l.includes('single_function_selecter')) + 1;
      await assert.rejects(makeBundle(dir), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.ok(e.message.includes(`${path.join(dir, 'app.json')}:${line}:`), e.message);
        assert.match(e.message, /Fix: /);
        return true;
      });
    });

    it('refuses an app.js that does not parse, naming app.js and the line', async () => {
      const dir = path.join(tempDir(), 'syntax');
      cpSync(DOOR_LIGHT, dir, { recursive: true });
      writeFileSync(path.join(dir, 'app.js'), 'function installed() {\n  log.info("x"\n}\n');
      await assert.rejects(makeBundle(dir), (e: unknown) => e instanceof SourceError && e.message.includes(`${path.join(dir, 'app.js')}:3:`) && /Fix: /.test(e.message));
    });

    it('refuses an app.json without the name and version a deploy files it under', async () => {
      const dir = path.join(tempDir(), 'anonymous');
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'app.json'), '{\n  "input": {},\n  "guide": []\n}\n');
      writeFileSync(path.join(dir, 'app.js'), APP_JS);
      await assert.rejects(makeBundle(dir), (e: unknown) => {
        assert.ok(e instanceof SourceError);
        assert.deepEqual(e.problems.map((p) => [p.file, p.line, p.fix]), [
          [path.join(dir, 'app.json'), 1, 'add "name": "anonymous" to app.json'],
          [path.join(dir, 'app.json'), 1, 'add "version": "1.0.0" to app.json'],
        ]);
        return true;
      });
    });

    it('accepts folder entries, and lists only files', async () => {
      const contents = await readBundle(await zipOf([{ name: 'docs/' }, ...APP, { name: 'docs/notes.txt', data: 'n' }]), { label: LABEL });
      assert.deepEqual(contents.files, ['app.json', 'app.js', 'docs/notes.txt']);
      assert.equal(contents.script, APP_JS);
      assert.equal(contents.version, '1.2.0');
    });
  });

  describe('readBundle refuses', () => {
    it('a wrong checksum, before reading anything', async () => {
      const good = await zipOf(APP);
      const e = await refused(good, 'checksum', undefined, { expectedSha256: createHash('sha256').update('other').digest('hex') });
      assert.match(e.message, /download the bundle again/);
      // Not even the zip's structure is looked at: garbage with a wrong checksum is a checksum error.
      await refused(Buffer.from('not a zip at all'), 'checksum', undefined, { expectedSha256: '0'.repeat(64) });
    });

    it('bytes that are not a zip', async () => {
      await refused(Buffer.from('<html>502 Bad Gateway</html>'), 'not-a-zip', undefined);
    });

    for (const [placeholder, unsafe] of [
      ['zz/x', '../x'],
      ['a/zz/x', 'a/../x'],
      ['zx', '/x'],
      ['Cqqx', 'C:\\x'],
      ['Cqx', 'C:x'],
      ['a_b', 'a\\b'],
      ['a__b', 'a//b'],
      ['q/x', './x'],
    ] as const) {
      it(`a path that escapes its folder: ${unsafe}`, async () => {
        const zip = renameEntry(await zipOf([...APP, { name: placeholder, data: 'payload' }]), placeholder, unsafe);
        await refused(zip, 'unsafe-path', unsafe);
      });
    }

    it('a name given twice, or twice but for letter case', async () => {
      await refused(await zipOf([...APP, { name: 'app.js', data: 'evil()' }]), 'unsafe-path', 'app.js');
      await refused(await zipOf([...APP, { name: 'App.js', data: 'evil()' }]), 'unsafe-path', 'App.js');
    });

    it('a symbolic link', async () => {
      const e = await refused(await zipOf([...APP, { name: 'passwords', data: '/etc/passwd', mode: 0o120777 }]), 'link', 'passwords');
      assert.match(e.message, /symbolic link/);
    });

    it('another special file (a FIFO)', async () => {
      await refused(await zipOf([...APP, { name: 'pipe', data: '', mode: 0o010644 }]), 'link', 'pipe');
    });

    describe('a zip bomb', () => {
      const MIB = 256;
      let bomb: Buffer;
      before(async function () {
        this.timeout(20_000);
        bomb = await zeroBomb(APP, 'zeros.bin', MIB);
        assert.ok(bomb.length < 1_000_000, `${MIB} MiB of zeros deflate to ${bomb.length} bytes`);
      });

      it('whose header says how large it is: refused before inflating', async () => {
        const e = await refused(bomb, 'too-large', 'zeros.bin');
        // Only the header check words it so: the declared size, before a byte is inflated.
        assert.match(e.message, new RegExp(`would unpack to ${MIB * 1024 * 1024} bytes`));
      });

      it('whose header lies: inflating stops at the size it declared', async () => {
        const e = await refused(declareSize(bomb, 'zeros.bin', 1000), 'too-large', 'zeros.bin');
        assert.match(e.message, /more than the 1000 bytes its header declares/);
      });

      it('of many files each within the limit, over it together', async () => {
        const files = [...APP, { name: 'a.bin', data: Buffer.alloc(600) }, { name: 'b.bin', data: Buffer.alloc(600) }];
        const e = await refused(await zipOf(files), 'too-large', 'b.bin', { maxUnpackedBytes: 1000 + Buffer.byteLength(APP_JSON) + APP_JS.length });
        assert.match(e.message, /for the whole bundle/);
      });
    });

    it('more entries than allowed', async () => {
      const many = [...APP, ...Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' }))];
      const e = await refused(await zipOf(many), 'too-large', undefined, { maxEntries: 4 });
      assert.match(e.message, /7 entries, more than the 4 allowed/);
      await readBundle(await zipOf(many), { label: LABEL, maxEntries: 7 });
    });

    it('a bundle with no app.js, or with it only in a folder', async () => {
      await refused(await zipOf([APP[0]]), 'no-app', 'app.js');
      await refused(await zipOf([APP[0], { name: 'src/app.js', data: APP_JS }]), 'no-app', 'app.js');
      await refused(await zipOf([APP[1]]), 'no-app', 'app.json');
    });

    it('an app.json the runtime rejects, carrying its problems', async () => {
      const badJson = JSON.stringify({ name: 'x', version: '1.0.0', input: { a: { type: 'single_function_selecter', name: 'A' } }, guide: [] });
      const e = await refused(await zipOf([{ name: 'app.json', data: badJson }, APP[1]]), 'bad-app', 'app.json');
      assert.ok(e.problems.length > 0);
      assert.ok(e.problems.every((p) => p.file === `${LABEL}/app.json` && p.severity === 'error'));
      assert.ok(e.message.includes(`${LABEL}/app.json:1:`), e.message);
      await refused(await zipOf([{ name: 'app.json', data: '{ "input": {' }, APP[1]]), 'bad-app', 'app.json');
    });

    it('a manifest.json that is not JSON', async () => {
      await refused(await zipOf([...APP, { name: 'manifest.json', data: '{ nope' }]), 'bad-app', 'manifest.json');
    });
  });
});
