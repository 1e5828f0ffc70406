/**
 * Prelude part 5, the last (see core.ts; serialised, evaluated in the app's context): the events
 * handlers receive, and the controls the host calls to run the app's code.
 */
import type { InspectKit, SandboxControls } from './types';

export function preludeControls(kit: InspectKit): SandboxControls {
  'use strict';
  const { appInfo, call, fmt, stringify, parse, RealDate, resolveHandler, namedFunction, run, deviceHandle, functionHandle, resolveTagged, location, appHandle, RENDER } = kit;

  // ---------------------------------------------------------------- events
  // Typed accessors live on one shared prototype; each event is a frozen own-properties object.
  const num = (value: unknown) => {
    const n = Number(value);
    if (value === null || value === '' || Number.isNaN(n)) throw new TypeError(`event value ${fmt(value)} is not a number`);
    return n;
  };
  // evt.function is made when first read, not at dispatch: describing a function is a runtime
  // call, and most handlers never ask. One handle per event, so evt.function === evt.function.
  const eventFunctions = new WeakMap<object, Record<string, unknown>>();
  const eventProto = Object.freeze(Object.create(null, {
    function: {
      get() {
        const id = (this as { functionId?: unknown }).functionId;
        if (id === undefined || id === null || id === '') return undefined;
        let h = eventFunctions.get(this as object);
        if (!h) {
          h = functionHandle(id as string | number);
          eventFunctions.set(this as object, h);
        }
        return h;
      },
    },
    stringValue: { get() { const v = (this as { value: unknown }).value; return v === null || v === undefined ? null : String(v); } },
    numericValue: { get() { return num((this as { value: unknown }).value); } },
    numberValue: { get() { return num((this as { value: unknown }).value); } },
    doubleValue: { get() { return num((this as { value: unknown }).value); } },
    floatValue: { get() { return num((this as { value: unknown }).value); } },
    integerValue: { get() { return Math.trunc(num((this as { value: unknown }).value)); } },
    longValue: { get() { return Math.trunc(num((this as { value: unknown }).value)); } },
    jsonValue: { get() { const v = (this as { value: unknown }).value; return typeof v === 'string' ? parse(v) : v; } },
    dateValue: { get() { const d = new RealDate(String((this as { value: unknown }).value)); return Number.isNaN(d.getTime()) ? null : d; } },
    isPhysical: { value() { return (this as { source: unknown }).source === 'DEVICE'; } },
    isDigital: { value() { return (this as { source: unknown }).source !== 'DEVICE'; } },
    toString: { value() { return (this as { descriptionText: string }).descriptionText; } },
  }));
  const makeEvent = (fields: Record<string, unknown>) => Object.freeze(Object.assign(Object.create(eventProto), fields, { isStateChange: fields.isStateChange === true }));

  // ---------------------------------------------------------------- controls
  const controls: SandboxControls = {
    setDeadline: kit.setDeadline,
    setNamedFunctions: kit.setNamedFunctions,
    setState: kit.setState,
    setSettings: kit.setSettings,
    setPhase: kit.setPhase,
    runDevice: (execId, handler, name, value, unit, deviceId, functionId, date, isStateChange, source) =>
      run(execId, () => {
        const device = deviceHandle(deviceId);
        const when = new RealDate(date);
        const evt = makeEvent({
          name, value, unit, device, deviceId, functionId, date: when, isoDate: when.toISOString(),
          displayName: device.label, descriptionText: `${device.label} ${name} is ${value}${unit ? ' ' + unit : ''}`, isStateChange, source,
        });
        return resolveHandler(handler)(evt);
      }),
    runLocation: (execId, handler, name, value, date) =>
      run(execId, () => resolveHandler(handler)(makeEvent({
        name, value, date: new RealDate(date), isoDate: new RealDate(date).toISOString(), location, displayName: 'location',
        descriptionText: `location ${name} is ${value}`, isStateChange: true, source: 'LOCATION',
      }))),
    runTouch: (execId, handler, date) =>
      run(execId, () => resolveHandler(handler)(makeEvent({
        name: 'touch', value: 'touched', date: new RealDate(date), isoDate: new RealDate(date).toISOString(), app: appHandle,
        displayName: appInfo.label, descriptionText: `${appInfo.label} was touched`, isStateChange: true, source: 'USER',
      }))),
    runScheduled: (execId, handler, dJson) => run(execId, () => resolveHandler(handler)(dJson === '' ? undefined : parse(dJson))),
    runLifecycle: (execId, name, argJson) => run(execId, () => {
      const f = namedFunction(name);
      if (typeof f !== 'function') return undefined;
      return argJson === '' ? f() : f(resolveTagged(parse(argJson)));
    }),
    runEndpoint: (execId, handler, requestJson) => {
      let response = '';
      const outcome = run(execId, () => {
        try {
          const r = resolveHandler(handler)(parse(requestJson));
          if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') throw new TypeError('web-service handlers must return a value, not a Promise');
          const rendered = r !== null && typeof r === 'object' && (r as Record<string, unknown>)[RENDER] === true;
          response = stringify(rendered ? r : { data: r === undefined ? null : r });
        } catch (e) {
          const status = e !== null && typeof e === 'object' && typeof (e as { httpStatus?: unknown }).httpStatus === 'number' ? (e as { httpStatus: number }).httpStatus : 0;
          if (status) response = stringify({ error: String((e as Error).message), status });
          else throw e;
        }
        return undefined;
      });
      call('endpointResponse', execId, response);
      return outcome;
    },
    invoke: kit.invoke,
    reportRejection: kit.reportRejection,
    takeState: kit.takeState,
    hasFunction: kit.hasFunction,
    guardTrips: kit.guardTrips,
    beginShell: kit.beginShell,
    shellResult: kit.inspect,
  };
  return controls;
}
