/**
 * The scripts the engine thread has compiled, as the inspector reports them, and the mapping
 * between the code V8 runs (app.js with the execution guard's calls inserted) and app.js as its
 * author wrote it. Lines never move (instrumentation inserts no line break); columns do, and the
 * worker attaches a source map for them (runtime/sandbox/instrument.ts).
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LEAST_UPPER_BOUND, TraceMap, generatedPositionFor, originalPositionFor } from '@jridgewell/trace-mapping';
import type { Protocol } from 'devtools-protocol';

interface ScriptInfo {
  id: string;
  /** The code V8 runs, once asked for. */
  source?: Promise<string>;
  url: string;
  /** Absolute path, for file: URLs. */
  file?: string;
  map?: TraceMap;
}

const DATA_URL = /^data:application\/json;(?:charset=utf-8;)?base64,(.*)$/;

export class ScriptRegistry {
  private readonly byId = new Map<string, ScriptInfo>();

  /**
   * Scripts under `appRoot` (a folder) are the app's: everything else is the runtime's, and skipped.
   * `runtimeRoot` is where the worker has them, when it is not `appRoot` (an app attached to on a
   * Thing: /smartplug/{SID}/{installation_id}); files are said to the client under `appRoot`.
   */
  constructor(
    readonly appRoot: string,
    readonly runtimeRoot = appRoot,
  ) {}

  /** The URL pattern of every script that is not the app's (for Debugger.setBlackboxPatterns). */
  runtimePattern(): string {
    const prefix = pathToFileURL(this.runtimeRoot.endsWith('/') ? this.runtimeRoot : `${this.runtimeRoot}/`).href;
    return `^(?!${escapeRegExp(prefix)}).*`;
  }

  /** A file of the app as the worker names it. */
  runtimePath(file: string): string {
    return this.runtimeRoot !== this.appRoot && isUnder(file, this.appRoot) ? path.posix.join(this.runtimeRoot, path.relative(this.appRoot, file).split(path.sep).join('/')) : file;
  }

  /** The URL the worker's scripts of this file have (for Debugger.setBreakpointByUrl). */
  urlOf(file: string): string {
    return pathToFileURL(this.runtimePath(file)).href;
  }

  /** A file the worker names, as the client knows it. */
  private localPath(file: string): string {
    return this.runtimeRoot !== this.appRoot && isUnder(file, this.runtimeRoot) ? path.join(this.appRoot, path.posix.relative(this.runtimeRoot, file)) : file;
  }

  /** A new engine thread: the old one's script ids mean nothing now. */
  clear(): void {
    this.byId.clear();
  }

  add(e: Protocol.Debugger.ScriptParsedEvent): void {
    const info: ScriptInfo = { id: e.scriptId, url: e.url };
    if (e.url.startsWith('file:')) info.file = this.localPath(fileURLToPath(e.url));
    const m = e.sourceMapURL ? DATA_URL.exec(e.sourceMapURL) : null;
    if (m) {
      try {
        info.map = new TraceMap(Buffer.from(m[1], 'base64').toString('utf8'));
      } catch {
        /* no map: columns stay those of the instrumented code */
      }
    }
    this.byId.set(e.scriptId, info);
  }

  /** The code V8 runs for a script (fetched once). */
  source(scriptId: string, fetch: () => Promise<string>): Promise<string> {
    const info = this.byId.get(scriptId);
    if (!info) return fetch();
    info.source ??= fetch();
    return info.source;
  }

  /** The app file a script is, or undefined for the runtime's own code. */
  appFileOf(scriptId: string): string | undefined {
    const file = this.byId.get(scriptId)?.file;
    return file !== undefined && isUnder(file, this.appRoot) ? file : undefined;
  }

  /** A 0-based CDP location as the author's 1-based line and column. */
  original(location: Protocol.Debugger.Location): { line: number; column: number } {
    const line = location.lineNumber + 1;
    const column = location.columnNumber ?? 0;
    const map = this.byId.get(location.scriptId)?.map;
    if (map) {
      // Code the runtime inserted (the guard's calls) has no segment of its own: it belongs to the author's code after it.
      const o = originalPositionFor(map, { line, column, bias: LEAST_UPPER_BOUND });
      if (o.line === line && o.column !== null) return { line, column: o.column + 1 };
    }
    return { line, column: column + 1 };
  }

  /** The author's 1-based line and column as a 0-based column of the code V8 runs, in any script of that file. */
  generatedColumn(file: string, line: number, column: number): number {
    for (const s of this.byId.values()) {
      if (s.file !== file || !s.map) continue;
      const g = generatedPositionFor(s.map, { source: this.runtimePath(file), line, column: column - 1, bias: LEAST_UPPER_BOUND });
      if (g.line === line && g.column !== null) return g.column;
    }
    return column - 1;
  }
}

function isUnder(file: string, dir: string): boolean {
  const root = dir.endsWith('/') ? dir : `${dir}/`;
  return file.startsWith(root);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
