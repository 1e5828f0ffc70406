/**
 * What a Thing runs, as its agent knows it (issue 15's Bundle Sync, the switch half): each
 * installation's app, version, config and status, and the switch to a new desired state: apps
 * removed are uninstalled, the Thing is re-spawned when an app has new code (each app keeps its
 * state; a new version that cannot start goes back to the one that ran), new apps are installed (an
 * app the fleet kept from before its restart comes back with its state), changed ones updated. The
 * agent (thing-agent.ts) downloads and checks the bundles first and reports what this says.
 */
import type { Thing } from '../../runtime/host/thing';
import type { WorkerPool } from '../../runtime/host/worker-pool';
import type { ThingJournal } from '../../runtime/host/thing-journal';
import type { AppSource } from '../../runtime/engine/installed-app';
import type { AppInfo } from '../../runtime/engine/engine-requests';
import type { AppStatus, DesiredApp, DesiredStateMessage } from '../protocol';
import type { SavedApps } from '../fleet/app-state-files';
import type { ShellInstallation } from './shell-service';

export interface ThingAppsOptions {
  thingId: string;
  thing: Thing;
  pool: WorkerPool;
  /** what the Thing's apps kept from an earlier run (by installation_id): they come back with it */
  savedApps?: SavedApps;
  log?: (line: string) => void;
}

interface InstalledApp {
  appId: string;
  installationId: number;
  sha256: string;
  version: string;
  config: string;
  source: AppSource;
}

export class ThingApps {
  private readonly installed = new Map<number, InstalledApp>();
  private readonly statuses = new Map<number, AppStatus>();
  /** the installation being installed now (installs run one at a time) */
  private installing: number | undefined;
  /** saved apps not installed again yet, by installation_id */
  private readonly saved: Map<string, SavedApps[string]>;

  constructor(private readonly options: ThingAppsOptions) {
    this.saved = new Map(Object.entries(options.savedApps ?? {}));
  }

  /** The desired apps whose bundle the Thing lacks (new, or another version). */
  needed(desired: DesiredStateMessage): DesiredApp[] {
    return desired.apps.filter((a) => this.installed.get(a.installation_id)?.sha256 !== a.load.checksum);
  }

  /** The installation of a runtime app id, or undefined when it is none of the Thing's. */
  installationOf(appId: string): number | undefined {
    for (const app of this.installed.values()) if (app.appId === appId) return app.installationId;
    return undefined;
  }

  /** The runtime app id of an installation. */
  appOf(installationId: number): string | undefined {
    return this.installed.get(installationId)?.appId;
  }

  /** Whether an app is being installed now (its logs during installed() come before its id is known). */
  get installingNow(): boolean {
    return this.installing !== undefined;
  }

  /** Each installation, for the JS Shell. */
  installations(): ShellInstallation[] {
    return [...this.installed.values()].map((a) => ({ installationId: a.installationId, appId: a.appId, app: a.source.name, version: a.version, status: this.statuses.get(a.installationId) ?? { state: 'running' } }));
  }

  /** Each app's status, by installation id, as the status message says them. */
  statusRecord(): Record<string, AppStatus> {
    const apps: Record<string, AppStatus> = {};
    for (const [id, s] of this.statuses) apps[String(id)] = s;
    return apps;
  }

  /** An app quarantined by the runtime: failed, with why. Whether it is one of the Thing's. */
  quarantined(appId: string, reason: string): boolean {
    const installationId = this.installationOf(appId);
    if (installationId === undefined) return false;
    this.statuses.set(installationId, { state: 'failed', error: reason });
    return true;
  }

  /** The switch: apps removed are uninstalled, the Thing is re-spawned when an app has a new version (state kept), new apps are installed, changed ones updated. */
  async switchTo(desired: DesiredStateMessage, sources: Map<number, AppSource>): Promise<void> {
    const { thing, pool, thingId } = this.options;
    const wanted = new Map(desired.apps.map((a) => [a.installation_id, a]));
    for (const [id, app] of [...this.installed]) {
      if (wanted.has(id)) continue;
      await thing.uninstall(app.appId).catch(() => undefined);
      this.installed.delete(id);
      this.statuses.delete(id);
    }
    const upgraded = desired.apps.filter((a) => this.installed.has(a.installation_id) && sources.has(a.installation_id));
    const swap = (apps: DesiredApp[], sourceOf: (a: DesiredApp) => AppSource) => (journal: ThingJournal) => {
      for (const a of apps) {
        const source = sourceOf(a);
        const stored = journal.apps.get(this.installed.get(a.installation_id)!.appId);
        journal.packages.set(source.name, source);
        if (stored) stored.request = { ...stored.request, source };
      }
    };
    // New code needs the re-spawn (seed 000); apps only added, removed or given a new config do not:
    // re-creating every context of the Thing for them would cost a fleet seconds for nothing.
    const failures = upgraded.length ? await pool.respawnThing(thingId, swap(upgraded, (a) => sources.get(a.installation_id)!)) : [];
    const refused = new Map<number, string>();
    if (failures.length) {
      // A new version that cannot start: that app goes back to the version that ran, state and all
      // (the others keep their new versions).
      for (const f of failures) {
        const id = this.installationOf(f.appId);
        if (id !== undefined) refused.set(id, f.error);
      }
      await pool.respawnThing(thingId, swap(upgraded.filter((a) => refused.has(a.installation_id)), (a) => this.installed.get(a.installation_id)!.source));
    }
    // Each app's routes, from what its install or update answered (an app kept as it was keeps its).
    const routes = new Map<number, string[]>();
    for (const [id, status] of this.statuses) if (status.state === 'running' && status.endpoints) routes.set(id, status.endpoints);
    for (const a of desired.apps) {
      const current = this.installed.get(a.installation_id);
      const config = JSON.stringify(a.config);
      const why = refused.get(a.installation_id);
      if (why !== undefined) {
        this.statuses.set(a.installation_id, { state: 'failed', error: `version ${a.version} could not start (${why}); version ${current!.version} runs on` });
        continue;
      }
      try {
        if (!current) {
          const source = sources.get(a.installation_id)!;
          this.installing = a.installation_id;
          const info = await this.installApp(a, source).finally(() => (this.installing = undefined));
          routes.set(a.installation_id, info.routes);
          this.installed.set(a.installation_id, { appId: info.id, installationId: a.installation_id, sha256: a.load.checksum, version: a.version, config, source });
        } else if (current.sha256 !== a.load.checksum || current.config !== config) {
          routes.set(a.installation_id, (await thing.update(current.appId, a.config)).routes);
          Object.assign(current, { sha256: a.load.checksum, version: a.version, config, source: sources.get(a.installation_id) ?? current.source });
        }
        this.statuses.set(a.installation_id, { state: 'running' });
      } catch (e) {
        this.statuses.set(a.installation_id, { state: 'failed', error: (e as Error).message });
      }
    }
    // Re-spawned with new code, an app may declare other routes: those are asked for (only then).
    if (upgraded.length) for (const info of await thing.listApps().catch(() => [])) {
      const id = this.installationOf(info.id);
      if (id !== undefined) routes.set(id, info.routes);
    }
    for (const [id, status] of this.statuses) {
      const endpoints = routes.get(id) ?? [];
      if (status.state === 'running') this.statuses.set(id, endpoints.length ? { state: 'running', endpoints } : { state: 'running' });
    }
    // What was kept for installations the Thing no longer has is let go.
    for (const id of [...this.saved.keys()]) if (!wanted.has(Number(id))) this.saved.delete(id);
  }

  /**
   * Installs a new installation. One the Thing ran before its fleet restarted comes back with what
   * it kept (state, subscriptions, jobs: no installed()), told of a config changed meanwhile as after
   * any change (updated()).
   */
  private async installApp(a: DesiredApp, source: AppSource): Promise<AppInfo> {
    const { thing } = this.options;
    const saved = this.saved.get(String(a.installation_id));
    this.saved.delete(String(a.installation_id));
    if (saved && saved.app === source.name) {
      // (A refused install leaves nothing behind: the engine checks everything before the app joins.)
      const info = await thing.install({ source, config: a.config, label: a.name, restore: saved.snapshot }).catch((e: Error) => {
        this.options.log?.(`${this.options.thingId}: ${a.name} could not come back with its kept state (${e.message}); it starts anew`);
        return undefined;
      });
      if (info) {
        if (saved.config !== JSON.stringify(a.config)) await thing.update(info.id, a.config);
        return info;
      }
    }
    return thing.install({ source, config: a.config, label: a.name });
  }


  /** Each app's newest snapshot, by installation (and what is kept for apps not installed again yet): what the fleet keeps across its restarts. */
  savedApps(): SavedApps {
    const out: SavedApps = Object.fromEntries(this.saved);
    for (const a of this.installed.values()) {
      const snapshot = this.options.thing.journal.apps.get(a.appId)?.snapshot;
      if (snapshot) out[String(a.installationId)] = { app: a.source.name, version: a.version, config: a.config, snapshot };
    }
    return out;
  }
}
