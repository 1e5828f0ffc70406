/**
 * Completion in scenarios and instance files, from the app and its devices: in a scenario, device
 * ids, attribute names and commands (of the device the step names), `"device.attribute"` keys of
 * an attributes expectation, an attribute's values, step kinds, expect keys and config keys; in an
 * instance file, the app's inputs as config keys and device ids for device selectors. Every item
 * replaces the whole string under the cursor, quotes included.
 */
import * as path from 'node:path';
import { getLocation, getNodeValue, parseTree, type Node, type Segment } from 'jsonc-parser';
import { CompletionItemKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { APP_JSON, type FileSource } from '../../runtime/app/load-app';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import type { AppJson } from '../../runtime/app/app-json-types';
import { propertyValue } from '../../runtime/app/json-tree';
import type { SimDevice } from '../../runtime/devices/sim-device';
import { EXPECT_KEYS, STEP_KINDS } from '../../runtime/scenario/types';
import { appFolderOf } from '../service/app-file-check';
import type { AppFileKind } from '../service/app-file-kind';
import { devicesRegistry } from '../service/devices-file-registry';

const NONE: CompletionList = { isIncomplete: false, items: [] };

export function completeAppFile(kind: AppFileKind, document: TextDocument, filePath: string, offset: number, files: FileSource): CompletionList {
  if (kind === 'devices') return NONE;
  const text = document.getText();
  const root = parseTree(text, [], { allowTrailingComma: true });
  const location = getLocation(text, offset);
  const at = stringAt(root, offset);
  const range: Range = at ? { start: document.positionAt(at.offset), end: document.positionAt(at.offset + at.length) } : { start: document.positionAt(offset), end: document.positionAt(offset) };
  const items = kind === 'scenario' ? scenarioItems(location.path, location.isAtPropertyKey, root, filePath, files) : instanceItems(location.path, location.isAtPropertyKey, root, filePath, files);
  return { isIncomplete: false, items: items.map((i) => ({ ...i, filterText: JSON.stringify(i.label), textEdit: { range, newText: JSON.stringify(i.label) } })) };
}

type Item = Pick<CompletionItem, 'label' | 'kind' | 'detail' | 'sortText'>;

function scenarioItems(at: Segment[], isKey: boolean, root: Node | undefined, filePath: string, files: FileSource): Item[] {
  const last = at[at.length - 1];
  const parent = at[at.length - 2];
  const scenarioIndex = at[0] === 'scenarios' && typeof at[1] === 'number' ? at[1] : undefined;
  const devices = () => scenarioDevices(root, scenarioIndex, filePath, files);
  const stepNode = () => (root && scenarioIndex !== undefined && at[2] === 'steps' && typeof at[3] === 'number' ? nodeAt(root, at.slice(0, 4)) : undefined);
  // At a key, the path ends with the key being written: its object is the path before it.
  // A step: { "<kind>": … }
  if (isKey && at.length === 5 && at[2] === 'steps') return STEP_KINDS.map((k) => ({ label: k, kind: CompletionItemKind.Keyword, detail: 'step' }));
  if (isKey && at.length === 6 && at[4] === 'expect') return EXPECT_KEYS.map((k) => ({ label: k, kind: CompletionItemKind.Property, detail: 'expectation' }));
  // "attributes": { "<device>.<attribute>": … }
  if (isKey && parent === 'attributes' && at.includes('expect')) {
    return devices().flatMap((d) => d.supportedAttributes().map((a) => ({ label: `${d.id}.${a.name}`, kind: CompletionItemKind.Field, detail: a.values ? a.values.join(' | ') : a.kind })));
  }
  if (isKey && (parent === 'config' || parent === 'update')) return inputItems(appOfScenario(root, filePath, files));
  if (isKey) return [];
  if (last === 'device') return devices().map((d) => ({ label: d.id, kind: CompletionItemKind.Value, detail: d.label }));
  const step = stepNode();
  // The device named beside the cursor: in an event, a command step, or a commands expectation.
  const owner = root ? nodeAt(root, at.slice(0, -1)) : undefined;
  const deviceId = owner?.type === 'object' ? propertyValue(owner, 'device')?.value : undefined;
  const device = typeof deviceId === 'string' ? devices().find((d) => d.id === deviceId) : undefined;
  if (last === 'attribute') return (device ? [device] : devices()).flatMap((d) => d.supportedAttributes().map((a) => ({ label: a.name, kind: CompletionItemKind.Field, detail: d.id })));
  if (last === 'command') return (device ? [device] : devices()).flatMap((d) => d.supportedCommands().map((c) => ({ label: c.name, kind: CompletionItemKind.Method, detail: d.id })));
  if (last === 'value' && parent === 'event' && device && owner?.type === 'object') {
    const attribute = propertyValue(owner, 'attribute')?.value;
    const spec = typeof attribute === 'string' ? device.attributeSpec(attribute) : undefined;
    return (spec?.values ?? []).map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: `${device.id}.${spec!.name}` }));
  }
  // "attributes": { "lamp.switch": "<value>" }
  if (parent === 'attributes' && typeof last === 'string' && step) {
    const [id, name] = last.split('.');
    const spec = devices().find((d) => d.id === id)?.attributeSpec(name ?? '');
    return (spec?.values ?? []).map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: last }));
  }
  return [];
}

function instanceItems(at: Segment[], isKey: boolean, root: Node | undefined, filePath: string, files: FileSource): Item[] {
  const appDir = appFolderOf(filePath, files);
  const app = appDir === undefined ? undefined : readAppJson(appDir, files);
  if (!app || !root) return [];
  const isApi = root.type === 'object' && propertyValue(root, 'config')?.type === 'object' && !('config' in app.input);
  const configPath = isApi ? ['config'] : [];
  const within = at.slice(configPath.length);
  if (configPath.some((s, i) => at[i] !== s)) return [];
  if (isKey && within.length === 1) return inputItems(app);
  const input = typeof within[0] === 'string' ? app.input[within[0]] : undefined;
  if (isKey || !input || !(input.type === 'single_device_selector' || input.type === 'multi_device_selector')) return [];
  return devicesNear(filePath, appDir!, files).map((d) => ({ label: d.id, kind: CompletionItemKind.Value, detail: d.label }));
}

function inputItems(app: AppJson | undefined): Item[] {
  return Object.entries(app?.input ?? {}).map(([name, input]) => ({ label: name, kind: CompletionItemKind.Property, detail: `${input.type}${input.name ? ` — ${input.name}` : ''}` }));
}

function readAppJson(dir: string, files: FileSource): AppJson | undefined {
  const file = path.join(dir, APP_JSON);
  try {
    return parseAppJson(files.readText(file), file, { tolerant: true }).appJson;
  } catch {
    return undefined;
  }
}

function appOfScenario(root: Node | undefined, filePath: string, files: FileSource): AppJson | undefined {
  const ref = root?.type === 'object' ? propertyValue(root, 'app')?.value : undefined;
  const dir = typeof ref === 'string' ? path.resolve(path.dirname(filePath), ref) : appFolderOf(filePath, files);
  return dir === undefined ? undefined : readAppJson(dir, files);
}

/** The devices a scenario runs with: its own "devices", else the file's; inline or a devices file. */
function scenarioDevices(root: Node | undefined, scenarioIndex: number | undefined, filePath: string, files: FileSource): SimDevice[] {
  if (root?.type !== 'object') return [];
  const scenario = scenarioIndex === undefined ? undefined : nodeAt(root, ['scenarios', scenarioIndex]);
  const ref = (scenario?.type === 'object' ? propertyValue(scenario, 'devices') : undefined) ?? propertyValue(root, 'devices');
  if (ref?.type === 'string' && typeof ref.value === 'string') return devicesOf(path.resolve(path.dirname(filePath), ref.value), files);
  if (ref?.type === 'array' || ref?.type === 'object') return devicesRegistry(JSON.stringify(getNodeValue(ref)), filePath).all();
  return [];
}

/** The devices of the devices.json beside an instance file, else in its app folder. */
function devicesNear(filePath: string, appDir: string, files: FileSource): SimDevice[] {
  for (const dir of new Set([path.dirname(filePath), appDir])) {
    const found = devicesOf(path.join(dir, 'devices.json'), files);
    if (found.length) return found;
  }
  return [];
}

function devicesOf(file: string, files: FileSource): SimDevice[] {
  let text: string | undefined;
  try {
    text = files.readText(file);
  } catch {
    text = undefined;
  }
  return devicesRegistry(text, file).all();
}

function nodeAt(root: Node, at: Segment[]): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of at) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.type === 'array' ? node.children?.[segment] : undefined;
    else node = node.type === 'object' ? propertyValue(node, segment) : undefined;
  }
  return node;
}

/** The string token (key or value) the offset is in, quotes included. */
function stringAt(root: Node | undefined, offset: number): Node | undefined {
  if (!root) return undefined;
  const visit = (n: Node): Node | undefined => {
    if (offset < n.offset || offset > n.offset + n.length) return undefined;
    if (n.type === 'string') return offset > n.offset && offset <= n.offset + n.length ? n : undefined;
    for (const c of n.children ?? []) {
      const found = visit(c);
      if (found) return found;
    }
    return undefined;
  };
  return visit(root);
}
