/**
 * An instance config made ready to run: seed 003's defaults applied, checked against app.json and
 * the Thing's devices, and its selectors resolved. One piece of code for every place that makes
 * or reads instance configs: the engine's install and update, the CLI, the scenario runner, the
 * debugger and the configuration guide's page (which runs in a browser: no `node:` module may be
 * reached from here; test/runtime/app/browser-safe.test.ts bundles it for the browser to check).
 */
import type { JsonValue, AppJson } from './app-json-types';
import { checkConfig } from './check-config';
import { applyDefaults, resolveSettings } from './config-object';
import type { ConfigProblem, SelectorCatalogue, SettingsDescriptor } from './config-types';
import { matchesFilter } from '../devices/filter';
import { DeviceRegistry } from '../devices/registry';
import type { DeviceSpec } from '../devices/types';

/** A config that does not fit the app's app.json; nothing was installed or changed. */
export class ConfigError extends Error {
  constructor(
    readonly appName: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`the config of app "${appName}" does not fit its app.json:\n` + problems.map(formatConfigProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatConfigProblem(p: ConfigProblem): string {
  const path = p.path.length ? p.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '') : '(config)';
  return `  ${path}: ${p.severity}: ${p.message}${p.fix ? ` Fix: ${p.fix}` : ''} [${p.code}]`;
}

/** The devices of a Thing as the config checker sees them. */
export function catalogueOf(devices: DeviceRegistry): SelectorCatalogue {
  return {
    functionById: (id) => devices.functionById(id),
    deviceById: (id) => {
      const d = devices.get(String(id));
      // The same meta a device's functions carry, so a filter on name or device_id means the same for both selectors.
      return d ? { id: d.id, type: d.type, meta: { ...d.meta, device_id: d.id, name: d.label }, capabilities: d.capabilities.map((c) => c.id) } : undefined;
    },
    functionIds: () => devices.all().flatMap((d) => d.functions().map((f) => f.id)),
    deviceIds: () => devices.all().map((d) => d.id),
    matches: (filter, subject) =>
      matchesFilter(filter, { type: subject.type ?? '', meta: subject.meta ?? {}, id: subject.id, capabilities: 'capabilities' in subject ? subject.capabilities : undefined }),
  };
}

/** The catalogue of a list of device specs (a devices.json, or the devices a platform reports). */
export function catalogueOfSpecs(specs: readonly DeviceSpec[]): SelectorCatalogue {
  const registry = new DeviceRegistry();
  for (const spec of specs) registry.add(spec);
  return catalogueOf(registry);
}

export interface PreparedConfig {
  config: Record<string, unknown>;
  settings: SettingsDescriptor;
  warnings: string[];
}

/** What prepareInstanceConfig needs of an app: its name (for messages) and its app.json. */
export interface ConfiguredApp {
  name: string;
  appJson: AppJson;
}

/**
 * Applies defaults, checks the result against app.json and the devices, and resolves selectors.
 * Throws ConfigError (every error, with where and how to fix it) when the config does not fit.
 */
export function prepareInstanceConfig(app: ConfiguredApp, config: Record<string, unknown>, devices: readonly DeviceSpec[] | SelectorCatalogue): PreparedConfig {
  const catalogue = Array.isArray(devices) ? catalogueOfSpecs(devices) : (devices as SelectorCatalogue);
  const withDefaults = applyDefaults(app.appJson, config) as Record<string, unknown>;
  const problems = checkConfig(app.appJson, withDefaults, catalogue);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ConfigError(app.name, errors);
  return {
    config: withDefaults,
    settings: resolveSettings(app.appJson, withDefaults as Record<string, JsonValue>),
    warnings: problems.filter((p) => p.severity !== 'error').map((p) => formatConfigProblem(p).trim()),
  };
}
