/**
 * One simulated device: its capabilities, current attribute values, and the rules for changing
 * them, by command (as an app does) or by report (as the device itself, a scenario or the user does).
 *
 * Capabilities that share a command (switch and thermostat both have `off()`; valve, doorControl
 * and windowShade all have `open()`) are all asked to apply it, in the order the device lists its
 * capabilities, so `off()` on a thermostat with a switch turns off both; when two change the same
 * attribute the later capability wins. Arguments are checked against the first capability's
 * signature (the catalogue keeps shared commands' signatures identical, and a test holds it to that).
 * Likewise an attribute two capabilities share (thermostat and temperatureMeasurement both have
 * `temperature`) is one attribute with one value and one function.
 */
import { requireCapability } from './capabilities';
import { DeviceError } from './device-error';
import { didYouMean, joinSentences } from '../suggest';
import type {
  AttrValue,
  AttributeChange,
  AttributeSpec,
  CapabilitySpec,
  CommandSpec,
  CurrentValue,
  DeviceSpec,
  DeviceStateView,
  FunctionInfo,
  TemperatureUnit,
} from './types';
import { checkArgument, checkAttributeValue, formatSignature } from './values';

export interface ReportResult {
  readonly value: AttrValue;
  readonly unit?: string;
  readonly isStateChange: boolean;
}

export class SimDevice implements DeviceStateView {
  readonly id: string;
  readonly label: string;
  /** Device type name for device filters; empty when the devices file gives none. */
  readonly type: string;
  readonly capabilities: readonly CapabilitySpec[];
  readonly meta: Readonly<Record<string, string>>;
  readonly temperatureUnit: TemperatureUnit;

  private readonly attributeSpecs = new Map<string, AttributeSpec>();
  private readonly commandSpecs = new Map<string, CommandSpec>();
  private readonly state = new Map<string, CurrentValue>();
  private readonly functionList: readonly FunctionInfo[];

  /** Throws DeviceError for unknown capabilities, attributes or bad initial values. */
  constructor(spec: DeviceSpec, createdMs = 0) {
    if (typeof spec.id !== 'string' || spec.id === '') {
      throw new DeviceError('bad-device', `a device needs a non-empty string id, got ${JSON.stringify(spec.id)}`);
    }
    this.id = spec.id;
    this.label = spec.label || spec.id;
    this.type = spec.type ?? '';
    this.meta = Object.freeze({ ...(spec.meta ?? {}) });
    this.temperatureUnit = spec.temperatureUnit ?? 'C';

    const caps: CapabilitySpec[] = [];
    for (const capId of new Set(spec.capabilities)) {
      try {
        caps.push(requireCapability(capId, { temperatureUnit: this.temperatureUnit }));
      } catch (e) {
        if (e instanceof DeviceError) throw new DeviceError(e.code, `${this.ref()}: ${e.message}`, e.fix);
        throw e;
      }
    }
    this.capabilities = caps;
    for (const cap of caps) {
      for (const a of cap.attributes) if (!this.attributeSpecs.has(a.name)) this.attributeSpecs.set(a.name, a);
      for (const c of cap.commands) if (!this.commandSpecs.has(c.name)) this.commandSpecs.set(c.name, c);
    }

    for (const a of this.attributeSpecs.values()) {
      if (a.initial !== null) this.state.set(a.name, { value: a.initial, unit: a.unit, date: createdMs });
    }
    for (const [name, value] of Object.entries(spec.attributes ?? {})) this.report(name, value, createdMs);

    const ids = spec.functionIds ?? {};
    for (const name of Object.keys(ids)) this.requireAttribute(name, ' (in functionIds)');
    const functionMeta = Object.freeze({ ...this.meta, device_id: this.id, name: this.label });
    this.functionList = [...this.attributeSpecs.values()].map((a) => ({
      id: ids[a.name] ?? `${this.id}.${a.name}`,
      deviceId: this.id,
      attribute: a.name,
      type: a.functionType,
      meta: functionMeta,
    }));
  }

  hasCapability(id: string): boolean {
    return this.capabilities.some((c) => c.id === id);
  }

  hasAttribute(name: string): boolean {
    return this.attributeSpecs.has(name);
  }

  hasCommand(name: string): boolean {
    return this.commandSpecs.has(name);
  }

  supportedAttributes(): AttributeSpec[] {
    return [...this.attributeSpecs.values()];
  }

  supportedCommands(): CommandSpec[] {
    return [...this.commandSpecs.values()];
  }

  attributeSpec(name: string): AttributeSpec | undefined {
    return this.attributeSpecs.get(name);
  }

  /** undefined: the device has no such attribute; null: it has, but no value yet (a never-pressed button). */
  value(attribute: string): AttrValue | undefined {
    if (!this.attributeSpecs.has(attribute)) return undefined;
    return this.state.get(attribute)?.value ?? null;
  }

  current(attribute: string): CurrentValue | undefined {
    return this.state.get(attribute);
  }

  /** Every attribute that has a value, by name. */
  snapshot(): Record<string, AttrValue> {
    return Object.fromEntries([...this.state].map(([name, c]) => [name, c.value]));
  }

  functions(): FunctionInfo[] {
    return [...this.functionList];
  }

  /** The function of one attribute (no copy of the list: this runs for every device event). */
  functionOf(attribute: string): FunctionInfo | undefined {
    for (const f of this.functionList) if (f.attribute === attribute) return f;
    return undefined;
  }

  /**
   * The commands of one attribute's function (CommandSpec.attribute): `on()` and `off()` for
   * `switch`, `setLevel()` for `level`; none for a sensor's attribute.
   */
  functionCommands(attribute: string): CommandSpec[] {
    const out = new Map<string, CommandSpec>();
    for (const cap of this.capabilities) for (const c of cap.commands) if (c.attribute === attribute && !out.has(c.name)) out.set(c.name, c);
    return [...out.values()];
  }

  /**
   * Runs a command as an app would; returns the resulting changes (stored, dated `nowMs`). With
   * `forAttribute` (a function handle's command) only the capability whose command is for that
   * attribute applies it: a switch function's `off()` leaves the device's alarm alone.
   */
  command(name: string, args: readonly unknown[], nowMs: number, forAttribute?: string): AttributeChange[] {
    const spec = forAttribute === undefined ? this.commandSpecs.get(name) : this.functionCommands(forAttribute).find((c) => c.name === name);
    if (!spec && forAttribute !== undefined) {
      const names = this.functionCommands(forAttribute).map((c) => c.name);
      throw new DeviceError('unknown-command', `${this.ref()}: its ${forAttribute} has no command '${name}'${didYouMean(name, names)}; ${names.length ? `its commands: ${names.join(', ')}` : 'it only reports'}`);
    }
    if (!spec) {
      const names = [...this.commandSpecs.keys()];
      const known = names.length
        ? `Its commands: ${this.supportedCommands().map(formatSignature).join(', ')}`
        : 'It has no commands; its attributes change through reports';
      throw new DeviceError('unknown-command', joinSentences(`${this.ref()} has no command '${name}'${didYouMean(name, names)}`, known));
    }
    const checked = this.checkArguments(spec, args);
    const merged = new Map<string, AttrValue>();
    for (const cap of this.capabilities) {
      if (!cap.commands.some((c) => c.name === name && (forAttribute === undefined || c.attribute === forAttribute))) continue;
      for (const change of cap.apply(name, checked, this)) merged.set(change.attribute, change.value);
    }
    const changes: AttributeChange[] = [];
    for (const [attribute, value] of merged) {
      const r = this.report(attribute, value, nowMs);
      changes.push({ attribute, value: r.value, unit: r.unit, isStateChange: r.isStateChange });
    }
    return changes;
  }

  /** Stores a value the device reports (or a scenario reports for it), after checking it. */
  report(attribute: string, value: unknown, nowMs: number): ReportResult {
    const spec = this.requireAttribute(attribute);
    const checked = checkAttributeValue(spec, value);
    if (!checked.ok) throw new DeviceError('bad-value', `${this.ref()}: ${checked.message}`, checked.fix);
    const previous = this.state.get(attribute);
    const isStateChange = spec.momentary === true || previous === undefined || previous.value !== checked.value;
    this.state.set(attribute, { value: checked.value, unit: spec.unit, date: nowMs });
    return { value: checked.value, unit: spec.unit, isStateChange };
  }

  /** `Device 'Front door' (door)`, or `Device 'door'` when the label is the id. */
  private ref(): string {
    return this.label === this.id ? `Device '${this.id}'` : `Device '${this.label}' (${this.id})`;
  }

  private requireAttribute(name: string, where = ''): AttributeSpec {
    const spec = this.attributeSpecs.get(name);
    if (spec) return spec;
    const names = [...this.attributeSpecs.keys()];
    const known = names.length ? `Its attributes: ${names.join(', ')}` : 'It has no attributes';
    throw new DeviceError(
      'unknown-attribute',
      joinSentences(`${this.ref()} has no attribute '${name}'${where}${didYouMean(name, names)}`, known),
    );
  }

  private checkArguments(spec: CommandSpec, raw: readonly unknown[]): unknown[] {
    const args = [...raw];
    // Trailing undefined is how JavaScript spells "not passed" (f(a, undefined)).
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const signature = formatSignature(spec);
    const fail = (message: string, fix?: string): never => {
      throw new DeviceError('bad-argument', `${this.ref()}: ${signature}: ${message}`, fix);
    };
    const required = spec.params.filter((p) => !p.optional).length;
    if (args.length > spec.params.length) {
      const most = spec.params.length === required ? `${required}` : `at most ${spec.params.length}`;
      fail(`takes ${most} argument${spec.params.length === 1 ? '' : 's'}, got ${args.length}`);
    }
    return spec.params.map((param, i) => {
      if (args[i] === undefined) {
        if (!param.optional) fail(`missing argument '${param.name}'`);
        return undefined;
      }
      const checked = checkArgument(param, args[i]);
      return checked.ok ? checked.value : fail(checked.message, checked.fix);
    });
  }
}
