import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMBEDDED_DB_FILE, openStore, type PlatformStore } from '../../platform/store';
import { rejectsWith, storeContract } from './store-contract';

const folders: string[] = [];

describe('platform store on an embedded SQLite folder', () => {
  after(() => {
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });

  storeContract('embedded SQLite (node-sqlite3-wasm)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-store-'));
    folders.push(dir);
    return { open: (o) => openStore(dir, o), reopen: () => openStore(dir) };
  });

  describe('platform store: the embedded folder', function () {
    this.timeout(60_000);
    it('belongs to one process at a time: a second open is refused while the first is open', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-store-'));
      folders.push(dir);
      const first: PlatformStore = await openStore(dir);
      try {
        await rejectsWith(openStore(dir), 'locked', new RegExp(`open in process ${process.pid}: stop that platform first, or give this one another --dir`));
      } finally {
        await first.close();
      }
      const again = await openStore(dir);
      assert.equal(again.backend, 'sqlite');
      await again.close();
    });

    it("takes over from a killed process: its store.lock and node-sqlite3-wasm's .lock folder are stale", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-store-'));
      folders.push(dir);
      const setup = await openStore(dir);
      await setup.enrollThing({ thingId: 'before', model: 'plug' });
      await setup.close();
      // What a process killed inside a transaction leaves: its pid in store.lock, the database's lock folder.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      writeFileSync(path.join(dir, 'store.lock'), dead);
      mkdirSync(path.join(dir, `${EMBEDDED_DB_FILE}.lock`));
      const store = await openStore(dir);
      try {
        await store.enrollThing({ thingId: 'after', model: 'plug' });
        assert.deepEqual((await store.listThings()).map((t) => t.thingId), ['after', 'before']);
      } finally {
        await store.close();
      }
      assert.equal(existsSync(path.join(dir, 'store.lock')), false, 'close releases the folder');
    });
  });
});
