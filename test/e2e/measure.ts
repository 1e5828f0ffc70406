/**
 * The extension's figures in a real VS Code (code-server 4.100.0 in chromium), for `npm run bench`:
 *
 * - activation: the window is reloaded with a typical app.json open; from VS Code activating the
 *   extension (the extension host's log) to the language server ready (the client's log line
 *   saying so, when it writes one) and to that app.json's first diagnostics drawn;
 * - diagnostics: from opening a typical app.json (Quick Open, Enter) to its error in the Problems
 *   panel (and its squiggle in the editor), the server running; each run opens an app it has not
 *   seen. Moments on the page are taken in the page, every frame, not by our polling.
 *
 * `measureEditor()` starts its own code-server and browser, measures and stops them (~25 s).
 * Run directly (`node --import tsx test/e2e/measure.ts`) it prints the figures as JSON; with
 * SMARTPLUG_E2E_EXTENSION_FOLDER=<unpacked extension> it measures that one instead, to compare.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printTable } from '../../bench/table';
import { E2E, editorVersion, poll, ROOT, sleep, type Window } from './harness';
import { type GuideFigures, guideRows, measureGuide, writeGuideApps } from './measure-guide';
import { measurePlatform, type PlatformFigures, platformRows, writePlatformApp } from './measure-platform';

export interface EditorFigures {
  /** code-server's and VS Code's versions. */
  editor: string;
  /**
   * Extension activation → the language server ready: to its log line saying so when the client
   * writes one, else to the first diagnostics of the app.json the window restores at start.
   */
  /** activate() itself, as the extension logs it (the server starts after). */
  activateWorkMs?: number;
  activationMs: number;
  readySignal: 'log' | 'first-diagnostics';
  /** Extension activation → the first diagnostics drawn (the app.json restored with the window). */
  activationToDiagnosticsMs: number;
  /** The window starting to load → those first diagnostics (VS Code's own start-up included). */
  windowToDiagnosticsMs: number;
  /** Opening an app.json (Quick Open, Enter) → its error in Problems, server running: one per run. */
  diagnosticsMs: number[];
  diagnosticsMedianMs: number;
  /** Of each of those: → the error squiggle drawn in the editor. */
  squiggleMs: number[];
  /** Of each of those: → the editor's tab shown (VS Code's part, before any diagnostics can show). */
  editorMs: number[];
  /** The lines of the app.json measured. */
  appJsonLines: number;
  /** The configuration guide's preview (measure-guide.ts). */
  guide: GuideFigures;
  /** The platform's views: Start Local Environment and drops (measure-platform.ts). */
  platform: PlatformFigures;
}

export interface MeasureOptions {
  /** How many app.json files to open (each a fresh copy the server has not seen). */
  runs?: number;
  log?: (s: string) => void;
  /** An unpacked extension to measure instead of the .vsix (to compare). */
  extensionFolder?: string;
}

/** A typical app.json: examples/door-light's, with one guide entry misspelt (as `typo`) so that it has an error to show. */
function typicalAppJson(typo: string): string {
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'door-light', 'app.json'), 'utf8');
  const broken = text.replace('"trigger_function",\n', `"${typo}",\n`);
  if (broken === text) throw new Error('examples/door-light/app.json changed: the measurement cannot misspell "trigger_function" in its guide');
  return broken;
}

/** "2026-11-23 08:11:42.758 [info] …" → epoch ms (the logs are written in local time, as Date parses them). */
function logTime(line: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : NaN;
}

/**
 * Presses Enter in Quick Open (showing `rel`) and returns ms until the Problems panel lists the
 * error about `typo` (each file has its own misspelling, so no earlier file's problem counts).
 */
async function openAndTimeDiagnostics(w: Window, rel: string, typo: string): Promise<{ total: number; editor: number; squiggle: number }> {
  await w.page.keyboard.press('Control+P');
  await w.quickInputType(rel);
  await w.quickInputRows().filter({ hasText: path.posix.dirname(rel) }).first().waitFor({ timeout: 30_000 });
  await sleep(300);
  // Both moments are taken in the page: the Enter key going down, and the first frame that shows
  // the problem (checked every frame), so the figure is not our polling's.
  // (A string, not a function: the TypeScript loader would wrap inner functions in a helper the page lacks.)
  await w.page.evaluate(`(() => {
    const m = (globalThis.__measure = {});
    addEventListener('keydown', (e) => { if (e.key === 'Enter' && m.enter === undefined) m.enter = performance.now(); }, { capture: true, once: true });
    const check = () => {
      if (m.enter !== undefined && m.editor === undefined && document.querySelector('.tabs-container .tab.active')) m.editor = performance.now();
      if (m.enter !== undefined && m.squiggle === undefined && document.querySelector('.editor-group-container.active .monaco-editor .squiggly-error')) m.squiggle = performance.now();
      const rows = document.querySelectorAll('.markers-panel .monaco-list-row');
      if (m.enter !== undefined && Array.from(rows).some((r) => (r.getAttribute('aria-label') || '').includes(${JSON.stringify(`"${typo}", which is not an input`)}))) m.shown = performance.now();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })()`);
  await w.page.keyboard.press('Enter');
  const m = await poll(`the diagnostics of ${rel}`, () => w.page.evaluate(() => {
    const g = globalThis as unknown as { __measure?: { enter?: number; editor?: number; squiggle?: number; shown?: number } };
    return g.__measure?.shown !== undefined ? g.__measure : undefined;
  }), 60_000, 50);
  return { total: Math.round(m.shown! - m.enter!), editor: Math.round((m.editor ?? m.shown!) - m.enter!), squiggle: m.squiggle === undefined ? -1 : Math.round(m.squiggle - m.enter!) };
}

/** Every activation of the extension the extension hosts logged, in time order (epoch ms). */
function activations(logs: string): number[] {
  if (!fs.existsSync(logs)) return [];
  const out: number[] = [];
  for (const f of fs.readdirSync(logs, { recursive: true }) as string[]) {
    if (!/exthost\.log$/.test(f)) continue;
    for (const l of fs.readFileSync(path.join(logs, f), 'utf8').split('\n')) if (/_doActivateExtension smartplug\.smartplug-apps-ide\b/.test(l)) out.push(logTime(l));
  }
  return out.sort((a, b) => a - b);
}

/** The client's "server ready" log lines (epoch ms). */
/** The extension's own activation work, as its log reports it ("Activated in N ms."). */
function activateWorkMs(logs: string): number | undefined {
  if (!fs.existsSync(logs)) return undefined;
  for (const f of fs.readdirSync(logs, { recursive: true }) as string[]) {
    if (!/SmartPlug\.log$/.test(f)) continue;
    const m = /Activated in ([\d.]+) ms/.exec(fs.readFileSync(path.join(logs, f), 'utf8'));
    if (m) return Number(m[1]);
  }
  return undefined;
}

function readyLines(logs: string): number[] {
  if (!fs.existsSync(logs)) return [];
  const out: number[] = [];
  for (const f of fs.readdirSync(logs, { recursive: true }) as string[]) {
    if (!/SmartPlug\.log$/.test(f)) continue;
    for (const l of fs.readFileSync(path.join(logs, f), 'utf8').split('\n')) if (/language server is (ready|running|started)/i.test(l)) out.push(logTime(l));
  }
  return out.sort((a, b) => a - b);
}

export async function measureEditor(opts: MeasureOptions = {}): Promise<EditorFigures> {
  const runs = opts.runs ?? 5;
  const log = opts.log ?? (() => {});
  const e2e = await E2E.start({ log, ...(opts.extensionFolder ? { extensionFolder: opts.extensionFolder } : {}) });
  try {
    const typo = (i: number) => `trigger_functon_${i}`;
    const ws = path.join(e2e.tmp, 'workspaces', 'measure');
    for (let i = 0; i <= runs; i++) {
      fs.mkdirSync(path.join(ws, `app-${i}`), { recursive: true });
      fs.writeFileSync(path.join(ws, `app-${i}`, 'app.json'), typicalAppJson(typo(i)));
      fs.copyFileSync(path.join(ROOT, 'examples', 'door-light', 'app.js'), path.join(ws, `app-${i}`, 'app.js'));
    }
    const guideApps = writeGuideApps(ws, 4);
    writePlatformApp(ws);
    const w = await e2e.open(ws);
    await w.page.setViewportSize({ width: 1400, height: 2600 }); // the whole app.json on screen, its squiggles drawn
    await w.quickOpen('app-0/app.json');
    await w.waitForProblem((p) => p.message.includes(`"${typo(0)}"`), typo(0));

    // Activation: reload the window. VS Code starts a new extension host, activates the extension
    // and restores app-0/app.json; the page notes (epoch ms, as the logs) when its squiggle is drawn.
    await w.page.addInitScript(`(() => {
      const check = () => {
        if (document.querySelector('.editor-group-container.active .monaco-editor .squiggly-error')) globalThis.__firstSquiggle = Date.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })()`);
    const logs = path.join(e2e.tmp, 'user-data', 'logs');
    const before = activations(logs).length;
    // VS Code's own reload: it saves the window's state (the open editor) on the way out.
    const reloadAt = Date.now();
    const navigated = w.page.waitForEvent('framenavigated', { timeout: 60_000 });
    await w.runCommand('Developer: Reload Window');
    await navigated;
    await w.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const firstSquiggle = await poll('the restored app.json\'s diagnostics', () => w.page.evaluate(() => (globalThis as unknown as { __firstSquiggle?: number }).__firstSquiggle), 60_000, 50);
    const activatedAt = await poll('the activation in the extension host log', () => activations(logs).slice(before)[0], 10_000);
    const readyAt = readyLines(logs).find((t) => t >= activatedAt);

    // Opening app.json files with the server running.
    await w.showProblems();
    const diagnosticsMs: number[] = [];
    const squiggleMs: number[] = [];
    const editorMs: number[] = [];
    for (let i = 1; i <= runs; i++) {
      await w.runCommand('View: Close All Editors');
      const t = await openAndTimeDiagnostics(w, `app-${i}/app.json`, typo(i));
      diagnosticsMs.push(t.total);
      squiggleMs.push(t.squiggle);
      editorMs.push(t.editor);
    }
    const sorted = [...diagnosticsMs].sort((a, b) => a - b);
    await w.page.setViewportSize({ width: 1400, height: 900 });
    const guide = await measureGuide(w, guideApps);
    await w.runCommand('View: Close All Editors');
    const platform = await measurePlatform(w, logs, path.join(ws, '.vscode', 'settings.json'));
    return {
      guide,
      platform,
      editor: editorVersion(),
      activateWorkMs: activateWorkMs(logs),
      activationMs: (readyAt ?? firstSquiggle) - activatedAt,
      readySignal: readyAt !== undefined ? 'log' : 'first-diagnostics',
      activationToDiagnosticsMs: firstSquiggle - activatedAt,
      windowToDiagnosticsMs: firstSquiggle - reloadAt,
      diagnosticsMs,
      diagnosticsMedianMs: sorted[Math.floor(sorted.length / 2)],
      squiggleMs,
      editorMs,
      appJsonLines: typicalAppJson(typo(0)).split('\n').length,
    };
  } finally {
    await e2e.stop();
  }
}

/** The figures as rows of `npm run bench`'s table (bench/table.ts's Row). */
export function editorRows(f: EditorFigures): { figure: string; value: string; target: string; ok?: boolean }[] {
  return [
    { figure: 'VS Code: activate(), the extension\'s own work', value: f.activateWorkMs === undefined ? 'not logged' : `${f.activateWorkMs} ms`, target: '< 50 ms', ok: f.activateWorkMs !== undefined && f.activateWorkMs < 50 },
    { figure: `VS Code (${f.editor}): activation → language server ready${f.readySignal === 'log' ? '' : ' (first diagnostics)'}`, value: `${f.activationMs} ms`, target: '' },
    { figure: '  activation → first diagnostics of the restored app.json', value: `${f.activationToDiagnosticsMs} ms`, target: '' },
    { figure: '  window (re)load → those diagnostics', value: `${f.windowToDiagnosticsMs} ms`, target: '' },
    { figure: `VS Code: open a typical app.json (${f.appJsonLines} lines) → error in Problems, median of ${f.diagnosticsMs.length}`, value: `${f.diagnosticsMedianMs} ms (${f.diagnosticsMs.join(', ')})`, target: '' },
    { figure: '  → squiggle drawn / → editor tab shown', value: `${f.squiggleMs.join(', ')} / ${f.editorMs.join(', ')} ms`, target: '' },
    ...guideRows(f.guide),
    ...platformRows(f.platform),
  ];
}

// Run directly (not when bundled into another program, where require.main is that program).
if (require.main === module && /measure\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  measureEditor({ log: (s) => process.stderr.write(`[measure] ${s}\n`), extensionFolder: process.env.SMARTPLUG_E2E_EXTENSION_FOLDER }).then(
    (f) => {
      process.stdout.write(`${JSON.stringify(f, null, 2)}\n\n`);
      printTable(editorRows(f), (t) => process.stdout.write(t));
    },
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
      process.exitCode = 1;
    },
  );
}
