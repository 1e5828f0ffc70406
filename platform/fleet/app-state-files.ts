/**
 * The simulated Things' app state across restarts of their fleet: each Thing's app snapshots (an
 * app's `state`, its subscriptions, scheduled jobs and routes: what a worker re-spawn keeps, seed
 * 000) in a file of its own under the fleet's folder, `fleet-state/{thingId}.json`, owner-only
 * like the credentials beside it (an app's state is its user's data). Written when they change and
 * at a clean stop, read when the fleet starts: an app the Thing runs again under the same
 * installation comes back with its state instead of starting empty.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AppSnapshot } from '../../runtime/engine/snapshot';

/** What a Thing kept of one app installation (by installation_id). */
export interface SavedApp {
  /** the app's name (a bundle of another app under the same installation does not take this state) */
  app: string;
  version: string;
  /** the instance config it ran with, as JSON */
  config: string;
  snapshot: AppSnapshot;
}

export type SavedApps = Record<string, SavedApp>;

export const APP_STATE_DIR = 'fleet-state';

export class AppStateFiles {
  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  private file(thingId: string): string {
    return path.join(this.dir, `${encodeURIComponent(thingId)}.json`);
  }

  /** The Thing's saved apps; none when it has no file, or one that cannot be read (said in the log: it starts empty). */
  read(thingId: string): SavedApps {
    const file = this.file(thingId);
    if (!existsSync(file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { apps?: SavedApps };
      return parsed.apps && typeof parsed.apps === 'object' ? parsed.apps : {};
    } catch (e) {
      this.log(`${file}: the app state of ${thingId} cannot be read (${(e as Error).message}); its apps start with an empty state`);
      return {};
    }
  }

  /**
   * Replaces the Thing's saved apps, atomically (a kill mid-write leaves the previous file). Off the
   * event loop: a fleet writes a thousand of these after a provisioning, while its Things report.
   */
  async write(thingId: string, apps: SavedApps): Promise<void> {
    const file = this.file(thingId);
    if (Object.keys(apps).length === 0) {
      await rm(file, { force: true });
      return;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ thingId, apps }), { mode: 0o600 });
    await rename(tmp, file);
  }
}
