/**
 * What the configuration guide is built from, read from an app folder: app.json (its text may be
 * an unsaved editor buffer), the devices the selectors offer (devices.json), the installation's
 * notification outputs (notification-outputs.json) and an instance file's values. Plain Node, so
 * tests read apps the way the extension does.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import { parseInstanceFile } from '../../runtime/app/instance-file';
import { formatProblem } from '../../runtime/errors';
import { checkDevicesFile } from '../../runtime/devices/devices-file';
import type { DeviceSpec } from '../../runtime/devices/types';
import type { AppJson, JsonValue } from '../../runtime/app/app-json-types';
import type { AppJsonProblem, ExtensionMessage, InstanceObject, PageAction } from '../../guide/messages';
import type { NotificationOutput } from '../../guide/view-model';
import { readNotificationOutputs } from './notification-outputs';

export interface AppJsonRead {
  appJson?: AppJson;
  problem?: AppJsonProblem;
}

/** app.json's text as the guide uses it: the model when it can be read, and the first error with where it is. */
export function readAppJson(text: string, file: string): AppJsonRead {
  const parsed = parseAppJson(text, file);
  const first = parsed.problems.find((p) => p.severity === 'error');
  const problem = first ? { file: path.basename(file), line: first.line, column: first.column, message: first.message, ...(first.fix ? { fix: first.fix } : {}) } : undefined;
  return { ...(parsed.appJson ? { appJson: parsed.appJson } : {}), ...(problem ? { problem } : {}) };
}

export interface DevicesRead {
  devices: DeviceSpec[];
  /** Where they come from, said to the user: "devices.json", or why there are none. */
  from: string;
}

export function readDevices(appDir: string): DevicesRead {
  const file = path.join(appDir, 'devices.json');
  if (!existsSync(file)) return { devices: [], from: 'no devices.json (add one beside app.json to choose devices)' };
  const { devices, problems } = checkDevicesFile(readFileSync(file, 'utf8'), file);
  const error = problems.find((p) => p.severity === 'error');
  return error ? { devices: [], from: `devices.json, which has an error: ${formatProblem({ ...error, file: 'devices.json' })}` } : { devices, from: 'devices.json' };
}

/** What the guide offers besides app.json: read once, and again when their files change. */
export interface AppSurroundings {
  devices: DevicesRead;
  notificationOutputs: NotificationOutput[];
}

export function readSurroundings(appDir: string): AppSurroundings {
  return { devices: readDevices(appDir), notificationOutputs: readNotificationOutputs(appDir) };
}

/** The app message for the page, from app.json's text and the files beside it (read now, unless given). */
export function appMessage(appDir: string, appJsonText: string, actions: PageAction[], around: AppSurroundings = readSurroundings(appDir)): Extract<ExtensionMessage, { type: 'app' }> {
  const { appJson, problem } = readAppJson(appJsonText, path.join(appDir, 'app.json'));
  return {
    type: 'app',
    appName: appJson?.name ?? path.basename(appDir),
    ...(appJson ? { appJson } : {}),
    ...(problem ? { problem } : {}),
    devices: around.devices.devices,
    devicesFrom: around.devices.from,
    notificationOutputs: around.notificationOutputs,
    actions,
  };
}

/**
 * An instance file as the page starts from it: seed 003's API body, or a bare config object (the
 * identity then defaults: app 1, installation 1, app.json's version). Undefined when the file
 * cannot be read as JSON; config problems do not stop it (the guide shows and mends them).
 */
export function readInstance(file: string, appJson: AppJson | undefined): InstanceObject | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const parsed = parseInstanceFile(text, file, appJson ?? { input: {}, guide: [] });
  if (!parsed.config) return undefined;
  return {
    app_id: parsed.appId ?? 1,
    installation_id: parsed.installationId ?? 1,
    version: parsed.version ?? appJson?.version ?? '1.0.0',
    config: parsed.config as Record<string, JsonValue>,
    name: parsed.name ?? appJson?.name ?? path.basename(path.dirname(file)),
  };
}

/** The text an instance file is written with: seed 003's object, two-space indented. */
export function instanceFileText(instance: InstanceObject): string {
  const { app_id, installation_id, version, name, config } = instance;
  return JSON.stringify({ app_id, installation_id, version, name, config }, null, 2) + '\n';
}

/** A file name for a named instance: "Kitchen light" → kitchen-light.instance.json. */
export function namedInstanceFile(name: string): string {
  // Accents dropped (Ü → u) rather than splitting the word.
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${slug || 'new'}.instance.json`;
}

/** The notification output ids a config selects (top-level and in repeat rows). */
export function notificationIds(appJson: AppJson, config: Record<string, unknown>): (string | number)[] {
  const ids: (string | number)[] = [];
  const visit = (obj: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(obj)) {
      const input = appJson.input[key];
      if (!input) continue;
      if (input.type === 'repeat' && Array.isArray(value)) for (const row of value) if (row && typeof row === 'object') visit(row as Record<string, unknown>);
      if (input.type === 'single_notification_output_selector' || input.type === 'multi_notification_output_selector') {
        for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'number' || typeof v === 'string') ids.push(v);
      }
    }
  };
  visit(config);
  return ids;
}
