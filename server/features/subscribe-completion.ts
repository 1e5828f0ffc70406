/**
 * Completion of the attribute in `subscribe(settings.x, "…")` in app.js: the attribute names and
 * `attribute.value` events the devices of input x can report. Which devices: those of the app's
 * devices.json that the input's filter matches; without one, every capability the catalogue
 * has, narrowed by the filter where it names a function type or a capability.
 */
import * as path from 'node:path';
import { parse } from 'acorn-loose';
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { InputSpec, SelectorFilter } from '../../runtime/app/app-json-types';
import { parseAppJson } from '../../runtime/app/parse-app-json';
import { allCapabilities } from '../../runtime/devices/capabilities';
import { fnmatch } from '../../runtime/devices/filter';
import type { AttributeSpec } from '../../runtime/devices/types';
import { catalogueOf } from '../../runtime/app/instance-config';
import { devicesRegistry } from '../service/devices-file-registry';
import { isNode, type EsNode } from './script-settings';

/** The input name and the string literal when the offset is inside `subscribe(settings.<name>, "…")`. */
export function subscribeAttributeAt(script: string, offset: number): { input: string; start: number; end: number } | undefined {
  let program: EsNode;
  try {
    program = parse(script, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as EsNode;
  } catch {
    return undefined;
  }
  let found: { input: string; start: number; end: number } | undefined;
  const visit = (node: EsNode): void => {
    if (found || offset < node.start || offset > node.end) return;
    if (node.type === 'CallExpression') {
      const callee = node.callee as EsNode;
      const [target, attribute] = (node.arguments as EsNode[]) ?? [];
      const name = target ? settingName(target) : undefined;
      if (callee.type === 'Identifier' && callee.name === 'subscribe' && name && attribute?.type === 'Literal' && typeof attribute.value === 'string' && offset > attribute.start && offset < attribute.end) {
        found = { input: name, start: attribute.start + 1, end: attribute.end - 1 };
        return;
      }
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) for (const c of v) { if (isNode(c)) visit(c); }
      else if (isNode(v)) visit(v);
    }
  };
  visit(program);
  return found;
}

function settingName(node: EsNode): string | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  const obj = node.object as EsNode;
  const prop = node.property as EsNode;
  if (obj.type !== 'Identifier' || obj.name !== 'settings') return undefined;
  if (!node.computed && prop.type === 'Identifier') return prop.name as string;
  return node.computed && prop.type === 'Literal' && typeof prop.value === 'string' ? prop.value : undefined;
}

export function completeSubscribe(document: TextDocument, scriptPath: string, offset: number, readFile: (path: string) => string | undefined): CompletionList | undefined {
  const at = subscribeAttributeAt(document.getText(), offset);
  if (!at) return undefined;
  const dir = path.dirname(scriptPath);
  const jsonText = readFile(path.join(dir, 'app.json'));
  const input = jsonText === undefined ? undefined : parseAppJson(jsonText, path.join(dir, 'app.json'), { tolerant: true }).appJson?.input[at.input];
  if (!input) return undefined;
  const range = { start: document.positionAt(at.start), end: document.positionAt(at.end) };
  const items: CompletionItem[] = [];
  for (const a of attributesOf(input, readFile(path.join(dir, 'devices.json')), path.join(dir, 'devices.json'))) {
    items.push({ label: a.name, kind: CompletionItemKind.Field, detail: a.description, sortText: `0 ${a.name}`, textEdit: { range, newText: a.name } });
    for (const v of a.values ?? []) items.push({ label: `${a.name}.${v}`, kind: CompletionItemKind.EnumMember, detail: `only when ${a.name} becomes ${v}`, sortText: `1 ${a.name}.${v}`, textEdit: { range, newText: `${a.name}.${v}` } });
  }
  return { isIncomplete: false, items };
}

/** The attributes the input's devices (or functions) can have, each name once. */
export function attributesOf(input: InputSpec, devicesText: string | undefined, devicesFile: string): AttributeSpec[] {
  const isDevice = input.type === 'single_device_selector' || input.type === 'multi_device_selector';
  const isFunction = input.type === 'single_function_selector' || input.type === 'multi_function_selector';
  if (!isDevice && !isFunction) return [];
  const filter = (input as { filter?: SelectorFilter }).filter;
  const byName = new Map<string, AttributeSpec>();
  if (devicesText !== undefined) {
    const registry = devicesRegistry(devicesText, devicesFile);
    const catalogue = catalogueOf(registry);
    if (isDevice) {
      for (const id of catalogue.deviceIds()) {
        const subject = catalogue.deviceById(id);
        if (subject && (!filter || catalogue.matches(filter, subject))) for (const a of registry.get(String(id))!.supportedAttributes()) byName.set(a.name, a);
      }
    } else {
      for (const id of catalogue.functionIds()) {
        const fn = registry.functionById(id);
        const spec = fn && registry.get(fn.deviceId)?.attributeSpec(fn.attribute);
        if (fn && spec && (!filter || catalogue.matches(filter, fn))) byName.set(spec.name, spec);
      }
    }
    if (byName.size > 0) return [...byName.values()];
  }
  // No devices file, or none of its devices fits: what the catalogue allows.
  const patterns = (v: unknown): string[] | undefined => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : undefined);
  const capabilityFilter = patterns(filter?.capability);
  const typeFilter = isFunction ? patterns(filter?.type) : undefined;
  for (const capability of allCapabilities()) {
    if (capabilityFilter && !capabilityFilter.some((p) => fnmatch(p, capability.id))) continue;
    for (const a of capability.attributes) {
      if (typeFilter && !typeFilter.some((p) => fnmatch(p, a.functionType))) continue;
      if (!byName.has(a.name)) byName.set(a.name, a);
    }
  }
  return [...byName.values()];
}
