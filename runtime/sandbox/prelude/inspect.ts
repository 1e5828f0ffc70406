/**
 * Prelude part 4 (see core.ts; serialised, evaluated in the app's context): the JS Shell's value
 * formatter. What a shell expression evaluates to (or throws) is turned into text here, in the
 * context's own realm and inside the execution's CPU window, so only a string ever reaches the
 * host. Like Node's util.inspect, but bounded: depth, entries per collection and total length are
 * capped, getters are shown as [Getter] rather than called, and anything that throws while being
 * read is shown as such instead of failing the whole result.
 */
import type { ApiKit, InspectKit } from './types';

export function preludeInspect(kit: ApiKit): InspectKit {
  'use strict';
  // The built-ins as they were before app.js ran: a script may replace the globals.
  const ownKeys = Reflect.ownKeys;
  const getDescriptor = Reflect.getOwnPropertyDescriptor;
  const getProto = Reflect.getPrototypeOf;
  const isArray = Array.isArray;
  const ObjectProto = Object.prototype;
  const ErrorCtor = Error;
  const MapProto = Map.prototype;
  const SetProto = Set.prototype;
  const DateProto = kit.RealDate.prototype;
  const RegExpProto = RegExp.prototype;
  const PromiseProto = Promise.prototype;
  const mapForEach = MapProto.forEach;
  const setForEach = SetProto.forEach;
  const mapSize = (getDescriptor(MapProto, 'size') as PropertyDescriptor).get as (this: unknown) => number;
  const setSize = (getDescriptor(SetProto, 'size') as PropertyDescriptor).get as (this: unknown) => number;
  const dateTime = DateProto.getTime;
  const dateIso = DateProto.toISOString;
  const regexpText = RegExpProto.toString;
  const symbolText = Symbol.prototype.toString;
  const bigintText = BigInt.prototype.toString;
  const apply = Reflect.apply;
  const isIdentifier = (k: string) => /^[A-Za-z_$][\w$]*$/.test(k);

  const MAX_DEPTH = 4;
  const MAX_ENTRIES = 100;
  const MAX_STRING = 10000;
  const MAX_TOTAL = 16000;

  const quote = (s: string) => {
    const clipped = s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
    const body = clipped.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return "'" + body + "'" + (s.length > MAX_STRING ? `... ${s.length - MAX_STRING} more characters` : '');
  };
  const keyText = (k: string | symbol) => (typeof k === 'symbol' ? '[' + apply(symbolText, k, []) + ']' : isIdentifier(k) ? k : quote(k));

  // Whether v's prototype chain holds proto (without calling any getPrototypeOf trap twice).
  const inherits = (v: object, proto: object) => {
    let p = getProto(v);
    for (let i = 0; p !== null && i < 64; i++) {
      if (p === proto) return true;
      p = getProto(p);
    }
    return false;
  };

  const functionText = (f: Function) => {
    const d = getDescriptor(f, 'name');
    const name = d && 'value' in d && typeof d.value === 'string' ? d.value : '';
    return name ? `[Function: ${name}]` : '[Function (anonymous)]';
  };

  const errorText = (e: object) => {
    const get = (k: string) => {
      try {
        const v = (e as Record<string, unknown>)[k];
        return typeof v === 'string' ? v : '';
      } catch {
        return '';
      }
    };
    const name = get('name') || 'Error';
    const message = get('message');
    return message ? `${name}: ${message}` : name;
  };

  let budget = MAX_TOTAL;
  const STOP = Object.freeze({});

  const format = (v: unknown, depth: number, seen: object[]): string => {
    if (budget <= 0) return '…';
    switch (typeof v) {
      case 'string': return quote(v);
      case 'number': return v === 0 && 1 / v < 0 ? '-0' : String(v);
      case 'bigint': return apply(bigintText, v, []) + 'n';
      case 'boolean': return String(v);
      case 'undefined': return 'undefined';
      case 'symbol': return apply(symbolText, v, []);
      case 'function': return functionText(v);
      default: break;
    }
    if (v === null) return 'null';
    const o = v as object;
    if (seen.indexOf(o) >= 0) return '[Circular]';
    try {
      if (inherits(o, ErrorCtor.prototype)) return errorText(o);
      if (inherits(o, DateProto)) {
        const t = apply(dateTime, o, []) as number;
        return t === t ? apply(dateIso, o, []) : 'Invalid Date';
      }
      if (inherits(o, RegExpProto)) return apply(regexpText, o, []);
      if (inherits(o, PromiseProto)) return 'Promise { … } (the shell does not wait for promises)';
      if (depth >= MAX_DEPTH) return isArray(o) ? '[Array]' : '[Object]';
      seen.push(o);
      try {
        const parts: string[] = [];
        let more = 0;
        const add = (text: string) => {
          if (parts.length >= MAX_ENTRIES) more++;
          else {
            parts.push(text);
            budget -= text.length + 2;
          }
        };
        let prefix = '';
        // A collection is walked only as far as it is shown: past the cap, iterating stops (STOP).
        const full = () => parts.length >= MAX_ENTRIES || budget <= 0;
        const walk = (forEach: Function, size: number, entry: (value: unknown, key: unknown) => string) => {
          try {
            apply(forEach, o, [(value: unknown, key: unknown) => {
              if (full()) throw STOP;
              add(entry(value, key));
            }]);
          } catch (e) {
            if (e !== STOP) throw e;
          }
          more += size - parts.length;
        };
        if (inherits(o, MapProto)) {
          const size = apply(mapSize, o, []) as number;
          prefix = `Map(${size}) `;
          walk(mapForEach, size, (value, key) => `${format(key, depth + 1, seen)} => ${format(value, depth + 1, seen)}`);
        } else if (inherits(o, SetProto)) {
          const size = apply(setSize, o, []) as number;
          prefix = `Set(${size}) `;
          walk(setForEach, size, (value) => format(value, depth + 1, seen));
        }
        const array = isArray(o);
        if (array) {
          // By index, up to the cap: a huge array is never listed whole.
          const lengthDescriptor = getDescriptor(o, 'length');
          const length = lengthDescriptor && typeof lengthDescriptor.value === 'number' ? lengthDescriptor.value : 0;
          let i = 0;
          for (; i < length && i < MAX_ENTRIES && budget > 0; i++) {
            const d = getDescriptor(o, String(i));
            add(!d ? '<empty>' : 'value' in d ? format(d.value, depth + 1, seen) : '[Getter]');
          }
          more += length - i;
        } else {
          const keys = ownKeys(o);
          for (let i = 0; i < keys.length; i++) {
            if (budget <= 0 || parts.length >= MAX_ENTRIES) {
              more += keys.length - i;
              break;
            }
            const k = keys[i];
            const d = getDescriptor(o, k);
            if (!d || !d.enumerable) continue;
            const shown = 'value' in d ? format(d.value, depth + 1, seen) : d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]';
            add(`${keyText(k)}: ${shown}`);
          }
        }
        if (more > 0) parts.push(`... ${more} more`);
        if (array) return parts.length ? `[ ${parts.join(', ')} ]` : '[]';
        if (!prefix) {
          const proto = getProto(o);
          if (proto !== null && proto !== ObjectProto) {
            const c = getDescriptor(proto, 'constructor');
            const name = c && typeof c.value === 'function' ? getDescriptor(c.value, 'name') : undefined;
            if (name && typeof name.value === 'string' && name.value) prefix = name.value + ' ';
          }
        }
        return parts.length ? `${prefix}{ ${parts.join(', ')} }` : `${prefix}{}`;
      } finally {
        seen.pop();
      }
    } catch (e) {
      // A proxy trap or an accessor of the script's threw (or the CPU limit stopped it).
      return `[could not be read: ${e !== null && typeof e === 'object' ? errorText(e) : typeof e}]`;
    }
  };

  const inspect = (value: unknown, threw: boolean): string => {
    budget = MAX_TOTAL;
    const text = format(value, 0, []);
    if (!threw) return text;
    // A thrown Error reads as the error; anything else thrown is said to be thrown.
    let isError = false;
    try {
      isError = value !== null && typeof value === 'object' && inherits(value, ErrorCtor.prototype);
    } catch {
      /* a trap threw: said as thrown */
    }
    return isError ? text : `Uncaught ${text}`;
  };
  return Object.assign(kit, { inspect });
}
