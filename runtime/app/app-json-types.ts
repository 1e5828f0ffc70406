/**
 * The shape of app.json (seed 003, IoT Open's "The app.json file"): the configuration wizard IoT
 * Open shows when an app is installed. `input` declares the form fields, `guide` the pages they
 * appear on.
 *
 * The parameter table below is data, not just types, because the editor's configuration-guide
 * webview and the language server render and complete from the same table the checker uses.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const INPUT_TYPES = [
  'single_function_selector',
  'multi_function_selector',
  'single_device_selector',
  'multi_device_selector',
  'single_notification_output_selector',
  'multi_notification_output_selector',
  'text',
  'number',
  'option',
  'checkbox',
  'toggle',
  'repeat',
] as const;

export type InputType = (typeof INPUT_TYPES)[number];

export function isInputType(value: unknown): value is InputType {
  return typeof value === 'string' && (INPUT_TYPES as readonly string[]).includes(value);
}

/** Parameters every input has. */
export interface InputBase {
  /** If the field must be filled in before the guide can continue. Default false. */
  required?: boolean;
  /** Display name. */
  name?: string;
  /** Help text. */
  description?: string;
}

/** Query parameters for FunctionX / DeviceX, e.g. `{ "type": "temperature" }`. */
export type SelectorFilter = { [key: string]: JsonValue };

export interface SingleFunctionSelectorInput extends InputBase {
  type: 'single_function_selector';
  /** Default {}. */
  filter?: SelectorFilter;
  /** If the user also sets a value for the function (on/off, dimmer level). Default false. */
  value?: boolean;
}
export interface MultiFunctionSelectorInput extends InputBase {
  type: 'multi_function_selector';
  filter?: SelectorFilter;
  value?: boolean;
}
export interface SingleDeviceSelectorInput extends InputBase {
  type: 'single_device_selector';
  filter?: SelectorFilter;
  value?: boolean;
}
export interface MultiDeviceSelectorInput extends InputBase {
  type: 'multi_device_selector';
  filter?: SelectorFilter;
  value?: boolean;
}
export interface SingleNotificationOutputSelectorInput extends InputBase {
  type: 'single_notification_output_selector';
  /** Offer a flow for adding a new notification output. Default true. */
  allow_add?: boolean;
}
export interface MultiNotificationOutputSelectorInput extends InputBase {
  type: 'multi_notification_output_selector';
  allow_add?: boolean;
}
export interface TextInput extends InputBase {
  type: 'text';
  default?: string;
  /** Default false. */
  multiline?: boolean;
  /** Regexp the whole text must match; empty means no validation. */
  validator?: string;
  /** Shown when the validator rejects the text. */
  on_error?: string;
}
export interface NumberInput extends InputBase {
  type: 'number';
  /**
   * A string only when it is numeric: seed 003's own example writes `"default": "10"`, which is
   * reported as a warning and coerced by applyDefaults rather than rejected.
   */
  default?: number | string;
}
/** Keys of `values` are the config values; JSON keys are strings, so `1` and `"1"` name the same value. */
export type ValueKey = string | number;
export interface OptionInput extends InputBase {
  type: 'option';
  default?: ValueKey;
  /** Config value → display name. Default {}. */
  values?: Record<string, string>;
}
export interface CheckboxInput extends InputBase {
  type: 'checkbox';
  /** The values checked initially; a single value means a one-element selection. */
  default?: ValueKey | ValueKey[];
  values?: Record<string, string>;
}
export interface ToggleInput extends InputBase {
  type: 'toggle';
  /** Default false. */
  default?: boolean;
  /** Config value in the false position; `false` when absent. */
  false_value?: JsonValue;
  /** Config value in the true position; `true` when absent. */
  true_value?: JsonValue;
}
export interface RepeatInput extends InputBase {
  type: 'repeat';
  /** Default 0. */
  min?: number;
  /** Default unlimited. */
  max?: number;
  /** Names of the inputs in every entry of the repeat. */
  input_fields: string[];
}

export type InputSpec =
  | SingleFunctionSelectorInput
  | MultiFunctionSelectorInput
  | SingleDeviceSelectorInput
  | MultiDeviceSelectorInput
  | SingleNotificationOutputSelectorInput
  | MultiNotificationOutputSelectorInput
  | TextInput
  | NumberInput
  | OptionInput
  | CheckboxInput
  | ToggleInput
  | RepeatInput;

export type FunctionSelectorInput = SingleFunctionSelectorInput | MultiFunctionSelectorInput;
export type DeviceSelectorInput = SingleDeviceSelectorInput | MultiDeviceSelectorInput;
export type NotificationSelectorInput = SingleNotificationOutputSelectorInput | MultiNotificationOutputSelectorInput;

export interface GuidePage {
  id?: string;
  title?: string;
  description?: string;
  /** Names of the inputs shown on this page, in order. */
  input_fields: string[];
}

export interface AppJson {
  name?: string;
  version?: string;
  description?: string;
  author?: string;
  /** app.json may spell it `license`; the parser stores it here either way. */
  licence?: string;
  input: Record<string, InputSpec>;
  guide: GuidePage[];
}

/**
 * How a parameter's value is checked:
 * - `boolean`, `string`, `number`: that JSON type;
 * - `count`: a non-negative integer;
 * - `object`: any JSON object;
 * - `value-map`: an object whose values are strings (value → display name);
 * - `input-names`: an array of strings naming inputs;
 * - `regexp`: a string that compiles as a JavaScript regexp;
 * - `any`: any JSON value;
 * - `default`: depends on the input type (see `DEFAULT_KIND`).
 */
export type ParameterKind =
  | 'boolean'
  | 'string'
  | 'number'
  | 'count'
  | 'object'
  | 'value-map'
  | 'input-names'
  | 'regexp'
  | 'any'
  | 'default';

export interface ParameterInfo {
  readonly name: string;
  readonly kind: ParameterKind;
  /** The value assumed when the parameter is absent; undefined when there is none. */
  readonly default?: JsonValue;
  /** How to show a default that isn't a value, e.g. `unlimited`. */
  readonly defaultText?: string;
  /** The parameter must be present. */
  readonly mandatory?: boolean;
  readonly description: string;
}

/** Parameters of every input (`type` included so completion can offer it). */
export const COMMON_PARAMETERS: readonly ParameterInfo[] = [
  { name: 'type', kind: 'string', mandatory: true, description: 'Type of selector.' },
  { name: 'required', kind: 'boolean', default: false, description: 'If the field is required to continue.' },
  { name: 'name', kind: 'string', description: 'Display name for the variable.' },
  { name: 'description', kind: 'string', description: 'Help text to describe what the variable is used for.' },
];

const filterParam: ParameterInfo = {
  name: 'filter',
  kind: 'object',
  default: {},
  description: 'Key-value mapping used as query params for the FunctionX (or DeviceX) query.',
};
const valueParam: ParameterInfo = {
  name: 'value',
  kind: 'boolean',
  default: false,
  description: 'If the user is expected to set a value too (e.g. on/off or dimmer).',
};
const allowAddParam: ParameterInfo = {
  name: 'allow_add',
  kind: 'boolean',
  default: true,
  description: 'Allow adding new notification outputs.',
};

/** Type-specific parameters of each input type, in the order seed 003 lists them. */
export const INPUT_PARAMETERS: Readonly<Record<InputType, readonly ParameterInfo[]>> = {
  single_function_selector: [filterParam, valueParam],
  multi_function_selector: [filterParam, valueParam],
  single_device_selector: [filterParam, valueParam],
  multi_device_selector: [filterParam, valueParam],
  single_notification_output_selector: [allowAddParam],
  multi_notification_output_selector: [allowAddParam],
  text: [
    { name: 'default', kind: 'default', description: 'Value to populate the field with when nothing is entered.' },
    { name: 'multiline', kind: 'boolean', default: false, description: 'If the field is single or multiline.' },
    { name: 'validator', kind: 'regexp', description: 'Regexp the text must match; empty means no validation.' },
    { name: 'on_error', kind: 'string', description: 'Error message shown if the validator fails.' },
  ],
  number: [{ name: 'default', kind: 'default', description: 'Value to populate the field with when nothing is entered.' }],
  option: [
    { name: 'default', kind: 'default', description: 'The initially selected value.' },
    { name: 'values', kind: 'value-map', default: {}, description: 'Mapping of value to display name.' },
  ],
  checkbox: [
    { name: 'default', kind: 'default', description: 'The values selected by default.' },
    { name: 'values', kind: 'value-map', default: {}, description: 'Mapping of value to display name.' },
  ],
  toggle: [
    { name: 'default', kind: 'default', default: false, description: 'The initial state of the toggle.' },
    { name: 'false_value', kind: 'any', description: 'The value to set in the false position.' },
    { name: 'true_value', kind: 'any', description: 'The value to set in the true position.' },
  ],
  repeat: [
    { name: 'min', kind: 'count', default: 0, description: 'The minimum number of entries.' },
    { name: 'max', kind: 'count', defaultText: 'unlimited', description: 'The maximum number of entries.' },
    {
      name: 'input_fields',
      kind: 'input-names',
      mandatory: true,
      description: 'The inputs included in every entry of the repeat.',
    },
  ],
};

/** What the config value of each input type looks like, for messages and the editor's hover. */
export const CONFIG_SHAPES: Readonly<Record<InputType, string>> = {
  single_function_selector: '<function-id>, or with "value": true { "<function-id>": <value> }',
  multi_function_selector: '[<function-id>, …], or with "value": true { "<function-id>": <value>, … }',
  single_device_selector: '<device-id>, or with "value": true { "<device-id>": <value> }',
  multi_device_selector: '[<device-id>, …], or with "value": true { "<device-id>": <value>, … }',
  single_notification_output_selector: '<notification-output-id>',
  multi_notification_output_selector: '[<notification-output-id>, …]',
  text: '"<text>"',
  number: '<number>',
  option: 'one of the keys of "values"',
  checkbox: '[<value>, …] of keys of "values"',
  toggle: 'true_value / false_value (true / false when not defined)',
  repeat: '[{ "<input-name>": <config>, … }, …]',
};

export const GUIDE_PAGE_KEYS = ['id', 'title', 'description', 'input_fields'] as const;
export const APP_JSON_KEYS = ['$schema', 'name', 'version', 'description', 'author', 'licence', 'license', 'input', 'guide'] as const;

/** All parameter names an input of this type may have (common ones first). */
export function parametersOf(type: InputType): readonly ParameterInfo[] {
  return [...COMMON_PARAMETERS, ...INPUT_PARAMETERS[type]];
}
