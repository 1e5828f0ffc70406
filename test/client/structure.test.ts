import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SMARTPLUG_JSON } from '../../client/language-client/language-id';
import { ROOT } from './cli-helpers';

/** The client modules the unit tests load in plain Node: they and what they import must not need vscode. */
const PURE = [
  'client/activation/app-detection.ts',
  'client/language-client/restart-budget.ts',
  'client/language-client/served-documents.ts',
  'client/language-client/language-id.ts',
  'client/language-client/client-log.ts',
  'client/intellisense/declarations.ts',
  'client/new-app/templates.ts',
  'client/testing/discovery.ts',
  'client/testing/results.ts',
  'client/testing/run-plan.ts',
  'client/testing/cli-process.ts',
  'client/terminal/launcher.ts',
  'client/platform/local-environment.ts',
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
    assert.deepEqual(pkg.activationEvents, ['workspaceContains:**/app.json', 'workspaceContains:**/manifest.json', 'workspaceContains:**/*.load.json', `onLanguage:${SMARTPLUG_JSON}`]);
    const titles = pkg.contributes.commands.map((c: { command: string; title: string; category: string }) => [c.command, `${c.category}: ${c.title}`]);
    assert.deepEqual(titles, [
      ['smartplug.restartServer', 'SmartPlug: Restart Language Server'],
      ['smartplug.showOutput', 'SmartPlug: Show Output'],
      ['smartplug.newApp', 'SmartPlug: New App'],
      ['smartplug.validateWorkspace', 'SmartPlug: Validate Workspace'],
      ['smartplug.openAppScript', 'SmartPlug: Open App Script'],
      ['smartplug.runAllScenarios', 'SmartPlug: Run All Scenario Tests'],
      ['smartplug.serverActions', 'SmartPlug: Language Server Actions'],
      ['smartplug.refreshApps', 'SmartPlug: Refresh'],
      ['smartplug.runApp', 'SmartPlug: Run App'],
      ['smartplug.previewGuide', 'SmartPlug: Preview Configuration Guide'],
      ['smartplug.simulator.injectEvent', 'SmartPlug: Inject Device Event'],
      ['smartplug.simulator.advanceClock', 'SmartPlug: Advance Clock'],
      ['smartplug.simulator.setMode', 'SmartPlug: Set Location Mode'],
      ['smartplug.simulator.touch', 'SmartPlug: Touch App'],
      ['smartplug.simulator.callEndpoint', 'SmartPlug: Call App Endpoint'],
      ['smartplug.simulator.fireJob', 'SmartPlug: Fire Pending Callback Now'],
      ['smartplug.startLocal', 'SmartPlug: Start Local Environment'],
      ['smartplug.stopLocal', 'SmartPlug: Stop Local Environment'],
      ['smartplug.connectRemote', 'SmartPlug: Connect to Remote Platform…'],
      ['smartplug.disconnect', 'SmartPlug: Disconnect from Platform'],
      ['smartplug.testConnection', 'SmartPlug: Test Connection'],
      ['smartplug.refreshPlatform', 'SmartPlug: Refresh'],
      ['smartplug.platformActions', 'SmartPlug: Platform Actions'],
      ['smartplug.removeThingApp', 'SmartPlug: Remove from Thing'],
      ['smartplug.deployApp', 'SmartPlug: Deploy App to Store'],
      ['smartplug.installInstance', 'SmartPlug: Install Instance on Things'],
      ['smartplug.chooseGuideDevices', "SmartPlug: Choose the Guide's Devices"],
      ['smartplug.showThingLogs', 'SmartPlug: Show Thing Logs'],
      ['smartplug.openJsShell', 'SmartPlug: Open JS Shell'],
      ['smartplug.recordScenario', 'SmartPlug: Record Scenario'],
      ['smartplug.copyEndpointCurl', 'SmartPlug: Copy curl Line'],
      ['smartplug.sendLoadAction', 'SmartPlug: Send Load Action to Thing'],
      ['smartplug.attachDebugger', 'SmartPlug: Attach Debugger'],
      ['smartplug.pauseRollout', 'SmartPlug: Pause Rollout'],
      ['smartplug.resumeRollout', 'SmartPlug: Resume Rollout'],
      ['smartplug.cancelRollout', 'SmartPlug: Cancel Rollout'],
    ]);
    const registered = tsFiles(path.join(ROOT, 'client', 'commands')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]));
    assert.deepEqual(registered.sort(), titles.map(([id]: string[]) => id).sort());
    assert.deepEqual(pkg.contributes.configuration.properties['smartplug.scriptDeclarations.enable'].default, true);
    // Our files have a language of their own, so VS Code's JSON extension does not serve them a
    // second time beside the server (the server applies the schemas itself). Scenarios stay JSON
    // with comments; their schema says only "an object", which keeps VS Code's JSON service from
    // offering the values it finds elsewhere in the file beside the server's device ids.
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: ['*.scenario.json', '**/*.scenario.json'], url: './schemas/scenario.schema.json' }]);
    // Scenario, instance and devices files are JSON with comments (docs/scenarios.md), as the runtime
    // reads them: editors must not flag the comments.
    assert.deepEqual(pkg.contributes.languages, [
      { id: 'jsonc', filenames: ['instance.json', 'devices.json'], filenamePatterns: ['*.scenario.json', '*.instance.json', '*.devices.json'] },
      { id: SMARTPLUG_JSON, aliases: ['SmartPlug JSON'], filenames: ['app.json', 'manifest.json'], filenamePatterns: ['*.load.json'], configuration: './language-configuration.json' },
      { id: 'smartplug-log', aliases: ['SmartPlug Log'], filenamePatterns: ['*.smartplug.log'] },
    ]);
    assert.deepEqual(pkg.contributes.grammars, [
      { language: SMARTPLUG_JSON, scopeName: 'source.json.smartplug', path: './syntaxes/smartplug-json.tmLanguage.json' },
      { language: 'smartplug-log', scopeName: 'text.log.smartplug', path: './syntaxes/smartplug-log.tmLanguage.json' },
      { scopeName: 'text.log.smartplug-injection', path: './syntaxes/smartplug-log.injection.tmLanguage.json', injectTo: ['text.log'] },
    ]);
    // JSON's own grammar colours them.
    assert.deepEqual(JSON.parse(readFileSync(path.join(ROOT, 'syntaxes', 'smartplug-json.tmLanguage.json'), 'utf8')).patterns, [{ include: 'source.json' }]);
  });

  it('ships what its manifest and README point to, and claims only the categories it has', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    // What `vsce package` puts in the .vsix (package.json's "files", which npm pack reads too), without building one.
    const listed = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    const shipped = new Set(listed.split('\n').map((l) => l.trim()).filter(Boolean));
    const pointedTo = [
      pkg.icon,
      pkg.contributes.languages.find((l: { configuration?: string }) => l.configuration).configuration.replace(/^\.\//, ''),
      ...pkg.contributes.grammars.map((g: { path: string }) => g.path.replace(/^\.\//, '')),
      ...pkg.contributes.views.explorer.map((v: { icon: string }) => v.icon),
      ...pkg.contributes.walkthroughs.flatMap((w: { steps: { media: { markdown?: string; image?: string } }[] }) => w.steps.map((st) => st.media.markdown ?? st.media.image)),
    ];
    for (const file of pointedTo) {
      assert.ok(shipped.has(file), `package.json points to ${file}, which is not in the .vsix`);
      assert.ok(statSync(path.join(ROOT, file)).isFile(), file);
    }
    assert.match(pkg.icon, /\.png$/, 'the Marketplace takes a PNG icon');
    // Relative links of the README and of the documents it links to resolve inside the package.
    const readmeLinks = (file: string) => [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\]\((?!https?:|#|command:)([^)#\s]+)/g)].map((m) => path.posix.join(path.posix.dirname(file), m[1]));
    const linked = readmeLinks('README.md');
    assert.ok(linked.includes('docs/app-api.md') && linked.includes('docs/scenarios.md'), JSON.stringify(linked));
    for (const file of [...linked, ...linked.filter((f) => f.endsWith('.md')).flatMap(readmeLinks)]) assert.ok(shipped.has(file), `README.md links to ${file}, which is not in the .vsix`);
    // The developers' guide is not for the Marketplace page.
    assert.ok(!/npm ci/.test(readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('## From source')[0]), 'the README speaks to users before "From source"');
    // A category is claimed only when its contribution exists.
    const has: Record<string, boolean> = {
      'Programming Languages': (pkg.contributes.languages ?? []).length > 0 || (pkg.contributes.jsonValidation ?? []).length > 0,
      Linters: true,
      Testing: existsSync(path.join(ROOT, 'client', 'testing', 'scenario-testing.ts')),
      Debuggers: (pkg.contributes.debuggers ?? []).length > 0,
    };
    for (const c of pkg.categories) assert.ok(has[c], `category ${c} has nothing behind it`);
  });
});
