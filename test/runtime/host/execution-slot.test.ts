/**
 * The execution slot shared by the engine thread (writer) and its warden (reader): an idle warden
 * sleeps on it (untilBusy) and the first execution's start wakes it.
 */
import assert from 'node:assert/strict';
import { SLOT_BYTES, SlotReader, SlotWriter } from '../../../runtime/worker/execution-slot';

const later = (ms: number) => new Promise<'later'>((r) => setTimeout(() => r('later'), ms));

describe('execution slot: the warden sleeps until an execution starts', () => {
  it('untilBusy waits while nothing runs, and the start of an execution wakes it', async () => {
    const buffer = new SharedArrayBuffer(SLOT_BYTES);
    const reader = new SlotReader(buffer);
    const writer = new SlotWriter(buffer, (id, name) => reader.learn(id, name));
    const monitor = writer.forThing('porch');
    const seen = reader.sequence();
    const woke = reader.untilBusy(seen).then(() => 'woke' as const);
    assert.equal(await Promise.race([woke, later(100)]), 'later', 'asleep while nothing runs');
    const depth = monitor.enter('app-1', 'event', 'onContact', Date.now() + 200);
    assert.equal(await Promise.race([woke, later(2000)]), 'woke');
    assert.equal(reader.running()?.appId, 'app-1');
    monitor.leave(depth);
    assert.equal(reader.running(), undefined);
  });

  it('untilBusy resolves at once when an execution started since the sequence was read', async () => {
    const buffer = new SharedArrayBuffer(SLOT_BYTES);
    const reader = new SlotReader(buffer);
    const monitor = new SlotWriter(buffer, (id, name) => reader.learn(id, name)).forThing('porch');
    const seen = reader.sequence();
    monitor.leave(monitor.enter('app-1', 'event', 'onContact', Date.now() + 200));
    assert.equal(await Promise.race([reader.untilBusy(seen).then(() => 'woke'), later(100)]), 'woke');
  });

  it('a new engine thread (reset) does not lose a sleeping warden: its first execution wakes it', async () => {
    const buffer = new SharedArrayBuffer(SLOT_BYTES);
    const reader = new SlotReader(buffer);
    const woke = reader.untilBusy(reader.sequence()).then(() => 'woke' as const);
    reader.reset();
    const monitor = new SlotWriter(buffer, (id, name) => reader.learn(id, name)).forThing('porch');
    monitor.enter('app-2', 'schedule', 'tick', Date.now() + 200);
    assert.equal(await Promise.race([woke, later(2000)]), 'woke');
  });
});
