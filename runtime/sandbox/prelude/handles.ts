/**
 * Prelude part 2 (see core.ts; serialised, evaluated in the app's context): handles of devices,
 * functions and notification outputs, the settings and config globals, the location and the app.
 */
import type { CoreKit, HandlesKit } from './types';

export function preludeHandles(kit: CoreKit): HandlesKit {
  'use strict';
  const G = globalThis as unknown as Record<string, unknown>;
  const { appInfo, call, callJson, define, stringify, parse, RealDate, requireRun } = kit;

  // ---------------------------------------------------------------- handles
  const handleInfo = new WeakMap<object, { kind: string; id: string | number }>();
  const deviceHandles = new Map<string, Record<string, unknown>>();
  const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

  const stateOf = (deviceId: string, attr: string) => {
    const s = callJson('state', deviceId, attr) as { value: unknown; unit?: string; date: number } | null;
    return s === null ? null : { name: attr, value: s.value, unit: s.unit, date: new RealDate(s.date) };
  };

  const deviceHandle = (id: string): Record<string, unknown> => {
    const existing = deviceHandles.get(id);
    if (existing) return existing;
    const d = callJson('device', id) as {
      id: string; label: string; type: string; capabilities: string[];
      attributes: { name: string; unit?: string; functionType: string }[];
      commands: { name: string; params: { name: string }[] }[];
      missingCommands: string[];
    };
    const h: Record<string, unknown> = Object.create(null);
    const attrNames = d.attributes.map((a) => a.name);
    Object.assign(h, {
      id: d.id, label: d.label, displayName: d.label, name: d.label, typeName: d.type,
      capabilities: d.capabilities.slice(),
      supportedAttributes: attrNames.slice(),
      supportedCommands: d.commands.map((c) => c.name),
      hasCapability: (c: string) => d.capabilities.includes(c),
      hasAttribute: (a: string) => attrNames.includes(a),
      hasCommand: (c: string) => d.commands.some((x) => x.name === c),
      currentValue: (a: string) => { const s = stateOf(d.id, a); return s === null ? null : s.value; },
      latestValue: (a: string) => { const s = stateOf(d.id, a); return s === null ? null : s.value; },
      currentState: (a: string) => stateOf(d.id, a),
      latestState: (a: string) => stateOf(d.id, a),
      events: (opts?: { max?: number }) => (callJson('history', d.id, opts && opts.max ? opts.max : 10) as { name: string; value: unknown; unit?: string; date: number }[])
        .map((e) => ({ name: e.name, value: e.value, unit: e.unit, date: new RealDate(e.date), device: h })),
      toString: () => d.label,
      toJSON: () => ({ id: d.id, label: d.label }),
    });
    for (const a of d.attributes) {
      Object.defineProperty(h, 'current' + capitalize(a.name), { get: () => h.currentValue && (h.currentValue as Function)(a.name), enumerable: false });
    }
    for (const c of d.commands) {
      h[c.name] = (...args: unknown[]) => {
        requireRun(`${d.label}.${c.name}()`);
        call('command', d.id, c.name, stringify(args));
      };
    }
    const commandList = d.commands.map((c) => c.name).join(', ') || 'none (it is a sensor)';
    for (const name of d.missingCommands) {
      Object.defineProperty(h, name, {
        enumerable: false,
        value: () => {
          throw new TypeError(`device "${d.label}" has no command ${name}() (capabilities: ${d.capabilities.join(', ')}); its commands: ${commandList}`);
        },
      });
    }
    Object.freeze(h);
    handleInfo.set(h, { kind: 'device', id: d.id });
    deviceHandles.set(id, h);
    return h;
  };

  const functionHandle = (id: string | number, value?: unknown, hasValue?: boolean): Record<string, unknown> => {
    const f = callJson('function', String(id)) as {
      id: string | number; deviceId: string; attribute: string; type: string; meta: Record<string, string>;
      commands: string[]; missingCommands: string[]; deviceCommands: string[];
    };
    const h: Record<string, unknown> = Object.create(null);
    Object.assign(h, {
      id: f.id, type: f.type, attribute: f.attribute, deviceId: f.deviceId, meta: Object.freeze(Object.assign({}, f.meta)),
      currentValue: () => { const s = stateOf(f.deviceId, f.attribute); return s === null ? null : s.value; },
      currentState: () => stateOf(f.deviceId, f.attribute),
      set: (v: unknown) => {
        requireRun(`function ${f.id}.set()`);
        call('setFunction', String(f.id), stringify(v === undefined ? null : v));
      },
      toString: () => `${f.type} ${f.id}`,
      toJSON: () => (hasValue ? { id: f.id, value } : { id: f.id }),
    });
    // The commands of the function's own attribute (a switch function's on() and off()), sent as
    // that attribute's: on a device that also has an alarm, a switch function's off() is the switch's.
    for (const c of f.commands) {
      h[c] = (...args: unknown[]) => {
        requireRun(`function ${f.id}.${c}()`);
        call('functionCommand', String(f.id), c, stringify(args));
      };
    }
    const commandList = f.commands.join(', ') || 'none (a sensor reports it; read it with currentValue())';
    for (const name of f.missingCommands) {
      const onDevice = f.deviceCommands.includes(name) ? `. Its device has ${name}(): call it on the device handle, .device.${name}()` : '';
      Object.defineProperty(h, name, {
        enumerable: false,
        value: () => {
          throw new TypeError(`function ${f.id} (type "${f.type}", the ${f.attribute} of device "${f.deviceId}") has no command ${name}(); its commands: ${commandList}${onDevice}`);
        },
      });
    }
    Object.defineProperty(h, 'device', { get: () => deviceHandle(f.deviceId), enumerable: true });
    if (hasValue) h.value = value;
    Object.freeze(h);
    handleInfo.set(h, { kind: 'function', id: f.id });
    return h;
  };

  const notificationHandle = (id: unknown) => {
    const h = Object.freeze(Object.assign(Object.create(null), { id, toString: () => `notification output ${id}`, toJSON: () => id }));
    handleInfo.set(h, { kind: 'notification', id: id as string | number });
    return h;
  };

  // Settings come as JSON in which selector values are tagged ({"$device": id} and so on).
  const resolveTagged = (v: unknown): unknown => {
    if (Array.isArray(v)) return Object.freeze(v.map(resolveTagged));
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('$function' in o) return functionHandle(o.$function as string | number, o.value, 'value' in o);
      if ('$device' in o) {
        const dh = deviceHandle(String(o.$device));
        if (!('value' in o)) return dh;
        // A device chosen with a value: the device handle itself, carrying the value.
        const withValue = Object.create(dh) as Record<string, unknown>;
        Object.defineProperties(withValue, {
          value: { value: o.value, enumerable: true },
          device: { value: dh },
          toJSON: { value: () => ({ id: dh.id, label: dh.label, value: o.value }) },
        });
        Object.freeze(withValue);
        handleInfo.set(withValue, { kind: 'device', id: String(dh.id) });
        return withValue;
      }
      if ('$notification' in o) return notificationHandle(o.$notification);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) out[k] = resolveTagged(o[k]);
      return Object.freeze(out);
    }
    return v;
  };

  let settingsObj: unknown = Object.freeze({});
  let configObj: unknown = Object.freeze({});
  Object.defineProperty(G, 'settings', { get: () => settingsObj, configurable: false });
  Object.defineProperty(G, 'config', { get: () => configObj, configurable: false });

  // ---------------------------------------------------------------- location and app
  const location: Record<string, unknown> = Object.create(null);
  const locInfo = () => callJson('location') as { mode: string; modes: string[]; timeZone: string; latitude: number; longitude: number; name: string; temperatureScale: string; sunrise: number | null; sunset: number | null };
  Object.defineProperties(location, {
    mode: { get: () => locInfo().mode, enumerable: true },
    currentMode: { get: () => locInfo().mode },
    modes: { get: () => locInfo().modes.slice(), enumerable: true },
    timeZone: { get: () => locInfo().timeZone, enumerable: true },
    latitude: { get: () => locInfo().latitude, enumerable: true },
    longitude: { get: () => locInfo().longitude, enumerable: true },
    name: { get: () => locInfo().name, enumerable: true },
    temperatureScale: { get: () => locInfo().temperatureScale, enumerable: true },
    sunrise: { get: () => { const s = locInfo().sunrise; return s === null ? null : new RealDate(s); }, enumerable: true },
    sunset: { get: () => { const s = locInfo().sunset; return s === null ? null : new RealDate(s); }, enumerable: true },
    setMode: { value: (m: string) => { requireRun('location.setMode()'); call('setMode', String(m)); } },
    toString: { value: () => 'location' },
  });
  Object.freeze(location);
  handleInfo.set(location, { kind: 'location', id: 'location' });
  define('location', location);
  define('setLocationMode', (m: string) => (location.setMode as Function)(m));
  define('getSunriseAndSunset', (opts?: { sunriseOffset?: string | number; sunsetOffset?: string | number; date?: Date }) => {
    const r = callJson('sun', stringify(opts || {})) as { sunrise: number | null; sunset: number | null };
    return { sunrise: r.sunrise === null ? null : new RealDate(r.sunrise), sunset: r.sunset === null ? null : new RealDate(r.sunset) };
  });

  const appHandle: Record<string, unknown> = Object.freeze(Object.assign(Object.create(null), {
    id: appInfo.id, label: appInfo.label, name: appInfo.name, toString: () => appInfo.label,
  }));
  handleInfo.set(appHandle, { kind: 'app', id: appInfo.id });
  define('app', appHandle);

  return Object.assign(kit, {
    handleInfo, deviceHandle, functionHandle, resolveTagged, location, appHandle,
    dropDeviceHandle: (id: string) => { deviceHandles.delete(id); },
    setSettings: (settingsJson: string, cfgJson: string) => {
      deviceHandles.clear();
      settingsObj = resolveTagged(parse(settingsJson));
      configObj = Object.freeze(parse(cfgJson));
    },
  });
}
