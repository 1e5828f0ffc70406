/**
 * A V8 code cache for the engine thread's bundle: compiling its ~400 KB at every thread start was
 * a third of a worker spawn. The warden makes the cache when the host asks (compiling the bundle,
 * never running it, before any app can run), the host writes it beside the bundle, and later
 * engine threads start from it. Only the warden's own cache is ever written: an engine thread
 * (where an escaped script would be) cannot send one (worker-main.ts drops such a message), and V8
 * rejects a cache made for another source, Node or set of flags (the thread then compiles as before).
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as vm from 'node:vm';

/** What the engine thread runs first (a worker_threads eval script): the bundle, compiled with the cache. */
export const THREAD_LOADER = `'use strict';
// An eval script gets require and module as globals: kept here, and taken off the global scope,
// where an escaped script would look for them (the thread check says what is reachable).
const require_ = require;
for (const name of ['require', 'module', 'exports', '__filename', '__dirname']) delete globalThis[name];
const { workerData } = require_('node:worker_threads');
const fs = require_('node:fs');
const vm = require_('node:vm');
const Module = require_('node:module');
const path = require_('node:path');
const file = workerData.file;
let cachedData;
try { if (workerData.cache) cachedData = fs.readFileSync(workerData.cache); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, require_, module_, file, path.dirname(file));
// Only a maker thread (warm-code-cache.ts: the warden's own, running only its sample app) hands
// back the cache of its script once it ran; an engine thread where apps run has no such listener.
if (workerData.warmup) {
  const { parentPort } = require_('node:worker_threads');
  parentPort.on('message', (m) => {
    if (m && m.kind === 'make-code-cache') parentPort.postMessage({ kind: 'code-cache', data: script.createCachedData().toString('base64') });
  });
}
`;

/** The engine thread bundle compiled (not run) in this process: its code cache, as base64 (warm-code-cache.ts's fallback). */
export function makeCodeCache(file: string): string {
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file });
  return script.createCachedData().toString('base64');
}
