import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(abs, e);
    if (statSync(p).isDirectory()) return tsFiles(path.join(dir, e));
    return e.endsWith('.ts') ? [p] : [];
  });
}

/** Value imports (not `import type`) of relative modules, resolved to files. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /^import\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'|^export\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const spec = m[1] ?? m[2];
    const base = path.resolve(path.dirname(file), spec);
    for (const candidate of [base + '.ts', path.join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) {
          out.push(candidate);
          break;
        }
      } catch {
        /* try the next form */
      }
    }
  }
  return out;
}

describe('structure', () => {
  it('only client/ imports vscode', () => {
    const offenders = [...tsFiles('runtime'), ...tsFiles('server'), ...tsFiles('platform'), ...tsFiles('debugger'), ...tsFiles('guide')].filter((f) => /from\s+'vscode'|require\('vscode'\)/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  it('has no import cycles in runtime/, server/, client/, platform/, debugger/ and guide/', () => {
    const files = [...tsFiles('runtime'), ...tsFiles('server'), ...tsFiles('client'), ...tsFiles('platform'), ...tsFiles('debugger'), ...tsFiles('guide')];
    const graph = new Map(files.map((f) => [f, valueImports(f)]));
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => path.relative(ROOT, x)).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const next of graph.get(f) ?? []) visit(next, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(cycles, []);
  });
});
