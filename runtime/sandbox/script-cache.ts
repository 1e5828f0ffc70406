/**
 * What is worked out from an app's script once per process rather than once per installed app:
 * its syntax tree, the instrumented code and its top-level functions. A fleet installs the same
 * app.js on every Thing of a worker; parsing and instrumenting it cost about 2 ms an install, more
 * than the context itself. Nothing cached is changed after it is made, so installs may share it.
 */
import { debuggedThread } from './execution-clock';
import { instrument, type InstrumentedScript } from './instrument';
import { parseScript, topLevelFunctions, type ParsedScript } from './script-ast';

export interface AnalysedScript {
  parsed: ParsedScript;
  instrumented: InstrumentedScript;
  topLevelFunctions: ReadonlyMap<string, unknown>;
}

const MAX_ENTRIES = 64;

/** A small most-recently-used map: a worker runs few distinct scripts. */
export class ScriptMemo<T> {
  private readonly entries = new Map<string, T>();

  get(key: string, make: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = make();
    this.entries.set(key, value);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

const analysed = new ScriptMemo<AnalysedScript>();

/** The script parsed and instrumented; throws the parser's SourceError (not cached) on a syntax error. */
export function analyseScript(source: string, file: string): AnalysedScript {
  return analysed.get(`${file}\u0000${source}`, () => {
    const parsed = parseScript(source, file);
    return { parsed, instrumented: instrument(parsed, { sourceMap: debuggedThread() }), topLevelFunctions: topLevelFunctions(parsed) };
  });
}
