import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openStore, type PlatformStore } from '../../platform/store';
import { rejectsWith, storeContract } from './store-contract';

const folders: string[] = [];
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
});
