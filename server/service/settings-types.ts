import type { AppJson, FunctionSelectorInput, InputSpec } from '../../runtime/app/app-json-types';
import { allCapabilities } from '../../runtime/devices/capabilities';
import { fnmatch } from '../../runtime/devices/filter';

/**
 * The TypeScript declaration of an app's `settings` and `config`, generated from its app.json, so
 * the editor's own JavaScript IntelliSense completes `settings.` with the app's inputs and knows
 * what each one is (a device handle, a number, …). It augments the interfaces that the script API
 * declaration (schemas/smartplug-api.d.ts) declares empty.
 */
export function settingsDeclaration(appJson: AppJson, appName = appJson.name ?? 'app'): string {
  // Any other name is `any` for TypeScript: a name that is no input is the server's to report
  // (settings-unknown-input, with the did-you-mean and its quick fix), once; an input whose type
  // app.json gets wrong is reported there, the cause, and app.js stays quiet about it.
  const unknownNames = ['    /** No input of app.json has this name: the SmartPlug server says so where it is used. */', '    readonly [notAnInput: string]: any;'];
  const inputs = appJson.input;
  const members = new Set(Object.values(inputs).flatMap((i) => (i.type === 'repeat' ? i.input_fields : [])));
  const topLevel = Object.keys(inputs).filter((n) => !members.has(n) || appJson.guide.some((p) => p.input_fields.includes(n)));
  const lines: string[] = [
    `// Generated from the app.json of ${JSON.stringify(appName)} by the SmartPlug language server. Do not edit:`,
    '// it is written again whenever app.json changes.',
    'declare namespace SmartPlug {',
    '  interface Settings {',
    ...topLevel.flatMap((n) => property(n, inputs[n], inputs, 'settings', '    ', new Set([n]))),
    ...unknownNames,
    '  }',
    '  interface Config {',
    ...topLevel.flatMap((n) => property(n, inputs[n], inputs, 'config', '    ', new Set([n]))),
    ...unknownNames,
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}

function doc(input: InputSpec, indent: string): string[] {
  const parts = [input.name, input.description].filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  const text = [...parts, `(${input.type}${input.required ? ', required' : ''})`].join(' — ').replace(/\*\//g, '*\\/');
  return [`${indent}/** ${text} */`];
}

function property(name: string, input: InputSpec | undefined, all: AppJson['input'], view: 'settings' | 'config', indent: string, seen: Set<string>): string[] {
  if (!input) return [];
  const optional = !input.required && !hasDefault(input) ? '?' : '';
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
  return [...doc(input, indent), `${indent}readonly ${key}${optional}: ${typeOf(input, all, view, indent, seen)};`];
}

function hasDefault(input: InputSpec): boolean {
  return 'default' in input && (input as { default?: unknown }).default !== undefined || input.type === 'toggle' || input.type === 'repeat';
}

function literal(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : 'SmartPlug.JsonValue';
}

/** An option's value as configs write it: the key, or its number form for numeric keys. */
function keyType(key: string): string {
  return /^-?\d+(\.\d+)?$/.test(key) ? `${JSON.stringify(key)} | ${key}` : JSON.stringify(key);
}

function typeOf(input: InputSpec, all: AppJson['input'], view: 'settings' | 'config', indent: string, seen: Set<string>): string {
  const withValue = 'value' in input && input.value === true;
  switch (input.type) {
    case 'single_function_selector':
      return view === 'config' ? (withValue ? 'SmartPlug.ValueById' : 'SmartPlug.Id') : withValue ? `${functionHandleType(input)} & SmartPlug.WithValue` : functionHandleType(input);
    case 'multi_function_selector':
      return view === 'config' ? (withValue ? 'SmartPlug.ValueById' : 'readonly SmartPlug.Id[]') : withValue ? `readonly (${functionHandleType(input)} & SmartPlug.WithValue)[]` : `readonly ${functionHandleType(input)}[]`;
    case 'single_device_selector':
      return view === 'config' ? (withValue ? 'SmartPlug.ValueById' : 'SmartPlug.Id') : withValue ? 'SmartPlug.DeviceHandle & SmartPlug.WithValue' : 'SmartPlug.DeviceHandle';
    case 'multi_device_selector':
      return view === 'config' ? (withValue ? 'SmartPlug.ValueById' : 'readonly SmartPlug.Id[]') : withValue ? 'readonly (SmartPlug.DeviceHandle & SmartPlug.WithValue)[]' : 'readonly SmartPlug.DeviceHandle[]';
    case 'single_notification_output_selector':
      return view === 'config' ? 'SmartPlug.Id' : 'SmartPlug.NotificationOutput';
    case 'multi_notification_output_selector':
      return view === 'config' ? 'readonly SmartPlug.Id[]' : 'readonly SmartPlug.NotificationOutput[]';
    case 'text':
      return 'string';
    case 'number':
      return 'number';
    case 'option': {
      const keys = Object.keys(input.values ?? {});
      return keys.length ? keys.map(keyType).join(' | ') : 'string | number';
    }
    case 'checkbox': {
      const keys = Object.keys(input.values ?? {});
      return `readonly (${keys.length ? keys.map(keyType).join(' | ') : 'string | number'})[]`;
    }
    case 'toggle': {
      const on = input.true_value;
      const off = input.false_value;
      return on === undefined && off === undefined ? 'boolean' : `${on === undefined ? 'true' : literal(on)} | ${off === undefined ? 'false' : literal(off)}`;
    }
    case 'repeat': {
      const fields = input.input_fields.filter((f) => !seen.has(f) && all[f]);
      const inner = fields.flatMap((f) => property(f, all[f], all, view, indent + '  ', new Set([...seen, f])));
      return `readonly {\n${inner.join('\n')}\n${indent}}[]`;
    }
  }
}

let catalogueTypes: string[] | undefined;

/**
 * The handle type of a function selector, from its filter's "type": the catalogue's function types
 * it matches (fnmatch patterns, as the runtime matches them), so `settings.light.on()` is known for a
 * switch and `settings.light.setLevel()` is not. No "type": any function (narrow it by its type);
 * a type outside the catalogue: what every function has.
 */
function functionHandleType(input: FunctionSelectorInput): string {
  const written = input.filter?.type;
  const patterns = (Array.isArray(written) ? written : written === undefined ? [] : [written]).filter((p): p is string => typeof p === 'string');
  if (patterns.length === 0) return 'SmartPlug.FunctionHandle';
  catalogueTypes ??= [...new Set(allCapabilities().flatMap((c) => c.attributes.map((a) => a.functionType)))];
  const types = catalogueTypes.filter((t) => patterns.some((p) => fnmatch(p, t)));
  return types.length ? `SmartPlug.FunctionOf<${types.map((t) => JSON.stringify(t)).join(' | ')}>` : 'SmartPlug.FunctionBase';
}
