import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './cli-helpers';

/** The client modules the unit tests load in plain Node: they and what they import must not need vscode. */
const PURE = [
  'client/activation/app-detection.ts',
  'client/language-client/restart-budget.ts',
  'client/language-client/served-documents.ts',
  'client/language-client/client-log.ts',
  'client/intellisense/declarations.ts',
  'client/new-app/templates.ts',
  'client/testing/discovery.ts',
  'client/testing/results.ts',
  'client/testing/run-plan.ts',
  'client/testing/cli-process.ts',
];

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const found = [base + '.ts', path.join(base, 'index.ts')].find((c) => {
      try {
        return statSync(c).isFile();
      } catch {
        return false;
      }
    });
    if (found) out.push(found);
  }
  return out;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A value import of vscode or the language client (`import type` is erased and costs nothing at run time). */
const importsVscode = (file: string) => /^(?:import|export)\s+(?!type\b)[^;]*?from\s+'vscode(?:-languageclient[^']*)?'|require\('vscode'\)/m.test(readFileSync(file, 'utf8'));

describe('client: structure', () => {
  it('keeps the pure modules (and all they import) free of vscode', () => {
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (importsVscode(file)) offenders.push(path.relative(ROOT, file));
      relativeImports(file).forEach(visit);
    };
    PURE.forEach((f) => visit(path.join(ROOT, f)));
    assert.deepEqual(offenders, []);
  });

  it('keeps every client module under 400 lines', () => {
    const long = tsFiles(path.join(ROOT, 'client'))
      .map((f) => [path.relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    assert.deepEqual(long, []);
  });

  it('contributes the commands the client registers, with their titles', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.main, './dist/client/extension.js');
    assert.deepEqual(pkg.activationEvents, ['workspaceContains:**/app.json', 'workspaceContains:**/manifest.json', 'workspaceContains:**/*.load.json']);
    const titles = pkg.contributes.commands.map((c: { command: string; title: string; category: string }) => [c.command, `${c.category}: ${c.title}`]);
    assert.deepEqual(titles, [
      ['smartplug.restartServer', 'SmartPlug: Restart Language Server'],
      ['smartplug.showOutput', 'SmartPlug: Show Output'],
      ['smartplug.newApp', 'SmartPlug: New App'],
      ['smartplug.validateWorkspace', 'SmartPlug: Validate Workspace'],
    ]);
    const registered = tsFiles(path.join(ROOT, 'client', 'commands')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]));
    assert.deepEqual(registered.sort(), titles.map(([id]: string[]) => id).sort());
    assert.deepEqual(pkg.contributes.configuration.properties['smartplug.javascriptIntelliSense'].default, true);
    // VS Code's JSON service applies the schemas (the server is told so and leaves that layer to it).
    assert.deepEqual(pkg.contributes.jsonValidation.map((v: { url: string }) => v.url), ['./schemas/app-by-name.schema.json', './schemas/manifest-by-name.schema.json', './schemas/load-action.schema.json']);
    // Scenario files are JSON with comments (docs/scenarios.md): editors must not flag the comments.
    assert.deepEqual(pkg.contributes.languages, [{ id: 'jsonc', filenamePatterns: ['*.scenario.json'] }]);
  });
});
