/**
 * Unhandled promise rejections of app code, routed to the app they came from.
 *
 * A promise an app rejects and never handles (a forgotten `Promise.reject()`, an async helper that
 * throws and is not awaited, the CPU guard firing inside a microtask) reaches Node's process-wide
 * 'unhandledRejection'. Node's default ends the process, naming neither the app nor the error. Here
 * each sandbox registers its context's `Promise.prototype`; a rejection whose promise belongs to a
 * context is handed to that app, to be logged as its error like a synchronous one. Nothing an app
 * does ends the process.
 */
import { types } from 'node:util';

export type RejectionSink = (reason: unknown) => void;

const byPrototype = new Map<object, RejectionSink>();
let fallback: ((reason: unknown) => void) | undefined;
let installed = false;
/** How far up a promise's prototype chain to look for its context's Promise.prototype. */
const MAX_CHAIN = 16;

/** Routes rejections of promises made in a context (identified by its Promise.prototype). */
export function routeRejections(promisePrototype: object, sink: RejectionSink): () => void {
  install();
  byPrototype.set(promisePrototype, sink);
  return () => {
    if (byPrototype.get(promisePrototype) === sink) byPrototype.delete(promisePrototype);
  };
}

/**
 * What to do with a rejection no context claims. In a process that runs only apps (the worker) it
 * is an app's all the same, e.g. one that re-parented its promise: log it, never crash.
 */
export function onUnroutedRejection(handler: (reason: unknown) => void): void {
  install();
  fallback = handler;
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason, promise) => {
    const sink = sinkOf(promise);
    if (sink) sink(reason);
    else if (fallback) fallback(reason);
    // Not an app's, and nobody here claims it: keep Node's default (end the process with it).
    else if (process.listenerCount('unhandledRejection') === 1) {
      process.nextTick(() => {
        throw reason;
      });
    }
  });
}

/** The sink of the context that made this promise. Never runs app code: no proxy traps, no getters. */
function sinkOf(promise: unknown): RejectionSink | undefined {
  if (!types.isPromise(promise)) return undefined;
  let p: object | null = promise as object;
  for (let i = 0; i < MAX_CHAIN && p !== null; i++) {
    if (types.isProxy(p)) return undefined;
    const sink = byPrototype.get(p);
    if (sink) return sink;
    p = Object.getPrototypeOf(p) as object | null;
  }
  return undefined;
}
