/**
 * The load methods as the agent applies them (platform/agent/load/prepare-image.ts): a non-standard
 * method runs only when the agent declares it (also as a hybrid member), hybrids nest, and the
 * single-file rule of native images. The full path, over the broker, is load-actions.test.ts.
 */
import assert from 'node:assert/strict';
import { prepareImage, type DeclaredMethod, type MethodContext } from '../../platform/agent/load/prepare-image';
import { LoadFailure } from '../../platform/load/load-failure';
import { zipOf } from './load-support';

const calibration: DeclaredMethod = {
  description: 'a calibration table for the Thing\'s sensors',
  prepare: async (image, name) => ({ change: { resources: { files: [{ path: `calibration/${name}`, kind: 'file', data: image }], from: name } }, summary: [`calibration ${name}`], dirs: [] }),
};

function context(declared: Record<string, DeclaredMethod> = {}): MethodContext {
  return { target: { kind: 'thing' }, declared: new Map(Object.entries(declared)), setup: { scriptTimeoutMs: 10_000 }, now: () => '2026-12-03 10:00:00.000 UTC' };
}

describe('load methods', () => {
  it('a non-standard method runs when the agent declares it, and is refused otherwise, naming those it has', async () => {
    const image = new TextEncoder().encode('offset=2');
    const done = await prepareImage('acme.calibration', image, 'cal.txt', context({ 'acme.calibration': calibration }));
    assert.equal(done.change.resources?.files[0].path, 'calibration/cal.txt');
    await assert.rejects(prepareImage('acme.other', image, 'cal.txt', context({ 'acme.calibration': calibration })), (e: LoadFailure) => e.stage === 'method' && /does not support the non-standard load method "acme\.other"/.test(e.message) && /acme\.calibration/.test(e.fix ?? ''));
    await assert.rejects(prepareImage('firmware', image, 'x', context()), (e: LoadFailure) => e.stage === 'method' && /"firmware" is not a load method/.test(e.message));
  });

  it('a hybrid applies declared members and nested hybrids in the numeric order of their suffixes', async () => {
    const inner = await zipOf({ 'native.1': 'inner firmware' });
    const hybrid = await zipOf({ 'acme.calibration.3': 'offset=5', 'hybrid.2': inner, 'native.1': 'outer firmware' });
    const done = await prepareImage('hybrid', hybrid, 'combo.zip', context({ 'acme.calibration': calibration }));
    assert.deepEqual(done.summary.map((s) => s.split(':')[0]), ['native.1', 'hybrid.2', 'acme.calibration.3']);
    // The nested hybrid's native image came after the outer one: the Thing's firmware is the inner.
    assert.deepEqual(done.change.firmware?.map((f) => f.record.image), ['combo.zip:native.1', 'combo.zip:hybrid.2:native.1']);
    assert.equal(done.change.resources?.files[0].path, 'calibration/combo.zip:acme.calibration.3');
  });

  it('native: a zip of one file is that file, even in a folder; an empty zip is the image itself', async () => {
    const one = await prepareImage('native', await zipOf({ 'fw/top900.bin': 'x' }), 'wrapped.zip', context());
    assert.equal(one.change.firmware?.[0].record.image, 'fw/top900.bin');
    const empty = await zipOf({});
    const none = await prepareImage('native', empty, 'empty.zip', context());
    assert.equal(none.change.firmware?.[0].record.image, 'empty.zip');
    assert.equal(none.change.firmware?.[0].record.size, empty.length);
  });
});
