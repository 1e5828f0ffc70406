/**
 * Puts an app's snapshot back into a freshly loaded app (a worker re-spawn): its state, rate
 * window, child devices, subscriptions, jobs and routes (unless new code declares other routes at
 * its top level). Handlers kept by name come back; those
 * given as anonymous functions cannot, and the app's log says which.
 */
import type { EngineCore } from './engine-core';
import type { InstalledApp } from './installed-app';
import type { ScriptServices } from './script-services';
import type { AppSnapshot } from './snapshot';

export function restoreInto(core: EngineCore, services: ScriptServices, app: InstalledApp, snap: AppSnapshot): void {
  app.stateJson = snap.state;
  app.sandbox.controls.setState(snap.state);
  // The window goes on: a worker re-spawn does not hand the app a fresh budget.
  if (snap.rate) app.rate.restore(snap.rate);
  const added: string[] = [];
  try {
    for (const d of snap.childDevices) {
      core.devices.add(d, core.clock.now());
      added.push(d.id);
      app.childDevices.add(d.id);
    }
  } catch (e) {
    for (const id of added) core.devices.remove(id);
    throw e;
  }
  const lost: string[] = [];
  for (const s of snap.subscriptions) {
    if (s.handler.startsWith('#')) lost.push(`subscription to ${s.target} ${s.attribute}`);
    else core.subs.add({ ...s, appId: app.id });
  }
  const jobs = snap.jobs.filter((j) => {
    if (!j.handler.startsWith('#')) return true;
    lost.push(`scheduled job ${j.kind}`);
    return false;
  });
  app.jobs.restore(jobs.map((j) => ({ ...j, at: Math.max(j.at, core.clock.now()) })));
  // Routes the code declares at its top level are the code's (seed 001's mappings section): new code
  // (a Bundle Sync) that declares other routes keeps its own. Otherwise the routes come back as the
  // app last had them, set at run time by installed() or updated() included.
  const declared = app.declaredRoutes.map((r) => `${r.method} ${r.pattern} ${r.handler}`).join('\n');
  const declaredBefore = (snap.declaredRoutes ?? []).map((r) => `${r.route} ${r.handler}`).join('\n');
  if (snap.declaredRoutes === undefined || declared === declaredBefore) {
    app.routes = [];
    services.mappings(app, snap.routes);
  }
  if (lost.length) core.runtimeLog(app, 'warn', `after the restart these could not be restored because their handler was an anonymous function: ${lost.join('; ')}. Pass named functions (or their names) as handlers`);
}
