/**
 * The configuration guide's state as the page holds it, and every change to it, as pure functions:
 * what the extension sent (app.json, devices, outputs, an instance file), the values entered, the
 * page shown. The page renders `modelOf(state)`; "Save" and the other actions send
 * `instanceOf(state)`. Node tests drive the same functions the page does.
 *
 * Runs in the browser: nothing here may reach a `node:` module (test/guide/ checks it).
 */
import type { AppJson, JsonValue } from '../runtime/app/app-json-types';
import { checkConfig } from '../runtime/app/check-config';
import { applyDefaults } from '../runtime/app/config-object';
import type { ConfigPath, ConfigProblem, SelectorCatalogue } from '../runtime/app/config-types';
import { topLevelInputNames } from '../runtime/app/input-rules';
import { catalogueOfSpecs } from '../runtime/app/instance-config';
import type { DeviceSpec } from '../runtime/devices/types';
import { carryConfig } from './carry-config';
import { addRow, getAt, removeRow, setAt } from './config-edits';
import type { AppJsonProblem, ExtensionMessage, InstanceObject, PageAction } from './messages';
import { buildGuideModel, type GuideModel, type NotificationOutput } from './view-model';

type Config = Record<string, JsonValue>;

export interface GuideState {
  appName: string;
  /** The last app.json that could be used (kept while the file is broken). */
  appJson?: AppJson;
  problem?: AppJsonProblem;
  /** app.json could not be read at all: the guide shown is the last one that could. */
  stale?: boolean;
  devices: DeviceSpec[];
  devicesFrom: string;
  /** "Change…" is offered beside where the devices come from. */
  devicesChoosable?: boolean;
  catalogue: SelectorCatalogue;
  outputs: NotificationOutput[];
  /** What the summary offers: the actions the editor can carry out. */
  actions: PageAction[];
  /** Every value entered, including ones of inputs app.json no longer has (they come back with the input). */
  config: Config;
  name: string;
  app_id: number;
  installation_id: number;
  version: string;
  /** The instance file the values came from, if any. */
  file?: string;
  /** The page shown: 0 … pages − 1, and pages for the summary at the end. */
  page: number;
}

export function initialState(): GuideState {
  return { appName: '', devices: [], devicesFrom: '', catalogue: catalogueOfSpecs([]), outputs: [], actions: [], config: {}, name: '', app_id: 1, installation_id: 1, version: '1.0.0', page: 0 };
}

/** The state after a message from the extension. */
export function receive(state: GuideState, msg: ExtensionMessage): GuideState {
  switch (msg.type) {
    case 'app': {
      const next = { ...state, appName: msg.appName, devicesFrom: msg.devicesFrom, devicesChoosable: msg.devicesChoosable === true, outputs: msg.notificationOutputs, actions: msg.actions };
      if (JSON.stringify(msg.devices) !== JSON.stringify(state.devices)) {
        next.devices = msg.devices;
        next.catalogue = catalogueOfSpecs(msg.devices);
      }
      // A problem is shown either way; an app.json that could still be read (a misspelt key, say) is used.
      if (msg.problem) next.problem = msg.problem;
      else delete next.problem;
      next.stale = !msg.appJson;
      if (!msg.appJson) return next;
      next.config = state.appJson ? carryConfig(state.appJson, msg.appJson, state.config) : state.config;
      next.appJson = msg.appJson;
      if (!state.name && msg.appJson.name) next.name = msg.appJson.name;
      next.page = Math.min(state.page, msg.appJson.guide.length);
      return next;
    }
    case 'instance': {
      const i = msg.instance;
      return { ...state, config: i.config, name: i.name, app_id: i.app_id, installation_id: i.installation_id, version: i.version, file: msg.file };
    }
    case 'outputAdded': {
      const outputs = state.outputs.some((o) => String(o.id) === String(msg.output.id)) ? state.outputs : [...state.outputs, msg.output];
      return { ...state, outputs, config: selectOutput(state, msg.path, msg.output.id) };
    }
    case 'done':
      return state;
  }
}

/** Selects a new output: the only one of a single selector, one more of a multi selector. */
function selectOutput(state: GuideState, path: ConfigPath, id: string | number): Config {
  const key = path[path.length - 1];
  const input = typeof key === 'string' ? state.appJson?.input[key] : undefined;
  if (input?.type === 'multi_notification_output_selector') {
    const current = getAt(state.config, path);
    const list = Array.isArray(current) ? current.filter((v) => v !== id) : [];
    return setAt(state.config, path, [...list, id]);
  }
  return setAt(state.config, path, id);
}

export const edit = (state: GuideState, path: ConfigPath, value: JsonValue | undefined): GuideState => ({ ...state, config: setAt(state.config, path, value) });

export const addRowAt = (state: GuideState, path: ConfigPath): GuideState => (state.appJson ? { ...state, config: addRow(state.appJson, state.config, path) } : state);

export const removeRowAt = (state: GuideState, path: ConfigPath, index: number): GuideState => (state.appJson ? { ...state, config: removeRow(state.appJson, state.config, path, index) } : state);

export const rename = (state: GuideState, name: string): GuideState => ({ ...state, name });

/** Goes to page `page` (the summary is one past the last page), but never past a page that is not complete. */
export function goTo(state: GuideState, page: number): GuideState {
  const model = modelOf(state);
  if (!model) return state;
  let allowed = 0;
  while (allowed < model.pages.length && model.pages[allowed].complete) allowed++;
  return { ...state, page: Math.max(0, Math.min(page, allowed, model.pages.length)) };
}

let memo: { appJson: AppJson; config: Config; catalogue: SelectorCatalogue; outputs: NotificationOutput[]; model: GuideModel } | undefined;

/** The view model of the guide (undefined before app.json was ever read). Rebuilt only when its inputs change. */
export function modelOf(state: GuideState): GuideModel | undefined {
  const { appJson, config, catalogue, outputs } = state;
  if (!appJson) return undefined;
  if (memo && memo.appJson === appJson && memo.config === config && memo.catalogue === catalogue && memo.outputs === outputs) return memo.model;
  const model = buildGuideModel(appJson, config, { catalogue, notificationOutputs: outputs });
  memo = { appJson, config, catalogue, outputs, model };
  return model;
}

/**
 * Seed 003's instance object: the config of app.json's inputs, with the defaults the wizard shows
 * filled in (so the file says what the app will get), and the repeats' real rows only.
 */
export function instanceOf(state: GuideState): InstanceObject {
  const config: Config = {};
  if (state.appJson) {
    const withDefaults = applyDefaults(state.appJson, state.config) as Config;
    for (const name of topLevelInputNames(state.appJson)) if (withDefaults[name] !== undefined) config[name] = withDefaults[name];
  }
  return { app_id: state.app_id, installation_id: state.installation_id, version: state.appJson?.version ?? state.version, config, name: state.name };
}

/**
 * What the runtime's own checker says of the instance's config (the one that refuses it at
 * install): shown on the summary, so a config is known good before it is saved or run.
 */
export function configProblems(state: GuideState): ConfigProblem[] {
  if (!state.appJson) return [];
  const outputs = state.outputs.map((o) => o.id);
  return checkConfig(state.appJson, instanceOf(state).config, { ...state.catalogue, notificationOutputIds: () => outputs });
}
