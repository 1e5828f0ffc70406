/**
 * The configuration guide as the page shows it, built from app.json by a pure function: its pages
 * in order, each with its fields, and each field with its state (what is chosen, what is offered,
 * whether it is filled and valid). The page renders this model and sends edits of the config
 * object; the extension (or a test) rebuilds the model from the new config. Seed 003 ("The
 * app.json file") says how each input type is shown and what config value it produces; the values
 * themselves come from the runtime's own rules (runtime/app/input-rules.ts), shared with the
 * config checker, so the page can never produce a config the runtime refuses for its shape.
 *
 * Runs in the browser: nothing here may reach a `node:` module (test/guide/ checks it).
 */
import type { AppJson, InputSpec, JsonValue, RepeatInput } from '../runtime/app/app-json-types';
import type { CatalogueDevice, CatalogueFunction, SelectorCatalogue } from '../runtime/app/config-types';
import { checkboxDefault, compileValidator, defaultConfigValue, isMultiSelector, keyOf, numberDefault, selectorKind, toggleValues } from '../runtime/app/input-rules';
import { allCapabilities } from '../runtime/devices/capabilities';
import type { AttributeSpec } from '../runtime/devices/types';

/** A notification output the installation has (seed 003's notification output selectors). */
export interface NotificationOutput {
  id: string | number;
  name: string;
}

/** Something a selector offers: a function, a device or a notification output. */
export interface Choice {
  id: string | number;
  label: string;
  /** The function's or device's type, shown beside its label. */
  detail?: string;
}

/** How the value of a selected function is edited, by the attribute behind its type. */
export type ValueEditor =
  | { kind: 'choice'; values: readonly string[] }
  | { kind: 'number'; min?: number; max?: number; unit?: string }
  | { kind: 'boolean' }
  | { kind: 'text' };

interface FieldBase {
  /** The input's name in app.json (its config key). */
  key: string;
  /** Where its value sits in the config object: [key], or [repeat, row, key]. */
  path: (string | number)[];
  label: string;
  description: string;
  required: boolean;
  /** Filled in (for a required field: Next is allowed). */
  filled: boolean;
  /** What is wrong with the value as entered (a validator's on_error, a number that is not one). */
  error?: string;
}

export interface SelectorField extends FieldBase {
  kind: 'function-selector' | 'device-selector';
  multiple: boolean;
  /** The app.json filter applied: only matching functions or devices are offered. */
  choices: Choice[];
  selected: (string | number)[];
  /** With `"value": true`: each selected id's value, and how each choice's value is edited. */
  values?: Record<string, JsonValue>;
  editors?: Record<string, ValueEditor>;
}

export interface NotificationField extends FieldBase {
  kind: 'notification-selector';
  multiple: boolean;
  /** Offer "add a new output" (seed 003's allow_add, default true). */
  allowAdd: boolean;
  choices: Choice[];
  selected: (string | number)[];
}

export interface TextField extends FieldBase {
  kind: 'text';
  value: string;
  multiline: boolean;
}

export interface NumberField extends FieldBase {
  kind: 'number';
  /** The number, or the text as typed when it is not one. */
  value: number | string | undefined;
}

export interface OptionField extends FieldBase {
  kind: 'option';
  choices: Choice[];
  selected: string | undefined;
}

export interface CheckboxField extends FieldBase {
  kind: 'checkbox';
  choices: Choice[];
  selected: string[];
}

export interface ToggleField extends FieldBase {
  kind: 'toggle';
  on: boolean;
  /** What the config holds in each position (seed 003's true_value and false_value). */
  onValue: JsonValue;
  offValue: JsonValue;
}

export interface RepeatField extends FieldBase {
  kind: 'repeat';
  min: number;
  max: number | undefined;
  rows: Field[][];
  canAdd: boolean;
  canRemove: boolean;
}

export type Field = SelectorField | NotificationField | TextField | NumberField | OptionField | CheckboxField | ToggleField | RepeatField;

export interface PageModel {
  id?: string;
  title: string;
  description: string;
  fields: Field[];
  /** Every required field is filled and no field has an error: the user may go on. */
  complete: boolean;
}

export interface GuideModel {
  pages: PageModel[];
  /** Names a page lists that app.json's input does not define (shown, not rendered). */
  missingInputs: string[];
}

/** What the model is built from besides app.json and the config. */
export interface GuideContext {
  /** The functions and devices offered (every id it lists that passes a selector's filter). */
  catalogue: SelectorCatalogue;
  /** The installation's notification outputs. */
  notificationOutputs: readonly NotificationOutput[];
}

/** Builds the guide's model from app.json and the config object as it is now (possibly partial). */
export function buildGuideModel(appJson: AppJson, config: Readonly<Record<string, unknown>>, context: GuideContext): GuideModel {
  const missingInputs: string[] = [];
  const pages = appJson.guide.map((page, i): PageModel => {
    const fields: Field[] = [];
    for (const key of page.input_fields ?? []) {
      const input = appJson.input[key];
      if (!input) {
        missingInputs.push(key);
        continue;
      }
      fields.push(fieldOf(appJson, key, input, config[key], [key], context));
    }
    return { ...(page.id !== undefined ? { id: page.id } : {}), title: page.title ?? `Page ${i + 1}`, description: page.description ?? '', fields, complete: fields.every(fieldComplete) };
  });
  return { pages, missingInputs };
}

function fieldComplete(f: Field): boolean {
  if (f.error) return false;
  if (f.required && !f.filled) return false;
  if (f.kind === 'repeat') return f.rows.every((row) => row.every(fieldComplete));
  return true;
}

function fieldOf(appJson: AppJson, key: string, input: InputSpec, value: unknown, path: (string | number)[], context: GuideContext): Field {
  const base = { key, path, label: input.name ?? key, description: input.description ?? '', required: input.required === true };
  switch (input.type) {
    case 'single_function_selector':
    case 'multi_function_selector':
    case 'single_device_selector':
    case 'multi_device_selector':
      return selectorField(base, input, value, context.catalogue);
    case 'single_notification_output_selector':
    case 'multi_notification_output_selector': {
      const multiple = input.type === 'multi_notification_output_selector';
      const selected = idsOf(value);
      return { ...base, kind: 'notification-selector', multiple, allowAdd: input.allow_add !== false, choices: context.notificationOutputs.map((o) => ({ id: o.id, label: o.name })), selected, filled: selected.length > 0 };
    }
    case 'text': {
      const text = typeof value === 'string' ? value : (input.default ?? '');
      const validator = compileValidator(input.validator);
      const error = validator.regexp && !validator.regexp.test(text) ? (input.on_error ?? `must match ${input.validator}`) : undefined;
      return { ...base, kind: 'text', value: text, multiline: input.multiline === true, filled: text !== '', ...(error ? { error } : {}) };
    }
    case 'number': {
      const v = value === undefined ? numberDefault(input) : value;
      const ok = typeof v === 'number' && Number.isFinite(v);
      const shown = typeof v === 'number' || typeof v === 'string' ? v : undefined;
      return { ...base, kind: 'number', value: shown, filled: ok, ...(shown !== undefined && !ok ? { error: `"${String(shown)}" is not a number` } : {}) };
    }
    case 'option': {
      const chosen = keyOf(value === undefined ? input.default : value);
      const choices = Object.entries(input.values ?? {}).map(([id, label]) => ({ id, label }));
      const selected = chosen !== undefined && choices.some((c) => c.id === chosen) ? chosen : undefined;
      return { ...base, kind: 'option', choices, selected, filled: selected !== undefined };
    }
    case 'checkbox': {
      const chosen = Array.isArray(value) ? value : value === undefined ? (checkboxDefault(input) ?? []) : [];
      const choices = Object.entries(input.values ?? {}).map(([id, label]) => ({ id, label }));
      const selected = chosen.map(keyOf).filter((k): k is string => k !== undefined && choices.some((c) => c.id === k));
      return { ...base, kind: 'checkbox', choices, selected, filled: selected.length > 0 };
    }
    case 'toggle': {
      const { on, off } = toggleValues(input);
      const current = value === undefined ? defaultConfigValue(input) : value;
      // A toggle is always filled: it has a position.
      return { ...base, kind: 'toggle', on: JSON.stringify(current) === JSON.stringify(on), onValue: on, offValue: off, filled: true };
    }
    case 'repeat':
      return repeatField(appJson, base, input, value, path, context);
  }
}

function repeatField(appJson: AppJson, base: Omit<FieldBase, 'filled'>, input: RepeatInput, value: unknown, path: (string | number)[], context: GuideContext): RepeatField {
  const min = input.min ?? 0;
  const max = input.max;
  const entries = Array.isArray(value) ? value : [];
  // Rows up to the minimum are shown at once, empty: the user fills them in.
  const count = Math.max(entries.length, min);
  const rows: Field[][] = [];
  for (let r = 0; r < count; r++) {
    const entry = (entries[r] ?? {}) as Record<string, unknown>;
    const row: Field[] = [];
    for (const name of input.input_fields) {
      const inner = appJson.input[name];
      if (inner && inner.type !== 'repeat') row.push(fieldOf(appJson, name, inner, entry[name], [...path, r, name], context));
    }
    rows.push(row);
  }
  const error = entries.length < min ? `at least ${min} entr${min === 1 ? 'y' : 'ies'}` : max !== undefined && entries.length > max ? `at most ${max} entr${max === 1 ? 'y' : 'ies'}` : undefined;
  // A minimum of entries makes the repeat as good as required: the page is not complete without them.
  return { ...base, required: base.required || min > 0, kind: 'repeat', min, max, rows, canAdd: max === undefined || count < max, canRemove: count > min, filled: entries.length >= Math.max(min, 1), ...(error && entries.length > 0 ? { error } : {}) };
}

function selectorField(base: Omit<FieldBase, 'filled'>, input: Extract<InputSpec, { filter?: unknown }>, value: unknown, catalogue: SelectorCatalogue): SelectorField {
  const kind = selectorKind(input.type) === 'device' ? 'device-selector' : 'function-selector';
  const multiple = isMultiSelector(input.type);
  const withValue = input.value === true;
  const filter = input.filter ?? {};
  const subjects: (CatalogueFunction | CatalogueDevice)[] = [];
  for (const id of kind === 'function-selector' ? catalogue.functionIds() : catalogue.deviceIds()) {
    const s = kind === 'function-selector' ? catalogue.functionById(id) : catalogue.deviceById(id);
    if (s && catalogue.matches(filter, s)) subjects.push(s);
  }
  const choices = subjects.map((s): Choice => ({ id: s.id, label: s.meta?.name ?? String(s.id), ...(s.type ? { detail: s.type } : {}) }));
  const selected = withValue && value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).map((k) => idLike(k, choices)) : idsOf(value);
  const field: SelectorField = { ...base, kind, multiple, choices, selected, filled: selected.length > 0 };
  if (withValue) {
    const values: Record<string, JsonValue> = {};
    const editors: Record<string, ValueEditor> = {};
    const given = (value ?? {}) as Record<string, JsonValue>;
    for (const id of selected) values[String(id)] = given[String(id)] ?? null;
    // Every choice's editor, not only the selected ones': a value is set the moment a choice is selected.
    for (const s of subjects) editors[String(s.id)] = kind === 'function-selector' && s.type ? editorFor(s.type) : { kind: 'text' };
    for (const id of selected) editors[String(id)] ??= { kind: 'text' };
    field.values = values;
    field.editors = editors;
  }
  return field;
}

/** An id written as an object key is a string: give back the catalogue's own id (12, not "12"). */
function idLike(key: string, choices: Choice[]): string | number {
  return choices.find((c) => String(c.id) === key)?.id ?? key;
}

function idsOf(value: unknown): (string | number)[] {
  if (Array.isArray(value)) return value.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  return typeof value === 'string' || typeof value === 'number' ? [value] : [];
}

let attributesByType: Map<string, AttributeSpec> | undefined;

/** The editor that suits a function's type: the attribute behind it says its values (on/off, a level 0–100, a number). */
export function editorFor(functionType: string): ValueEditor {
  if (!attributesByType) {
    attributesByType = new Map();
    for (const cap of allCapabilities()) for (const a of cap.attributes) if (!attributesByType.has(a.functionType)) attributesByType.set(a.functionType, a);
  }
  const a = attributesByType.get(functionType);
  if (!a) return { kind: 'text' };
  switch (a.kind) {
    case 'enum':
      return { kind: 'choice', values: a.values ?? [] };
    case 'number':
      return { kind: 'number', ...(a.min !== undefined ? { min: a.min } : {}), ...(a.max !== undefined ? { max: a.max } : {}), ...(a.unit ? { unit: a.unit } : {}) };
    case 'boolean':
      return { kind: 'boolean' };
    default:
      return { kind: 'text' };
  }
}
