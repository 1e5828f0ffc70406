/** An installed app's snapshot: what re-creates it in another worker (see snapshot.ts). */
import type { DeviceRegistry } from '../devices/registry';
import type { InstalledApp } from './installed-app';
import type { AppSnapshot } from './snapshot';
import type { SubscriptionIndex } from './subscriptions';

export function takeSnapshot(app: InstalledApp, subs: SubscriptionIndex, devices: DeviceRegistry): AppSnapshot {
  return {
    state: app.stateJson,
    subscriptions: subs.ofApp(app.id).map(({ appId: _appId, ...s }) => s),
    jobs: app.jobs.list(),
    routes: app.routes.map((r) => ({ route: `${r.method} ${r.pattern}`, handler: r.handler })),
    declaredRoutes: app.declaredRoutes.map((r) => ({ route: `${r.method} ${r.pattern}`, handler: r.handler })),
    childDevices: [...app.childDevices].map((id) => {
      const d = devices.require(id);
      return { id: d.id, label: d.label, capabilities: d.capabilities.map((c) => c.id), attributes: d.snapshot(), type: d.type };
    }),
    rate: app.rate.window(),
  };
}
