/**
 * The shapes of simulated devices. A device combines capabilities; each capability has attributes
 * (state, reported as events) and commands (which change attributes, as a real device would).
 * Every attribute of a device is also a *function* (IoT Open's FunctionX, seed 003's ("The app.json
 * file") function selectors): an id, a type that `filter` can match, and meta key/values.
 */
export type AttrValue = string | number | boolean | null;

export interface AttributeSpec {
  readonly name: string;
  readonly kind: 'enum' | 'number' | 'string' | 'boolean' | 'json';
  /** For `enum`: the allowed values. */
  readonly values?: readonly string[];
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** The function type this attribute appears as, e.g. `switch`, `dimmer`, `temperature`. */
  readonly functionType: string;
  /** Value a new device starts with when its devices file gives none; `null` = no value until the first report. */
  readonly initial: AttrValue;
  readonly description: string;
  /** Every report is a state change even when the value repeats (a button pushed twice is two pushes). */
  readonly momentary?: boolean;
}

/** Unit of every temperature-like attribute of a device (measurement, setpoints). */
export type TemperatureUnit = 'C' | 'F';

export interface ParamSpec {
  readonly name: string;
  /** `object`: a map argument such as setColor's `{hue, saturation}`; its keys are described by `fields`. */
  readonly kind: 'number' | 'string' | 'enum' | 'object';
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly optional?: boolean;
  /** For `object`: the keys the map may have; like parameters, required unless `optional`. */
  readonly fields?: readonly ParamSpec[];
}

export interface CommandSpec {
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly description: string;
  /**
   * The attribute the command is for, so the function of that attribute (a function handle) has
   * the command too: `on()` is the switch's, `setLevel()` the level's. null when it is for none
   * (`refresh()`).
   */
  readonly attribute: string | null;
}

export interface AttributeChange {
  readonly attribute: string;
  readonly value: AttrValue;
  readonly unit?: string;
  /**
   * Set by the device (never by a capability): whether the value differs from the previous one,
   * so the engine can deliver only real changes as SmartThings does.
   */
  readonly isStateChange?: boolean;
}

/** A read-only view of a device's current values, given to a capability when it applies a command. */
export interface DeviceStateView {
  value(attribute: string): AttrValue | undefined;
}

export interface CapabilitySpec {
  /** SmartThings-style id: `switch`, `switchLevel`, `contactSensor`, … */
  readonly id: string;
  readonly title: string;
  readonly attributes: readonly AttributeSpec[];
  readonly commands: readonly CommandSpec[];
  /** Turns a validated command into the attribute changes the device reports. */
  apply(command: string, args: readonly unknown[], device: DeviceStateView): AttributeChange[];
}

/** One device as declared in a devices file (devices.json or a scenario's `devices`). */
export interface DeviceSpec {
  readonly id: string;
  readonly label: string;
  readonly capabilities: readonly string[];
  /** Initial attribute values. */
  readonly attributes?: Readonly<Record<string, AttrValue>>;
  /** Function ids by attribute name; default id is `<deviceId>.<attribute>`. */
  readonly functionIds?: Readonly<Record<string, string | number>>;
  /** Free-form meta of the device (copied onto its functions), e.g. `room`. */
  readonly meta?: Readonly<Record<string, string>>;
  /** Device type name, matched by a device selector's `filter.type`. */
  readonly type?: string;
  /** Unit of temperatures and thermostat setpoints; default `C`. */
  readonly temperatureUnit?: TemperatureUnit;
}

export interface FunctionInfo {
  /** As written in configs: numbers stay numbers (seed 003 uses numeric ids). */
  readonly id: string | number;
  readonly deviceId: string;
  readonly attribute: string;
  readonly type: string;
  readonly meta: Readonly<Record<string, string>>;
}

export interface CurrentValue {
  readonly value: AttrValue;
  readonly unit?: string;
  /** Epoch ms of the last report. */
  readonly date: number;
}
