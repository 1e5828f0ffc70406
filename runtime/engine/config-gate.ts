import { checkConfig } from '../app/check-config';
import { applyDefaults, resolveSettings } from '../app/config-object';
import type { ConfigProblem, SelectorCatalogue, SettingsDescriptor } from '../app/config-types';
import type { JsonValue } from '../app/app-json-types';
import { matchesFilter } from '../devices/filter';
import type { DeviceRegistry } from '../devices/registry';
import type { AppSource } from './installed-app';

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

export interface PreparedConfig {
  config: Record<string, unknown>;
  settings: SettingsDescriptor;
  warnings: string[];
}

/** Applies defaults, checks the result against app.json and the Thing's devices, and resolves selectors. */
export function prepareInstanceConfig(source: AppSource, config: Record<string, unknown>, devices: DeviceRegistry): PreparedConfig {
  const withDefaults = applyDefaults(source.appJson, config) as Record<string, unknown>;
  const problems = checkConfig(source.appJson, withDefaults, catalogueOf(devices));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ConfigError(source.name, errors);
  return {
    config: withDefaults,
    settings: resolveSettings(source.appJson, withDefaults as Record<string, JsonValue>),
    warnings: problems.filter((p) => p.severity !== 'error').map((p) => formatConfigProblem(p).trim()),
  };
}
