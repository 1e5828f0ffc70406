/**
 * An app source goes to a worker in full once, then by reference; after the engine thread is lost
 * the next one is sent everything again. Checked on the wire (the warden's messages) and by the apps
 * installed through it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Thing } from '../../../runtime/host/thing';
import { WorkerPool } from '../../../runtime/host/worker-pool';
import { SourceWire, sourceKey } from '../../../runtime/host/source-wire';
import { WorkerDispatcher } from '../../../runtime/worker/dispatcher';
import { loadAppFolder } from '../../../runtime/app/load-app';
import { parseDevicesFile } from '../../../runtime/devices/devices-file';
import type { AppSource } from '../../../runtime/engine/installed-app';
import { assertFreshDist } from '../../support/fresh-dist';

const pkg = loadAppFolder('examples/door-light');
const source: AppSource = { name: pkg.name, version: pkg.version, appJson: pkg.appJson, scriptFile: pkg.scriptFile, script: pkg.script };
const config = JSON.parse(readFileSync('examples/door-light/instance.json', 'utf8')).config;
const devices = parseDevicesFile(readFileSync('examples/door-light/devices.json', 'utf8'), 'examples/door-light/devices.json');

describe('app sources on the wire to a worker', function () {
  this.timeout(60_000);

  it('sends a source in full once, then by its key; the same content under another object has the same key', () => {
    const wire = new SourceWire();
    const first = wire.encode('install', [{ source, config }]) as any;
    assert.equal(first[0].source.script, source.script);
    assert.equal(first[0].source.sourceKey, sourceKey(source));
    const second = wire.encode('install', [{ source: { ...source }, config }]) as any;
    assert.deepEqual(second[0].source, { sourceRef: sourceKey(source) });
    const changed = wire.encode('install', [{ source: { ...source, script: source.script + '\n// v2' }, config }]) as any;
    assert.equal(typeof changed[0].source.script, 'string', 'other content goes in full');
    wire.reset();
    assert.equal(typeof (wire.encode('registerPackage', [source]) as any)[0].script, 'string', 'after a reset, in full again');
  });

  it('a dispatcher resolves references, and refuses one it was never sent', () => {
    const d = new WorkerDispatcher(() => undefined);
    d.handle({ thing: 't', op: 'createThing', args: [{ clock: 'virtual', start: 0 }] });
    for (const spec of devices) d.handle({ thing: 't', op: 'addDevice', args: [spec] });
    const wire = new SourceWire();
    const a = d.handle({ thing: 't', op: 'install', args: wire.encode('install', [{ source, config, id: 'a' }]) as any }) as any;
    const b = d.handle({ thing: 't', op: 'install', args: wire.encode('install', [{ source, config, id: 'b' }]) as any }) as any;
    assert.deepEqual([a.id, b.id, b.version], ['a', 'b', '1.0.0']);
    const fresh = new WorkerDispatcher(() => undefined);
    fresh.handle({ thing: 't', op: 'createThing', args: [{ clock: 'virtual', start: 0 }] });
    assert.throws(() => fresh.handle({ thing: 't', op: 'install', args: [{ source: { sourceRef: sourceKey(source) }, config, id: 'c' }] as any }), /never sent the app source/);
    d.dispose();
    fresh.dispose();
  });

  it('many Things of a worker install one app, and a lost engine thread gets every source again', async () => {
    assertFreshDist();
    const pool = new WorkerPool({ thingsPerWorker: 10 });
    try {
      const things: Thing[] = [];
      for (let i = 0; i < 5; i++) {
        const t = await pool.addThing(`t${i}`, { clock: 'virtual', start: 0 }, (id, s, tr, n) => new Thing(id, s, tr, n));
        for (const spec of devices) await t.addDevice(spec);
        await t.install({ source, config, label: `light ${i}` });
        things.push(t);
      }
      await things[2].deviceEvent('front-door', 'contact', 'open');
      // A runaway stops the engine thread: the new one is restored from the journals, sources included.
      const restarts: string[] = [];
      things[3].on('worker', (r) => restarts.push(r.change));
      const runaway: AppSource = { ...source, name: 'runaway', script: 'function installed() { /^(a+)+$/.test("a".repeat(40) + "b"); }\nfunction updated() {}', appJson: { ...source.appJson, name: 'runaway' } };
      await assert.rejects(things[0].install({ source: runaway, config, label: 'runaway' }));
      assert.deepEqual(restarts, ['engine-restarted'], 'the engine thread was replaced');
      await things[4].install({ source, config, label: 'after' });
      for (const t of things) assert.ok((await t.listApps()).some((a) => a.name === 'Door light'));
      assert.equal(((await things[2].listApps())[0].state as any).opens, 1, 'state restored with the source');
    } finally {
      await pool.close();
    }
  });
});
