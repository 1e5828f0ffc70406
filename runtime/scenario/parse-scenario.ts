/**
 * `*.scenario.json` text → the scenario model, with every problem at its exact line and column.
 * Pure (no file system): the editor parses unsaved buffers the same way the runner does.
 */
import { isValidTimeZone } from '../clock/time-zone';
import type { SourceProblem } from '../errors';
import { describeValue, nodeValue, parseJsonDocument, sortByPosition, type JsonNode } from '../app/json-tree';
import { Reader } from './json-reader';
import { readSourceRef, readSteps } from './parse-steps';
import { DURATION_HELP, parseDuration, parseTime, TIME_HELP } from './time-text';
import type { ExtraAppRef, LocationInput, Scenario, ScenarioDefaults, ScenarioFile, ScenarioSettings, TimeRef } from './types';

const FILE_KEYS = ['$schema', 'app', 'start', 'location', 'devices', 'config', 'apps', 'rateLimit', 'cpuLimitMs', 'scenarios'];
const SCENARIO_KEYS = ['name', 'description', 'start', 'location', 'devices', 'config', 'apps', 'expectInstallError', 'steps'];
const APP_KEYS = ['app', 'config', 'label'];
const APPS_HELP = 'write "apps": [ { "app": "../other-app", "config": "../other-app/instance.json", "label": "Other" } ]';
const LOCATION_KEYS = ['name', 'mode', 'modes', 'timeZone', 'latitude', 'longitude', 'temperatureScale'];

export function parseScenarioFile(text: string, file: string): ScenarioFile {
  // A BOM is not part of the JSON; keeping it would shift every column on line 1.
  const clean = text.replace(/^\uFEFF/, '');
  const doc = parseJsonDocument(clean, file, { allowComments: true });
  const result: ScenarioFile = { file, text: clean, problems: [], fileProblems: [], defaults: {}, scenarios: [] };
  if (doc.problems.some((p) => p.code === 'json-syntax') || !doc.root) {
    result.problems = doc.problems;
    result.fileProblems = doc.problems;
    return result;
  }
  const r = new Reader(doc);
  const scenarioProblems = new Set<SourceProblem>();
  const root = doc.root;
  const props = r.object(root, 'a scenario file', 'write { "scenarios": [ { "name": "…", "steps": [ … ] } ] }');
  if (props) {
    const k = r.keyed(props, FILE_KEYS, 'the scenario file');
    readSettings(r, k, result.defaults);
    const app = k.get('app');
    if (app) {
      const path = r.string(app.valueNode, '"app"', { nonEmpty: true });
      if (path !== undefined) result.defaults.app = { path, ...r.pos(app.valueNode) };
    }
    const rate = k.get('rateLimit');
    if (rate) readRateLimit(r, rate.valueNode, result.defaults);
    const cpu = k.get('cpuLimitMs');
    if (cpu) result.defaults.cpuLimitMs = r.number(cpu.valueNode, '"cpuLimitMs"', (n) => (n > 0 ? undefined : 'must be more than 0'));
    const list = k.get('scenarios');
    if (!list) r.error(root, 'scenario-missing', 'the file has no "scenarios"', 'add "scenarios": [ { "name": "…", "steps": [ … ] } ]');
    else {
      const items = r.array(list.valueNode, '"scenarios"', 'write "scenarios": [ { "name": "…", "steps": [ … ] } ]') ?? [];
      if (items.length === 0 && list.valueNode.type === 'array') r.warn(list.valueNode, 'scenarios-empty', 'the file has no scenarios', 'add { "name": "…", "steps": [ … ] }');
      items.forEach((node, i) => {
        const before = r.problems.length;
        const s = readScenario(r, node, i);
        const own = r.problems.slice(before);
        if (s) {
          own.forEach((p) => scenarioProblems.add(p));
          s.problems = own;
          result.scenarios.push(s);
        }
      });
      warnDuplicateNames(r, result.scenarios, items);
    }
  }
  result.problems = sortByPosition([...doc.problems, ...r.problems]);
  result.fileProblems = result.problems.filter((p) => !scenarioProblems.has(p));
  return result;
}

function readScenario(r: Reader, node: JsonNode, index: number): Scenario | undefined {
  const props = r.object(node, `scenario ${index + 1}`, 'write { "name": "…", "steps": [ … ] }');
  if (!props) return undefined;
  const k = r.keyed(props, SCENARIO_KEYS, 'a scenario');
  const s: Scenario = { name: `scenario ${index + 1}`, ...r.pos(node), steps: [], problems: [] };
  const name = k.get('name');
  if (!name) r.error(node, 'scenario-missing', `scenario ${index + 1} has no "name"`, 'add "name": "what this scenario shows"');
  else {
    const n = r.string(name.valueNode, '"name"', { nonEmpty: true });
    if (n !== undefined) s.name = n;
  }
  const description = k.get('description');
  if (description) r.string(description.valueNode, '"description"');
  readSettings(r, k, s);
  const install = k.get('expectInstallError');
  if (install) {
    const text = r.string(install.valueNode, '"expectInstallError"');
    if (text !== undefined) s.expectInstallError = { text, ...r.pos(install.valueNode) };
  }
  const steps = k.get('steps');
  if (steps) {
    s.steps = readSteps(r, steps.valueNode);
    if (install && (steps.valueNode.children ?? []).length > 0) {
      r.warn(steps.keyNode, 'steps-not-run', 'the steps of a scenario that expects the install to fail are not run', 'move them to another scenario');
    }
  } else if (!install) {
    r.error(node, 'scenario-missing', `scenario "${s.name}" has no "steps"`, 'add "steps": [ … ]');
  }
  return s;
}

/** start, location, devices, config: the settings a scenario may override. */
function readSettings(r: Reader, k: Map<string, { keyNode: JsonNode; valueNode: JsonNode }>, into: ScenarioSettings): void {
  const start = k.get('start');
  if (start) into.start = readTime(r, start.valueNode, '"start"', false);
  const location = k.get('location');
  if (location) into.location = readLocation(r, location.valueNode);
  const devices = k.get('devices');
  if (devices) into.devices = readSourceRef(r, devices.valueNode, '"devices"', 'an array of devices or the path of a devices.json');
  const config = k.get('config');
  if (config) into.config = readSourceRef(r, config.valueNode, '"config"', 'a config object or the path of an instance.json');
  const apps = k.get('apps');
  if (apps) into.apps = readApps(r, apps.valueNode);
}

/** `"apps"`: other apps on the Thing, each `{ "app": path, "config"?: object | path, "label"?: text }`. */
function readApps(r: Reader, node: JsonNode): ExtraAppRef[] | undefined {
  const items = r.array(node, '"apps"', APPS_HELP);
  if (!items) return undefined;
  const out: ExtraAppRef[] = [];
  items.forEach((item, i) => {
    const props = r.object(item, `app ${i + 1} of "apps"`, 'write { "app": "../other-app" }');
    if (!props) return;
    const k = r.keyed(props, APP_KEYS, 'an entry of "apps"');
    const app = k.get('app');
    if (!app) {
      r.error(item, 'scenario-missing', `app ${i + 1} of "apps" has no "app"`, 'add "app": "<path of the app folder>" (relative to this file)');
      return;
    }
    const path = r.string(app.valueNode, '"app"', { nonEmpty: true });
    const configProp = k.get('config');
    const config = configProp ? readSourceRef(r, configProp.valueNode, '"config"', 'a config object or the path of an instance.json') : undefined;
    const labelProp = k.get('label');
    const label = labelProp ? r.string(labelProp.valueNode, '"label"', { nonEmpty: true }) : undefined;
    if (path === undefined || (configProp && !config) || (labelProp && label === undefined)) return;
    out.push({
      ...r.pos(item), path, pathAt: r.pos(app.valueNode),
      ...(config ? { config } : {}), ...(label !== undefined && labelProp ? { label, labelAt: r.pos(labelProp.valueNode) } : {}),
    });
  });
  return out;
}

function readTime(r: Reader, node: JsonNode, what: string, allowRelative: boolean): TimeRef | undefined {
  const v = nodeValue(node);
  const t = parseTime(v, allowRelative);
  if ('error' in t) {
    r.error(node, 'time-invalid', `${what}: ${t.error}`, allowRelative ? TIME_HELP : 'write an ISO time, e.g. "2024-01-01T12:00:00Z" (without Z: local time at the location)');
    return undefined;
  }
  return { text: String(v), spec: t.spec, ...r.pos(node) };
}

function readLocation(r: Reader, node: JsonNode): LocationInput | undefined {
  const props = r.object(node, '"location"', 'write { "mode": "Home", "timeZone": "Europe/Stockholm" }');
  if (!props) return undefined;
  const k = r.keyed(props, LOCATION_KEYS, '"location"');
  const out: LocationInput = { at: {} };
  for (const [key, p] of k) {
    const v = p.valueNode;
    out.at[key] = r.pos(v);
    switch (key) {
      case 'name':
      case 'mode':
        out[key] = r.string(v, `"${key}"`, { nonEmpty: true });
        break;
      case 'timeZone': {
        const tz = r.string(v, '"timeZone"', { nonEmpty: true });
        if (tz !== undefined && !isValidTimeZone(tz)) r.error(v, 'location-time-zone', `"${tz}" is not an IANA time zone name`, 'write e.g. "Europe/Stockholm" or "UTC"');
        else out.timeZone = tz;
        break;
      }
      case 'modes': {
        const items = r.array(v, '"modes"', 'write "modes": ["Home", "Away", "Night"]');
        if (!items) break;
        const modes = items.map((n) => r.string(n, 'a mode', { nonEmpty: true }));
        if (modes.length === 0) r.error(v, 'scenario-value', 'a location needs at least one mode');
        else if (modes.every((m): m is string => m !== undefined)) out.modes = modes;
        break;
      }
      case 'latitude':
        out.latitude = r.number(v, '"latitude"', (n) => (n >= -90 && n <= 90 ? undefined : 'must be within -90..90'));
        break;
      case 'longitude':
        out.longitude = r.number(v, '"longitude"', (n) => (n >= -180 && n <= 180 ? undefined : 'must be within -180..180'));
        break;
      case 'temperatureScale': {
        const t = nodeValue(v);
        if (t === 'C' || t === 'F') out.temperatureScale = t;
        else r.error(v, 'scenario-value', `"temperatureScale" must be "C" or "F"; got ${describeValue(t)}`);
        break;
      }
    }
  }
  // Whether mode is one of modes is checked at setup, when a scenario's location is merged.
  return out;
}

function readRateLimit(r: Reader, node: JsonNode, into: ScenarioDefaults): void {
  const v = nodeValue(node);
  if (v === false) {
    into.rateLimit = false;
    return;
  }
  const props = r.object(node, '"rateLimit"', 'write false (no limit) or { "executions": 250, "windowMs": 60000 }');
  if (!props) return;
  const k = r.keyed(props, ['executions', 'windowMs'], '"rateLimit"');
  const ex = k.get('executions');
  const win = k.get('windowMs');
  if (!ex || !win) {
    r.error(node, 'scenario-missing', `"rateLimit" needs ${!ex && !win ? '"executions" and "windowMs"' : !ex ? '"executions"' : '"windowMs"'}`, 'write { "executions": 250, "windowMs": 60000 }');
    return;
  }
  const executions = r.number(ex.valueNode, '"executions"', (n) => (Number.isInteger(n) && n > 0 ? undefined : 'must be a whole number more than 0'));
  const d = parseDuration(nodeValue(win.valueNode));
  if ('error' in d || d.ms <= 0) r.error(win.valueNode, 'duration-invalid', `"windowMs": ${'error' in d ? d.error : 'must be more than 0'}`, DURATION_HELP);
  else if (executions !== undefined) into.rateLimit = { executions, windowMs: d.ms };
}

function warnDuplicateNames(r: Reader, scenarios: Scenario[], nodes: JsonNode[]): void {
  const seen = new Map<string, number>();
  scenarios.forEach((s) => {
    const first = seen.get(s.name);
    if (first === undefined) {
      seen.set(s.name, s.line);
      return;
    }
    const node = nodes.find((n) => r.pos(n).line === s.line && r.pos(n).column === s.column);
    if (node) r.warn(node, 'scenario-duplicate-name', `another scenario is also named "${s.name}" (line ${first}); reports cannot tell them apart`, 'give each scenario its own name');
  });
}

