/**
 * What completion and hover both say about app.json: input types (the schema's words, with the
 * config shape of CONFIG_SHAPES), one input in a line or two, and the devices of the devices file
 * beside app.json (device types and meta keys for selector filters).
 */
import type { Node } from 'jsonc-parser';
import { CONFIG_SHAPES, isInputType, type InputType } from '../../runtime/app/app-json-types';
import { allCapabilities } from '../../runtime/devices/capabilities';
import { objectEntries } from '../../runtime/app/json-tree';
import { devicesBeside, type KnownDevices } from '../service/devices-beside';
import { SCHEMAS } from '../service/schemas';
import type { FeatureContext } from './context';
import { valueDescription } from './schema-docs';
import { resolveRef } from './schema-refs';
import { expand } from './schema-walk';

/** The markdown of an input type: the schema's description of the value, and its config shape. */
export function inputTypeMarkdown(type: InputType): string {
  const ref = resolveRef('#/$defs/input/properties/type', SCHEMAS.idOf.app);
  const described = ref ? valueDescription(expand([ref], type), type) : undefined;
  const shape = CONFIG_SHAPES[type];
  if (described === undefined) return `Config value: \`${shape}\``;
  return described.includes(shape) ? described : `${described}\n\nConfig value: \`${shape}\``;
}

export type SelectorKind = 'function' | 'device';

/** Which selector an input type is, for its `filter`; undefined for inputs without a filter. */
export function filterKindOf(type: unknown): SelectorKind | undefined {
  if (type === 'single_function_selector' || type === 'multi_function_selector') return 'function';
  if (type === 'single_device_selector' || type === 'multi_device_selector') return 'device';
  return undefined;
}

export function stringValue(node: Node | undefined): string | undefined {
  return node && node.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** The summary of an input: its name and type, display name and help text, as written. */
export function inputSummaryMarkdown(name: string, inputNode: Node | undefined): string {
  const params = objectEntries(inputNode);
  const typeNode = params.get('type');
  const type = stringValue(typeNode);
  const lines = [`**${name}**${type !== undefined ? `: ${isInputType(type) ? type : `\`${type}\``} input` : ' input'}`];
  const display = stringValue(params.get('name'));
  if (display !== undefined && display !== '') lines.push(`Display name: ${display}`);
  const description = stringValue(params.get('description'));
  if (description !== undefined && description !== '') lines.push(description);
  if (isInputType(type)) lines.push(`Config value: \`${CONFIG_SHAPES[type]}\``);
  return lines.join('\n\n');
}

/** Function types of the capability catalogue, in catalogue order, with the attributes that have them. */
export function functionTypes(): { type: string; sources: string[] }[] {
  const out = new Map<string, string[]>();
  for (const cap of allCapabilities()) {
    for (const attr of cap.attributes) {
      const list = out.get(attr.functionType) ?? [];
      list.push(`\`${cap.id}.${attr.name}\`: ${attr.description}`);
      out.set(attr.functionType, list);
    }
  }
  return [...out].map(([type, sources]) => ({ type, sources }));
}

/** The device types and meta keys of devices.json beside app.json (empty when there is none). */
export function knownDevices(appPath: string, ctx: FeatureContext): KnownDevices {
  return devicesBeside(appPath, (p) => ctx.readFile(p)) ?? { types: [], metaKeys: [] };
}

/** JSON path of a node in the tree (the node of a property's key gives the property's path). */
export function pathOfNode(node: Node): (string | number)[] {
  const out: (string | number)[] = [];
  let current: Node | undefined = node;
  while (current?.parent) {
    const parent: Node = current.parent;
    if (parent.type === 'property') {
      const key = parent.children?.[0];
      if (key && typeof key.value === 'string') out.unshift(key.value);
      current = parent.parent;
    } else if (parent.type === 'array') {
      out.unshift((parent.children ?? []).indexOf(current));
      current = parent;
    } else current = parent;
  }
  return out;
}
