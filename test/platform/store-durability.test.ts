/**
 * kill -9 at any moment loses no acknowledged change: a child process writes to the store and
 * prints an acknowledgement after each write returns; it is killed with SIGKILL at a random moment;
 * the store reopened holds every acknowledged Thing (with its secret) and bundle (byte for byte).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../platform/store';
import { startPostgres, type TestPostgres } from '../support/postgres';

const WRITER = path.join(__dirname, 'fixtures', 'store-writer.ts');

/** Runs the writer until a random moment after its first acknowledgement, kills it, returns what it acknowledged. */
function writeUntilKilled(location: string, round: number): Promise<{ things: string[]; versions: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, location, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const things: string[] = [];
    const versions: string[] = [];
    let buffered = '';
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (thing|version) (\S+)$/.exec(line);
        if (m) (m[1] === 'thing' ? things : versions).push(m[2]);
        if (m && !armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), 50 + Math.random() * 1200);
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ things, versions });
      else reject(new Error(`the writer exited (${code}) before it was killed: ${stderr}`));
    });
  });
}

async function checkDurable(location: string, rounds: number): Promise<void> {
  const acked = { things: [] as string[], versions: [] as string[] };
  for (let round = 1; round <= rounds; round++) {
    const got = await writeUntilKilled(location, round);
    acked.things.push(...got.things);
    acked.versions.push(...got.versions);
  }
  assert.ok(acked.things.length >= rounds, 'each round acknowledged a write before it was killed');
  const store = await openStore(location);
  try {
    const things = new Set((await store.listThings()).map((t) => t.thingId));
    assert.deepEqual(acked.things.filter((t) => !things.has(t)), [], 'acknowledged Things lost');
    for (const t of acked.things) assert.equal(await store.verifyThingSecret(t, 'broker', `pw-${t}`), true, `${t}'s secret`);
    const app = await store.findAppByName('durable');
    for (const v of acked.versions) {
      const { bytes } = await store.readBundle(app!.appId, v);
      assert.equal(bytes.toString(), `bundle ${v} `.repeat(200), `bundle ${v}`);
    }
    // The store still takes writes after the kills (no lock or journal left behind blocks it).
    await store.enrollThing({ thingId: 'after-kills', model: 'plug' });
  } finally {
    await store.close();
  }
}

describe('platform store: kill -9 loses no acknowledged change', function () {
  this.timeout(180_000);

  it('embedded SQLite folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-durable-'));
    try {
      await checkDurable(dir, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('PostgreSQL', () => {
    let server: TestPostgres;
    before(async function () {
      this.timeout(120_000);
      server = await startPostgres();
    });
    after(() => server?.stop());

    it('PostgreSQL', async () => {
      await checkDurable(await server.createDatabase('durable'), 2);
    });
  });
});
