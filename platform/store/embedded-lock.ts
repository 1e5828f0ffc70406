/**
 * The embedded store's folder belongs to one process at a time: its row cache is only right while
 * this process is the one writer. node-sqlite3-wasm locks the database with a `<file>.lock`
 * directory that a killed process leaves behind (so the next open would be refused as busy
 * forever); once this lock shows its owner is dead, that directory is stale and is removed.
 */
import { closeSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { StoreError } from './errors';

export function lockFolder(lockFile: string, staleLocks: string[]): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
      const owner = Number.parseInt(safeRead(lockFile), 10);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new StoreError('locked', `the store in ${lockFile.replace(/[/\\][^/\\]+$/, '')} is open in process ${owner}: stop that platform first, or give this one another --dir`);
      }
      rmSync(lockFile, { force: true });
    }
  }
  for (const dir of staleLocks) rmSync(dir, { recursive: true, force: true });
  return () => {
    try {
      unlinkSync(lockFile);
    } catch {
      /* already gone: nothing to release */
    }
  };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
