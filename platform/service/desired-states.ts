/**
 * Turns the store's desired states into the messages a Thing receives (retained on its desired
 * topic), each app with the load action that fetches its bundle, and remembers which bundles each
 * Thing may download.
 */
import type { PlatformStore, DesiredState } from '../store';
import { iapNow, topics, type DesiredApp, type DesiredStateMessage } from '../protocol';

export interface BundleRef {
  name: string;
  sha256: string;
}

export class DesiredStates {
  private readonly versions = new Map<string, BundleRef>();
  /** thingId → "appId@version" of every bundle in its last published desired state */
  private readonly entitled = new Map<string, Set<string>>();

  constructor(
    private readonly store: PlatformStore,
    /** where Things download bundles from: this replica's public URL */
    private readonly publicUrl: string,
  ) {}

  bundleUrl(appId: number, version: string): string {
    return `${this.publicUrl}/bundles/${appId}/${encodeURIComponent(version)}`;
  }

  async message(state: DesiredState): Promise<DesiredStateMessage> {
    const apps: DesiredApp[] = [];
    const entitled = new Set<string>();
    for (const a of state.apps) {
      const ref = await this.versionRef(a.app_id, a.version);
      entitled.add(`${a.app_id}@${a.version}`);
      apps.push({
        app_id: a.app_id, installation_id: a.installation_id, version: a.version, config: a.config, name: a.name, app: ref.name,
        origin: a.source.kind === 'template' ? { kind: 'template', templateId: a.source.templateId } : { kind: 'thing' },
        load: { url: this.bundleUrl(a.app_id, a.version), method: 'setup', integrity: 'SHA256', checksum: ref.sha256, user: state.thingId, response: topics.loadResponse(state.thingId) },
      });
    }
    this.entitled.set(state.thingId, entitled);
    return { revision: state.revision, apps, mru: iapNow() };
  }

  /** Whether the Thing's desired state holds this bundle (asked of the store when this replica has not published it). */
  async mayDownload(thingId: string, appId: number, version: string): Promise<boolean> {
    const key = `${appId}@${version}`;
    if (this.entitled.get(thingId)?.has(key)) return true;
    const state = await this.store.desiredState(thingId).catch(() => undefined);
    if (!state) return false;
    const set = new Set(state.apps.map((a) => `${a.app_id}@${a.version}`));
    this.entitled.set(thingId, set);
    return set.has(key);
  }

  forget(thingId: string): void {
    this.entitled.delete(thingId);
  }

  private async versionRef(appId: number, version: string): Promise<BundleRef> {
    const key = `${appId}@${version}`;
    let ref = this.versions.get(key);
    if (!ref) {
      const [app, v] = await Promise.all([this.store.getApp(appId), this.store.getAppVersion(appId, version)]);
      ref = { name: app.name, sha256: v.sha256 };
      this.versions.set(key, ref);
    }
    return ref;
  }
}
