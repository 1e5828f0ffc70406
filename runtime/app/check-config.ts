/**
 * Checks an instance's config object against app.json, input by input, following the config
 * shapes of seed 003 ("The app.json file") exactly (and not its inconsistent example). Repeats are checked
 * entry by entry with the same rules as the top level.
 */
import type { AppJson, CheckboxInput, InputSpec, OptionInput, RepeatInput, TextInput, ToggleInput } from './app-json-types';
import { CONFIG_SHAPES } from './app-json-types';
import { checkSelector } from './check-selectors';
import type { ConfigPath, ConfigProblem, SelectorCatalogue } from './config-types';
import {
  compileValidator,
  defaultConfigValue,
  isMultiSelector,
  isNumericString,
  isValueOf,
  keyForName,
  keyOf,
  repeatsContaining,
  selectorKind,
  toggleValues,
  topLevelInputNames,
  valueKeys,
} from './input-rules';
import { describeValue, showValue } from './json-tree';
import { suggestName } from '../suggest';

interface Context {
  readonly appJson: AppJson;
  readonly catalogue?: SelectorCatalogue;
  readonly report: (p: ConfigProblem) => void;
  /** Input name → repeats listing it, for "this belongs inside a repeat" hints. */
  readonly repeatsOf: Map<string, string[]>;
}

export function checkConfig(appJson: AppJson, config: unknown, catalogue?: SelectorCatalogue): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ctx: Context = { appJson, catalogue, report: (p) => problems.push(p), repeatsOf: repeatsContaining(appJson) };
  if (!isPlainObject(config)) {
    ctx.report({ path: [], severity: 'error', code: 'config-not-object', message: `the config must be an object of input values by name; got ${describeValue(config)}`, fix: 'write { "<input-name>": <value>, … }' });
    return problems;
  }
  checkEntries(ctx, topLevelInputNames(appJson), config, [], undefined);
  return problems;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * One object of input values: the config itself or one entry of a repeat. Written keys are
 * checked in the order they are written, then missing inputs in app.json's order, so problems
 * come out roughly in file order.
 */
function checkEntries(ctx: Context, names: readonly string[], obj: Record<string, unknown>, path: ConfigPath, repeat: string | undefined): void {
  const allowed = new Set(names);
  for (const [key, value] of Object.entries(obj)) {
    const input = allowed.has(key) ? ctx.appJson.input[key] : undefined;
    if (!allowed.has(key)) unknownKey(ctx, key, names, obj, [...path, key], repeat);
    // null is what a form sends for a field left empty: treated like an absent key.
    else if (input && value !== null && value !== undefined) checkValue(ctx, key, input, value, [...path, key]);
  }
  for (const name of names) {
    const input = ctx.appJson.input[name];
    // app.json's own problems report a repeat member that is not an input.
    if (!input || (obj[name] !== undefined && obj[name] !== null)) continue;
    const where = [...path, name];
    if (input.type === 'repeat') checkRepeat(ctx, name, input, [], where);
    else if (input.required && defaultConfigValue(input) === undefined) {
      const within = repeat ? `entry ${path[path.length - 1]} of repeat "${repeat}" lacks` : 'the config lacks';
      ctx.report({ path: where, severity: 'error', code: 'config-required', message: `${within} required input "${name}"`, fix: `add "${name}": ${CONFIG_SHAPES[input.type]}` });
    }
  }
}

function unknownKey(ctx: Context, key: string, names: readonly string[], obj: Record<string, unknown>, path: ConfigPath, repeat: string | undefined): void {
  const base = { path, at: 'key' as const, severity: 'warning' as const, code: 'config-unknown-key' };
  const owners = ctx.repeatsOf.get(key);
  if (ctx.appJson.input[key] && !repeat && owners) {
    ctx.report({ ...base, message: `"${key}" is an input of repeat "${owners[0]}", so it belongs in the entries of "${owners[0]}", not at the top level`, fix: `move it into the entries of "${owners[0]}"` });
    return;
  }
  if (ctx.appJson.input[key] && repeat) {
    ctx.report({ ...base, message: `input "${key}" is not one of the input_fields of repeat "${repeat}" (${names.join(', ')})`, fix: 'remove it from this entry' });
    return;
  }
  // Prefer inputs that are still missing: a misspelt key usually stands for one of them.
  const unset = names.filter((n) => obj[n] === undefined);
  const s = suggestName(key, unset) ?? suggestName(key, names);
  const where = repeat ? ` in repeat "${repeat}"` : '';
  ctx.report({ ...base, message: `unknown input "${key}"${where};${s ? ` did you mean "${s}"?` : ' the app declares no input of that name'}`, fix: s ? `rename it to "${s}"` : 'remove it', ...(s ? { replacement: JSON.stringify(s) } : {}) });
}

function checkValue(ctx: Context, name: string, input: InputSpec, value: unknown, path: ConfigPath): void {
  const error = (code: string, message: string, fix: string, p: ConfigPath = path): void => ctx.report({ path: p, severity: 'error', code, message, fix });
  switch (input.type) {
    case 'text':
      return checkText(ctx, name, input, value, path);
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return;
      if (typeof value === 'string' && isNumericString(value)) {
        ctx.report({ path, severity: 'error', code: 'config-type', message: `input "${name}" is a number; got ${describeValue(value)}`, fix: `use ${value} (a number)`, replacement: String(Number(value)) });
        return;
      }
      return error('config-type', `input "${name}" is a number; got ${describeValue(value)}`, 'write a number');
    case 'option':
      return checkOption(ctx, name, input, value, path);
    case 'checkbox':
      return checkCheckbox(ctx, name, input, value, path);
    case 'toggle':
      return checkToggle(ctx, name, input, value, path);
    case 'repeat':
      return checkRepeat(ctx, name, input, value, path);
    default: {
      const withValue = 'value' in input && input.value === true;
      const acceptsEmpty = withValue ? isPlainObject(value) : isMultiSelector(input.type) && Array.isArray(value);
      const empty = (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0);
      if (acceptsEmpty && empty) {
        if (input.required) error('config-required', `input "${name}" is required but nothing is selected`, `select at least one ${selectorKind(input.type) === 'notification' ? 'notification output' : selectorKind(input.type)}`);
        return;
      }
      return checkSelector(name, input, value, path, ctx.report, ctx.catalogue);
    }
  }
}

function checkText(ctx: Context, name: string, input: TextInput, value: unknown, path: ConfigPath): void {
  if (typeof value !== 'string') {
    const literal = typeof value === 'number' || typeof value === 'boolean';
    const fix = literal ? `write "${value}" (a string)` : 'write a string';
    ctx.report({ path, severity: 'error', code: 'config-type', message: `input "${name}" is text; got ${describeValue(value)}`, fix, ...(literal ? { replacement: JSON.stringify(String(value)) } : {}) });
    return;
  }
  if (input.required && value === '') {
    ctx.report({ path, severity: 'error', code: 'config-required', message: `input "${name}" is required but empty`, fix: 'enter some text' });
    return;
  }
  const { regexp } = compileValidator(input.validator);
  if (regexp && !regexp.test(value)) {
    const why = input.on_error ? `: ${input.on_error}` : ` /${input.validator}/`;
    ctx.report({ path, severity: 'error', code: 'config-validator', message: `input "${name}": ${JSON.stringify(value)} is rejected by its validator${why}`, fix: `change the text so all of it matches /${input.validator}/` });
  }
  if (input.multiline !== true && /[\r\n]/.test(value)) {
    ctx.report({ path, severity: 'warning', code: 'config-multiline', message: `input "${name}" is a single-line text field but its value has a line break`, fix: 'remove the line break, or set "multiline": true in app.json' });
  }
}

function notAValue(ctx: Context, name: string, input: OptionInput | CheckboxInput, v: unknown, path: ConfigPath): void {
  const keys = valueKeys(input);
  const byName = keyForName(input, v);
  const s = byName === undefined ? suggestName(keyOf(v) ?? '', keys) : undefined;
  const listed = keys.length > 0 ? keys.map((k) => JSON.stringify(k)).join(', ') : 'none: "values" is empty';
  let fix = `use one of ${listed}`;
  if (byName !== undefined) fix = `use the value "${byName}" (${JSON.stringify(v)} is its display name)`;
  else if (s !== undefined) fix = `write "${s}"`;
  const hint = s !== undefined ? `; did you mean "${s}"?` : '';
  const meant = byName ?? s;
  ctx.report({ path, severity: 'error', code: 'config-value', message: `input "${name}": ${showValue(v)} is not one of its values (${listed})${hint}`, fix, ...(meant !== undefined ? { replacement: JSON.stringify(meant) } : {}) });
}

function checkOption(ctx: Context, name: string, input: OptionInput, value: unknown, path: ConfigPath): void {
  if (!isValueOf(input, value)) notAValue(ctx, name, input, value, path);
}

function checkCheckbox(ctx: Context, name: string, input: CheckboxInput, value: unknown, path: ConfigPath): void {
  if (!Array.isArray(value)) {
    const fix = isValueOf(input, value) ? `write [${JSON.stringify(value)}]` : 'write [ "<value>", … ]';
    ctx.report({ path, severity: 'error', code: 'config-type', message: `input "${name}" is a checkbox, so its config is an array of values; got ${showValue(value)}`, fix });
    return;
  }
  if (input.required && value.length === 0) {
    ctx.report({ path, severity: 'error', code: 'config-required', message: `input "${name}" is required but nothing is checked`, fix: 'check at least one value' });
  }
  const seen = new Set<string>();
  value.forEach((v, i) => {
    if (!isValueOf(input, v)) return notAValue(ctx, name, input, v, [...path, i]);
    const k = keyOf(v)!;
    if (seen.has(k)) ctx.report({ path: [...path, i], severity: 'warning', code: 'config-duplicate', message: `input "${name}" checks ${JSON.stringify(v)} twice`, fix: 'remove the duplicate' });
    seen.add(k);
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function checkToggle(ctx: Context, name: string, input: ToggleInput, value: unknown, path: ConfigPath): void {
  const { on, off } = toggleValues(input);
  if (sameJson(value, on) || sameJson(value, off)) return;
  const mapped = input.true_value !== undefined || input.false_value !== undefined;
  const shape = mapped ? `${showValue(on)} (on) or ${showValue(off)} (off)` : 'true or false';
  let fix = `write ${showValue(off)} or ${showValue(on)}`;
  if (typeof value === 'boolean') fix = `write ${showValue(value ? on : off)} (its ${value ? 'true_value' : 'false_value'})`;
  else if (!mapped && (value === 'true' || value === 'false')) fix = `use ${value} (a boolean, no quotes)`;
  ctx.report({ path, severity: 'error', code: 'config-value', message: `input "${name}" is a toggle, so its config is ${shape}; got ${showValue(value)}`, fix });
}

function checkRepeat(ctx: Context, name: string, input: RepeatInput, value: unknown, path: ConfigPath): void {
  const members = input.input_fields.filter((m) => ctx.appJson.input[m] !== undefined);
  if (!Array.isArray(value)) {
    const fix = isPlainObject(value) ? 'wrap the entry in [ … ]' : `write [ { ${members.map((m) => `"${m}": …`).join(', ')} } ]`;
    ctx.report({ path, severity: 'error', code: 'config-type', message: `input "${name}" is a repeat, so its config is an array of entries; got ${showValue(value)}`, fix });
    return;
  }
  const min = input.min ?? 0;
  const n = value.length;
  const entries = (k: number): string => `${k} ${k === 1 ? 'entry' : 'entries'}`;
  if (n < min) {
    ctx.report({ path, severity: 'error', code: 'config-count', message: `repeat "${name}" needs at least ${entries(min)}; got ${n}`, fix: `add ${entries(min - n)}` });
  } else if (input.required && n === 0) {
    ctx.report({ path, severity: 'error', code: 'config-required', message: `repeat "${name}" is required but has no entries`, fix: 'add an entry' });
  }
  if (input.max !== undefined && n > input.max) {
    ctx.report({ path, severity: 'error', code: 'config-count', message: `repeat "${name}" allows at most ${entries(input.max)}; got ${n}`, fix: `remove ${entries(n - input.max)}` });
  }
  value.forEach((entry, i) => {
    if (!isPlainObject(entry)) {
      ctx.report({ path: [...path, i], severity: 'error', code: 'config-type', message: `entry ${i} of repeat "${name}" must be an object of its inputs (${members.join(', ')}); got ${describeValue(entry)}`, fix: `write { ${members.map((m) => `"${m}": …`).join(', ')} }` });
      return;
    }
    checkEntries(ctx, members, entry, [...path, i], name);
  });
}
