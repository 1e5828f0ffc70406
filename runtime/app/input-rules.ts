/**
 * The meaning of input parameters that more than one module needs: how a validator matches,
 * which config values an option or toggle accepts, an input's default config value, and which
 * inputs are top-level config keys. app.json checks, config checks and applyDefaults must agree.
 */
import type {
  AppJson,
  CheckboxInput,
  InputSpec,
  InputType,
  JsonValue,
  NumberInput,
  OptionInput,
  TextInput,
  ToggleInput,
  ValueKey,
} from './app-json-types';

/**
 * A validator must match the whole text, as an HTML `pattern` does: seed 003's ("The app.json
 * file") `[a-zA-Z]*` with "The text can only contain letters" only makes sense anchored (unanchored
 * it accepts anything). Empty means no validation. Returns an error message when the regexp does
 * not compile.
 */
// Apps repeat the same few validators; compiling each once keeps large files fast. Bounded, so a
// stream of edits cannot grow it without end.
const compiled = new Map<string, { regexp?: RegExp; error?: string }>();

export function compileValidator(validator: string | undefined): { regexp?: RegExp; error?: string } {
  if (validator === undefined || validator === '') return {};
  let result = compiled.get(validator);
  if (result) return result;
  try {
    new RegExp(validator);
    result = { regexp: new RegExp(`^(?:${validator})$`) };
  } catch (e) {
    result = { error: e instanceof Error ? e.message : String(e) };
  }
  if (compiled.size > 500) compiled.clear();
  compiled.set(validator, result);
  return result;
}

export function validatorRegExp(input: TextInput): RegExp | undefined {
  return compileValidator(input.validator).regexp;
}

/** JSON number syntax, so "10" and "-2.5" count as numeric but "0x10", "" and " 1" don't. */
export function isNumericString(s: string): boolean {
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(s);
}

/** Object keys are strings, so a number names the key that is its string form. */
export function keyOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function valueKeys(input: OptionInput | CheckboxInput): string[] {
  return Object.keys(input.values ?? {});
}

export function isValueOf(input: OptionInput | CheckboxInput, v: unknown): boolean {
  const k = keyOf(v);
  return k !== undefined && Object.prototype.hasOwnProperty.call(input.values ?? {}, k);
}

/** The key whose display name is `v`, for "you wrote the name, not the value" hints. */
export function keyForName(input: OptionInput | CheckboxInput, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  for (const [k, name] of Object.entries(input.values ?? {})) if (name === v) return k;
  return undefined;
}

/** Each position gives its defined value, else the plain boolean. */
export function toggleValues(input: ToggleInput): { on: JsonValue; off: JsonValue } {
  return {
    on: input.true_value !== undefined ? input.true_value : true,
    off: input.false_value !== undefined ? input.false_value : false,
  };
}

export function numberDefault(input: NumberInput): number | undefined {
  const d = input.default;
  if (typeof d === 'number') return d;
  if (typeof d === 'string' && isNumericString(d)) return Number(d);
  return undefined;
}

export function checkboxDefault(input: CheckboxInput): ValueKey[] | undefined {
  const d = input.default;
  if (d === undefined) return undefined;
  return Array.isArray(d) ? [...d] : [d];
}

/** The config value an absent input gets; undefined when the input has no default. */
export function defaultConfigValue(input: InputSpec): JsonValue | undefined {
  switch (input.type) {
    case 'text':
    case 'option':
      return input.default;
    case 'number':
      return numberDefault(input);
    case 'checkbox':
      return checkboxDefault(input);
    case 'toggle': {
      const { on, off } = toggleValues(input);
      return cloneJson(input.default === true ? on : off);
    }
    case 'repeat':
      return [];
    default:
      return undefined;
  }
}

export function cloneJson<T extends JsonValue>(v: T): T {
  return (v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v) as T;
}

export type SelectorKind = 'function' | 'device' | 'notification';

export function selectorKind(type: InputType): SelectorKind | undefined {
  if (type.endsWith('_function_selector')) return 'function';
  if (type.endsWith('_device_selector')) return 'device';
  if (type.endsWith('_notification_output_selector')) return 'notification';
  return undefined;
}

export function isMultiSelector(type: InputType): boolean {
  return type.startsWith('multi_');
}

/** Input name → the repeats listing it in input_fields. */
export function repeatsContaining(appJson: AppJson): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, input] of Object.entries(appJson.input)) {
    if (input.type !== 'repeat') continue;
    for (const member of input.input_fields) {
      const list = out.get(member) ?? [];
      if (!list.includes(name)) list.push(name);
      out.set(member, list);
    }
  }
  return out;
}

/**
 * The inputs that are keys of the config object itself: every input except those that only live
 * inside a repeat (a repeat member that is also on a guide page is asked for at the top level too).
 */
export function topLevelInputNames(appJson: AppJson): string[] {
  const inRepeat = repeatsContaining(appJson);
  const onPage = new Set(appJson.guide.flatMap((p) => p.input_fields));
  return Object.keys(appJson.input).filter((n) => !inRepeat.has(n) || onPage.has(n));
}
