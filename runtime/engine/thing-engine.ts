import { createBridge } from './app-bridge';
import { appSlug } from './app-ids';
import { restoreInto } from './app-restore';
import { checkChildLimit } from './child-apps';
import { checkLocation } from './location';
import { AppJobs } from './app-jobs';
import { catalogueOf, prepareInstanceConfig } from '../app/instance-config';
import { EngineCore } from './engine-core';
import type { EngineOptions } from './engine-options';
import type { AppInfo, EndpointResponse, InstallRequest } from './engine-requests';
import { callEndpoint } from './endpoint-call';
import { AppSource, InstalledApp } from './installed-app';
import { RateLimiter } from './rate-limiter';
import { ScriptServices } from './script-services';
import { ShellEvaluator, type EvalResult, type EvalTarget } from './shell-eval';
import type { AppSnapshot, JobSnapshot } from './snapshot';
import { SunEvents } from './sun-events';
import { checkScript } from '../sandbox/static-check';
import type { DeviceSpec } from '../devices/types';
import { formatProblem, SourceError } from '../errors';
import type { DeviceEventRecord } from './records';

/**
 * One Thing: its devices, its location and its installed apps, each app in its own sandbox.
 * A plain object with methods in and typed events out; it knows nothing of CLIs, editors,
 * debuggers or processes, so every one of those drives it the same way.
 */
export class ThingEngine extends EngineCore {
  private readonly services: ScriptServices;
  private readonly sun: SunEvents;
  private readonly shell: ShellEvaluator;
  private readonly packages = new Map<string, AppSource>();
  private readonly endpointResults = new Map<number, string>();
  private idSeq = 0;

  private readonly scopedChildIds: boolean;

  constructor(options: EngineOptions) {
    super(options);
    this.scopedChildIds = options.scopedChildIds === true;
    this.sun = new SunEvents(this);
    this.services = new ScriptServices(this, {
      installChild: (parent, name, label, config) => this.installChild(parent, name, label, config),
      uninstallLater: (id) => this.enqueue(() => this.uninstall(id)),
      onSubscriptionsChanged: () => this.sun.refresh(),
      endpointResponse: (execId, response) => this.endpointResults.set(execId, response),
    });
    this.shell = new ShellEvaluator(this, this.services);
  }

  // ------------------------------------------------------------------ devices and location

  addDevice(spec: DeviceSpec): void {
    this.devices.add(spec, this.clock.now());
  }

  /** A device reports a new attribute value (a physical event, or one injected by a test). */
  deviceEvent(deviceId: string, attribute: string, value: unknown): DeviceEventRecord {
    return this.emitDeviceEvent(deviceId, attribute, value, 'DEVICE');
  }

  /** Several device reports handled as one turn (in order): one snapshot per app at the end. */
  deviceEvents(events: readonly (readonly [deviceId: string, attribute: string, value: unknown])[]): void {
    this.batch(() => {
      for (const [d, a, v] of events) this.emitDeviceEvent(d, a, v, 'DEVICE');
    });
  }

  /** A command sent to a device from outside the apps (a user, the platform, a test). */
  sendCommand(deviceId: string, command: string, args: unknown[] = []): void {
    this.services.sendCommand(deviceId, command, args);
  }

  setMode(mode: string): void {
    this.services.setMode(undefined, mode);
  }

  setPosition(latitude: number, longitude: number): void {
    // A bad position would make every later location read (and sun event) of every app fail.
    const problems = checkLocation({ ...this.location, latitude, longitude });
    if (problems.length) throw new RangeError(`setPosition: ${problems.join('; ')}`);
    this.location.latitude = latitude;
    this.location.longitude = longitude;
    this.sun.refresh();
    this.dispatchLocationEvent('position', `${latitude},${longitude}`);
  }

  /** Makes an app package known by name, so parents can add it as a child app. */
  registerPackage(source: AppSource): void {
    this.packages.set(source.name, source);
  }

  // ------------------------------------------------------------------ app lifecycle

  /**
   * Installs an app. Everything that can fail (config, script syntax, top-level code) is checked
   * before the app joins the Thing, so a bad app never half-installs and never disturbs the others.
   */
  install(req: InstallRequest): AppInfo {
    return this.installApp(req, true);
  }

  /** `named`: the app is named as the one loading (not for a child added inside its parent's execution, which stays the parent's). */
  private installApp(req: InstallRequest, named: boolean): AppInfo {
    const id = req.id ?? this.newId(req.source.name, this.scopedChildIds ? req.parentId : undefined);
    if (this.apps.has(id)) throw new Error(`an app with id "${id}" is already installed`);
    const label = req.label ?? req.source.appJson.name ?? req.source.name;
    const scriptProblems = checkScript(req.source);
    if (scriptProblems.some((p) => p.severity === 'error')) throw new SourceError(scriptProblems.filter((p) => p.severity === 'error'));
    const prepared = prepareInstanceConfig(req.source, req.config, catalogueOf(this.devices));
    let app: InstalledApp | undefined;
    const jobs = new AppJobs(this.clock, () => this.location.timeZone, (job) => this.runJob(app!, job), this.random);
    app = new InstalledApp(id, label, req.source, prepared.config, req.parentId, jobs, new RateLimiter(this.rateLimit), this.cpuLimitMs,
      createBridge(this.services, () => app!), (reason) => this.reportRejection(app!, reason));
    try {
      // Named while it loads: a top level that runs the engine out of memory (or past its limit in
      // native code) at every restore is the app's fault, and its worker can quarantine it.
      const load = () => {
        app!.sandbox.load();
        app!.declaredRoutes = app!.routes;
        app!.sandbox.controls.setSettings(JSON.stringify(prepared.settings), JSON.stringify(prepared.config));
        if (req.restore) this.restoreInto(app!, req.restore);
      };
      if (named) this.monitored(id, 'load', req.restore ? 'top level (while being restored)' : 'top level', load);
      else load();
    } catch (e) {
      app.sandbox.dispose();
      throw e;
    }
    this.registerPackage(req.source);
    this.apps.set(id, app);
    if (req.parentId) this.apps.get(req.parentId)?.children.add(id);
    // Said once, at the install: a restore (worker re-spawn) is the same app, already warned about.
    if (!req.restore) for (const w of [...prepared.warnings, ...scriptProblems.map(formatProblem)]) this.runtimeLog(app, 'warn', w);
    this.publish('app', {
      time: this.clock.now(), appId: id, appLabel: label, change: req.restore ? 'restored' : 'installed',
      install: { name: req.source.name, config: prepared.config, parentId: req.parentId },
    });
    const installed = app;
    if (!req.restore) this.enqueue(() => this.lifecycle(installed, 'installed'));
    this.markDirty(app);
    return this.appInfo(id);
  }

  /** New config for an installed app; calls updated(). A config that does not fit changes nothing. */
  update(appId: string, config: Record<string, unknown>): AppInfo {
    const app = this.requireApp(appId);
    const prepared = prepareInstanceConfig(app.source, config, catalogueOf(this.devices));
    app.config = prepared.config;
    app.sandbox.controls.setSettings(JSON.stringify(prepared.settings), JSON.stringify(prepared.config));
    for (const w of prepared.warnings) this.runtimeLog(app, 'warn', w);
    this.publish('app', { time: this.clock.now(), appId, appLabel: app.label, change: 'updated' });
    this.enqueue(() => this.lifecycle(app, 'updated'));
    return this.appInfo(appId);
  }

  /** Removes an app (children first): uninstalled(), then its subscriptions, jobs and child devices go. */
  uninstall(appId: string): void {
    const app = this.apps.get(appId);
    if (!app || app.uninstalling) return;
    for (const child of [...app.children]) this.uninstall(child);
    this.enqueue(() => {
      this.lifecycle(app, 'uninstalled');
      app.uninstalling = true;
      this.subs.remove((s) => s.appId === appId);
      app.jobs.clear();
      for (const d of app.childDevices) {
        this.subs.remove((s) => s.target === d);
        this.devices.remove(d);
      }
      this.apps.delete(appId);
      app.sandbox.dispose();
      this.sun.refresh();
      this.publish('app', { time: this.clock.now(), appId, appLabel: app.label, change: 'uninstalled' });
      const parent = app.parentId ? this.apps.get(app.parentId) : undefined;
      if (parent) {
        parent.children.delete(appId);
        const arg = JSON.stringify({ id: app.id, label: app.label, name: app.source.name });
        const ran = this.execute(parent, 'childUninstalled', 'childUninstalled', (id) => parent.sandbox.controls.runLifecycle(id, 'childUninstalled', arg));
        if (!ran) this.lifecycleDropped(parent, 'childUninstalled', `childUninstalled() was not run for "${app.label}"`, 'the child app was removed anyway');
      }
    });
  }

  /** The user taps the app: handlers subscribed with subscribe(app, handler) run. */
  touch(appId: string): void {
    this.requireApp(appId);
    this.enqueue(() => {
      const time = this.clock.now();
      for (const s of this.subs.find('app', appId, '')) {
        const app = this.apps.get(s.appId);
        if (app) this.execute(app, 'touch', s.handler, (id) => app.sandbox.controls.runTouch(id, s.handler, time));
      }
    });
  }

  /** A web-service call to one of the app's mappings() routes. */
  callEndpoint(appId: string, method: string, url: string, body?: unknown): EndpointResponse {
    const app = this.requireApp(appId);
    return callEndpoint(this, app, (execId) => {
      const raw = this.endpointResults.get(execId);
      this.endpointResults.delete(execId);
      return raw;
    }, method, url, body);
  }

  /** The JS Shell: an expression evaluated in an app's context or the Thing's shell context (shell-eval.ts). */
  evaluate(target: EvalTarget, expression: string): EvalResult {
    return this.shell.evaluate(target, expression);
  }

  // ------------------------------------------------------------------ inspection

  appInfo(appId: string): AppInfo {
    const app = this.requireApp(appId);
    return {
      id: app.id, label: app.label, name: app.source.name, version: app.source.version, parentId: app.parentId,
      children: [...app.children], config: app.config,
      subscriptions: this.subs.ofApp(app.id).map(({ appId: _a, ...s }) => s),
      jobs: app.jobs.list(), routes: app.routes.map((r) => `${r.method} ${r.pattern}`),
      state: JSON.parse(app.stateJson), budget: app.rate.budget(this.clock.now()),
    };
  }

  listApps(): AppInfo[] {
    return [...this.apps.keys()].map((id) => this.appInfo(id));
  }

  snapshot(appId: string): AppSnapshot {
    return this.snapshotOf(this.requireApp(appId));
  }

  dispose(): void {
    this.sun.dispose();
    this.shell.dispose();
    for (const app of this.apps.values()) {
      app.jobs.clear();
      app.sandbox.dispose();
    }
    this.apps.clear();
  }

  // ------------------------------------------------------------------ internals

  private requireApp(appId: string): InstalledApp {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`no installed app with id "${appId}"; installed: ${[...this.apps.keys()].join(', ') || 'none'}`);
    return app;
  }

  private newId(name: string, under?: string): string {
    const slug = appSlug(name);
    let id: string;
    do id = `${under ? `${under}.` : ''}${slug}-${++this.idSeq}`;
    while (this.apps.has(id));
    return id;
  }

  /**
   * Lifecycle callbacks count against the rate limit like any execution (seed 001, "Anatomy &
   * Life-Cycle of a SmartApp"; issue 13).
   */
  private lifecycle(app: InstalledApp, name: 'installed' | 'updated' | 'uninstalled'): void {
    const ran = this.execute(app, name, name, (id) => app.sandbox.controls.runLifecycle(id, name, ''));
    if (!ran) this.lifecycleDropped(app, name, `${name}() was not run`, LIFECYCLE_LEFT_UNDONE[name]);
  }

  /** A lifecycle callback the rate limit dropped: the change goes on without it, and the log says what was left undone. */
  private lifecycleDropped(app: InstalledApp, name: string, what: string, consequence: string): void {
    const why = this.rateLimitedText(app);
    if (why && app.sandbox.controls.hasFunction(name)) this.runtimeLog(app, 'warn', `${what}: ${why}; ${consequence}`);
  }

  private runJob(app: InstalledApp, job: JobSnapshot): void {
    this.markDirty(app);
    this.enqueue(() => {
      if (this.apps.get(app.id) !== app) return;
      const mark = (phase: 'start' | 'end') => this.publish('job', { time: this.clock.now(), appId: app.id, jobId: job.id, handler: job.handler, phase });
      mark('start');
      this.execute(app, 'schedule', job.handler, (id) => app.sandbox.controls.runScheduled(id, job.handler, job.data, this.clock.now()));
      mark('end');
    });
  }

  private installChild(parent: InstalledApp, appName: string, label: string, config: Record<string, unknown>): InstalledApp {
    const source = this.packages.get(appName);
    if (!source) throw new Error(`addChildApp: no app named "${appName}" is available; known apps: ${[...this.packages.keys()].join(', ')}`);
    // Each child app is a context re-created (top level and all) at every restore: a wall against a runaway loop.
    checkChildLimit(parent, this.apps);
    const info = this.installApp({ source, config, label, parentId: parent.id }, false);
    return this.apps.get(info.id)!;
  }

  private restoreInto(app: InstalledApp, snap: AppSnapshot): void {
    restoreInto(this, this.services, app, snap);
    this.sun.refresh();
  }
}

/** What a lifecycle callback that the rate limit dropped leaves undone. */
const LIFECYCLE_LEFT_UNDONE = {
  installed: 'the app is installed, but what installed() sets up was not done. Install the app again after that',
  updated: 'the new config is in place, but what updated() sets up from it was not done. Update the app again after that',
  uninstalled: 'the app was removed anyway, with its subscriptions, jobs and child devices',
} as const;


