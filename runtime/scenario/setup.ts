/**
 * Everything a scenario needs before it runs, decided up front: its start time, location, devices,
 * config, the config of each update step, and whether every device, attribute, command and mode its
 * steps name exists. A scenario with a mistake fails before its first step, pointing at the mistake.
 */
import { DISK_FILES, type AppPackage, type FileSource } from '../app/load-app';
import { catalogueOf } from '../app/instance-config';
import { checkLocation, DEFAULT_LOCATION, type LocationSpec } from '../engine/location';
import { DeviceRegistry } from '../devices/registry';
import { didYouMean, suggest } from '../suggest';
import type { DeviceSpec } from '../devices/types';
import { checkAttributeValue } from '../devices/values';
import { type Fix, hasErrors, literalFix, type SourceProblem } from '../errors';
import { isConfigProblem, loadConfig, loadDevices, loadOtherApp, mergeUpdate, problemAtPos } from './sources';
import { resolveTime } from './time-text';
import { DEFAULT_START, type LocationInput, type Pos, type Scenario, type ScenarioFile, type Step } from './types';

export interface ScenarioSetup {
  start: number;
  location: LocationSpec;
  devices: DeviceSpec[];
  /** The config as written (the engine applies defaults); undefined when it does not fit. */
  config?: Record<string, unknown>;
  /** Why installing with this config must fail (config-* problems); checked against expectInstallError. */
  installProblems: SourceProblem[];
  /** The instance's name from an instance file. */
  label?: string;
  /** The app under test's label as the runtime shows it (the instance's name, else app.json's name). */
  appLabel: string;
  /** The other apps (`"apps"`), installed before the app under test, in order. */
  otherApps: OtherApp[];
  /** Configs of update steps, merged, by step index. */
  updates: Map<number, Record<string, unknown>>;
  /** Mistakes in the scenario (errors stop it) and warnings. */
  problems: SourceProblem[];
}

/** One of the other apps a scenario installs, ready to install. */
export interface OtherApp {
  app: AppPackage;
  config: Record<string, unknown>;
  label: string;
  /** Where it is written (the entry of "apps"), for a failed install. */
  at: Pos;
}

export function setupScenario(parsed: ScenarioFile, scenario: Scenario, app: AppPackage, files: FileSource = DISK_FILES): ScenarioSetup {
  const d = parsed.defaults;
  const problems: SourceProblem[] = [];
  const at = (pos: Pos, code: string, message: string, fix?: string) => problems.push(problemAtPos(parsed.file, pos, code, message, fix));

  const location = mergeLocation(d.location, scenario.location);
  for (const message of checkLocation(location)) {
    const pos = pick(message.startsWith('location mode') ? 'mode' : message.startsWith('latitude') ? 'latitude' : message.startsWith('longitude') ? 'longitude' : 'timeZone', scenario, d.location);
    at(pos ?? scenario, 'location-invalid', message);
  }

  let start = Date.parse(DEFAULT_START);
  const startRef = scenario.start ?? d.start;
  if (startRef) {
    const t = safeResolve(() => resolveTime(startRef.spec, start, location));
    if (t === undefined) at(startRef, 'time-invalid', `"start" ${startRef.text} cannot be placed in time zone ${location.timeZone}`);
    else start = t;
  }

  const devicesRef = scenario.devices ?? d.devices;
  const loaded = loadDevices(parsed, devicesRef, files);
  problems.push(...loaded.problems);
  const registry = new DeviceRegistry();
  for (const spec of loaded.devices) {
    try {
      registry.add(spec);
    } catch (e) {
      at(devicesRef ?? scenario, 'device-invalid', e instanceof Error ? e.message : String(e));
    }
  }
  const catalogue = catalogueOf(registry);

  const configRef = scenario.config ?? d.config;
  const cfg = loadConfig(parsed, configRef, app, catalogue, scenario, files);
  const installProblems = cfg.problems.filter((p) => p.severity === 'error' && isConfigProblem(p));
  problems.push(...cfg.problems.filter((p) => !installProblems.includes(p)));

  const updates = new Map<number, Record<string, unknown>>();
  let current = cfg.config ?? {};
  for (const step of scenario.steps) {
    if (step.kind !== 'update') continue;
    const u = step.config.kind === 'inline' ? mergeUpdate(parsed, step.config, current, app, catalogue) : loadConfig(parsed, step.config, app, catalogue, step, files);
    problems.push(...u.problems);
    if (u.config) updates.set(step.index, (current = u.config));
  }

  const otherApps: OtherApp[] = [];
  for (const ref of scenario.apps ?? d.apps ?? []) {
    const other = loadOtherApp(parsed, ref, files);
    problems.push(...other.problems);
    if (!other.app || hasErrors(other.problems)) continue;
    // The other apps are the Thing's surroundings: a config that does not fit is the scenario's mistake.
    const c = loadConfig(parsed, ref.config, other.app, catalogue, ref, files);
    problems.push(...c.problems);
    if (c.config && !hasErrors(c.problems)) otherApps.push({ app: other.app, config: c.config, label: ref.label ?? c.name ?? labelOf(other.app), at: ref });
  }
  const appLabel = cfg.name ?? labelOf(app);
  const labels = [appLabel, ...otherApps.map((o) => o.label)];
  otherApps.forEach((o, i) => {
    if (labels.indexOf(o.label) !== i + 1) problems.push(problemAtPos(parsed.file, o.at, 'app-label-duplicate', `another app on this Thing is also labelled "${o.label}", so reports and "app" in expectations cannot tell them apart`, 'give this entry its own "label"', 'warning'));
  });

  checkStepReferences(parsed.file, scenario.steps, registry, location, problems, labels);
  return {
    start, location, devices: loaded.devices,
    ...(installProblems.length === 0 && cfg.config ? { config: cfg.config } : {}),
    installProblems, ...(cfg.name !== undefined ? { label: cfg.name } : {}), appLabel, otherApps, updates, problems,
  };
}

/** The label the runtime gives an app installed without one. */
function labelOf(app: AppPackage): string {
  return app.appJson.name ?? app.name;
}

function mergeLocation(defaults: LocationInput | undefined, own: LocationInput | undefined): LocationSpec {
  const strip = (l: LocationInput | undefined): Partial<LocationSpec> => {
    if (!l) return {};
    const { at: _at, ...rest } = l;
    return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<LocationSpec>;
  };
  const merged = { ...DEFAULT_LOCATION, ...strip(defaults), ...strip(own) };
  return { ...merged, modes: [...merged.modes] };
}

function pick(key: string, scenario: Scenario, defaults: LocationInput | undefined): Pos | undefined {
  return scenario.location?.at[key] ?? defaults?.at[key] ?? scenario.location?.at.modes ?? defaults?.at.modes;
}

function safeResolve(f: () => number | undefined): number | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Devices, attributes, functions, commands and modes named by steps must exist. */
function checkStepReferences(file: string, steps: Step[], registry: DeviceRegistry, location: LocationSpec, problems: SourceProblem[], labels: readonly string[]): void {
  const at = (pos: Pos, code: string, message: string, fix?: Fix) => problems.push(problemAtPos(file, pos, code, message, fix));
  // With a did-you-mean, the fix is also the literal that replaces the value written at `pos`
  // (an editor's quick fix); `written` turns the suggestion into that value (an attributes key).
  const fixWith = (text: string, name: string, candidates: readonly string[], written: (s: string) => string = (s) => s): Fix => {
    const s = suggest(name, candidates);
    return s === undefined ? text : literalFix(text, JSON.stringify(written(s)));
  };
  const ids = registry.all().map((dev) => dev.id);
  const device = (id: string, pos: Pos, written?: (s: string) => string) => {
    const dev = registry.get(id);
    if (!dev) at(pos, 'device-unknown', `unknown device "${id}"${didYouMean(id, ids)}`, ids.length ? fixWith(`the devices are: ${ids.join(', ')}`, id, ids, written) : 'the scenario has no devices; add "devices"');
    return dev;
  };
  const attribute = (devId: string, name: string, pos: Pos, written?: (s: string) => string) => {
    const dev = registry.get(devId)!;
    const spec = dev.attributeSpec(name);
    if (!spec) {
      const names = dev.supportedAttributes().map((a) => a.name);
      at(pos, 'attribute-unknown', `device "${devId}" has no attribute "${name}"${didYouMean(name, names)}`, fixWith(`its attributes are: ${names.join(', ')}`, name, names, written));
    }
    return spec;
  };
  const command = (devId: string, name: string, pos: Pos) => {
    const dev = registry.get(devId)!;
    if (dev.hasCommand(name)) return;
    const names = dev.supportedCommands().map((c) => c.name);
    at(pos, 'command-unknown', `device "${devId}" has no command "${name}"${didYouMean(name, names)}`, names.length ? fixWith(`its commands are: ${names.join(', ')}`, name, names) : 'it is a sensor: change it with an event step');
  };
  const mode = (m: string, pos: Pos) => {
    if (!location.modes.includes(m)) at(pos, 'mode-unknown', `location mode "${m}" does not exist${didYouMean(m, location.modes)}`, fixWith(`the modes are: ${location.modes.join(', ')}; add it to "location": { "modes": [ … ] }`, m, location.modes));
  };

  for (const step of steps) {
    const pos = (key: string): Pos => step.at[key] ?? step;
    switch (step.kind) {
      case 'event': {
        let devId = step.device;
        let attr = step.attribute;
        if (step.functionId !== undefined) {
          const fn = registry.functionById(step.functionId);
          if (!fn) {
            const fids = registry.functions().map((f) => String(f.id));
            at(pos('function'), 'function-unknown', `unknown function id ${JSON.stringify(step.functionId)}${didYouMean(String(step.functionId), fids)}`, fids.length ? `function ids: ${fids.slice(0, 8).join(', ')}${fids.length > 8 ? ', …' : ''}` : 'the scenario has no devices');
            break;
          }
          devId = fn.deviceId;
          attr = fn.attribute;
        } else if (!device(devId!, pos('device'))) break;
        const spec = attribute(devId!, attr!, pos(step.functionId !== undefined ? 'function' : 'attribute'));
        if (!spec) break;
        const checked = checkAttributeValue(spec, step.value);
        if (!checked.ok) at(pos('value'), 'event-value', checked.message, checked.fix);
        break;
      }
      case 'command':
        if (device(step.device, pos('device'))) command(step.device, step.command, pos('command'));
        break;
      case 'mode':
        mode(step.mode, pos('value'));
        break;
      case 'expect': {
        const e = step.expect;
        e.commands?.forEach((c, i) => {
          if (device(c.device, pos(`commands[${i}].device`))) command(c.device, c.command, pos(`commands[${i}].command`));
        });
        for (const a of e.attributes ?? []) {
          // Written as one key, "lamp.switch": a fix replaces the whole key.
          const key = pos(`attributes.${a.key}`);
          if (device(a.device, key, (d) => `${d}.${a.attribute}`)) attribute(a.device, a.attribute, key, (n) => `${a.device}.${n}`);
        }
        if (e.mode !== undefined) mode(e.mode, pos('mode'));
        for (const [key, count] of [['commands', e.commandCount], ['executions', e.executions]] as const) {
          if (count?.app === undefined || labels.includes(count.app)) continue;
          at(pos(`${key}.app`), 'app-unknown', `no app on this Thing is labelled "${count.app}"${didYouMean(count.app, [...labels])}`, fixWith(`the apps are: ${labels.map((l) => JSON.stringify(l)).join(', ')}`, count.app, labels));
        }
        break;
      }
      default:
        break;
    }
  }
}
