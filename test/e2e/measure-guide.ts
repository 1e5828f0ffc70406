/**
 * The configuration guide's figures in code-server, for `npm run bench:editor` (measure.ts):
 *
 * - open: "SmartPlug: Preview Configuration Guide" run from the palette (its Enter) → the page's
 *   first drawing of the guide of seed 003's example (the page notes the moment, epoch ms); and
 *   of that, the page's own part: from its document starting to load (VS Code's webview is made
 *   by then) to that drawing. The first open of a window creates VS Code's webview machinery
 *   (a service worker); the later ones are reported apart.
 * - edit: one key typed in app.json (a guide page's title) → the page drawn with it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { poll, ROOT, sleep, type Window } from './harness';

export interface GuideFigures {
  /** Enter → first guide drawn, first open of the window, then the later opens. */
  openMs: number[];
  /** Of each: the page's document starting to load → first guide drawn. */
  pageOwnMs: number[];
  /** Of each: the page's code starting → first guide drawn (the page's code alone). */
  scriptMs: number[];
  /** One key in app.json → the page drawn with it. */
  editMs: number[];
  /**
   * The floor: VS Code's own Markdown preview of a small file opened beside it (Ctrl+K V →
   * its heading visible, found by polling every 10 ms), beside the guide measured by the same polling.
   */
  markdownPolledMs: number[];
  guidePolledMs: number[];
}

const page = (w: Window): FrameLocator => w.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

async function attr(w: Window, name: string): Promise<number> {
  return Number((await page(w).locator('#guide-root').getAttribute(name, { timeout: 1000 }).catch(() => null)) ?? 0);
}

/** Seed 003's example as written (test/fixtures/seed003) with the door light's devices, `runs` copies. */
export function writeGuideApps(ws: string, runs: number): string[] {
  const dirs: string[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = path.join(ws, `guide-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['app.json', 'instance.json']) fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'seed003', f), path.join(dir, f));
    fs.copyFileSync(path.join(ROOT, 'examples', 'door-light', 'devices.json'), path.join(dir, 'devices.json'));
    fs.writeFileSync(path.join(dir, 'NOTES.md'), `# Notes ${i}\n\nSeed 003's example, for the guide's benchmark.\n`);
    dirs.push(`guide-${i}`);
  }
  return dirs;
}

export async function measureGuide(w: Window, apps: string[], keys = 5): Promise<GuideFigures> {
  const openMs: number[] = [];
  const pageOwnMs: number[] = [];
  const scriptMs: number[] = [];
  const guidePolledMs: number[] = [];
  for (const app of apps) {
    await w.runCommand('View: Close All Editors');
    await w.quickOpen(`${app}/app.json`);
    const pressed = await w.runCommand('SmartPlug: Preview Configuration Guide');
    await page(w).locator('#page-title').waitFor({ timeout: 60_000 });
    guidePolledMs.push(Date.now() - pressed);
    const first = await poll('the guide drawn', () => attr(w, 'data-first-guide-at'), 60_000, 20);
    const origin = (await page(w).locator('#guide-root').evaluate(() => performance.timeOrigin)) as number;
    openMs.push(Math.round(first - pressed));
    pageOwnMs.push(Math.round(first - origin));
    scriptMs.push(Math.round(first - (await attr(w, 'data-script-at'))));
  }
  // Typing in app.json (its editor, the first group): the first page's title gains a letter a key.
  await w.page.locator('.editor-group-container').first().locator('.monaco-editor .view-lines').click();
  const text = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'seed003', 'app.json'), 'utf8');
  const needle = '"Function selection';
  const before = text.slice(0, text.indexOf(needle) + needle.length).split('\n');
  await w.goTo(before.length, before[before.length - 1].length + 1);
  const editMs: number[] = [];
  for (let i = 0; i < keys; i++) {
    const drawn = await attr(w, 'data-rendered');
    const typed = Date.now();
    await w.page.keyboard.press('x');
    await poll('the page drawn after the key', async () => (await attr(w, 'data-rendered')) > drawn, 10_000, 5);
    editMs.push(Math.round((await attr(w, 'data-rendered-at')) - typed));
    await sleep(200);
  }
  await w.runCommand('View: Revert and Close Editor');
  const markdownPolledMs: number[] = [];
  for (const app of apps) {
    await w.runCommand('View: Close All Editors');
    await w.quickOpen(`${app}/NOTES.md`);
    // Its keybinding (Ctrl+K V): in the palette it sorts below "Open Locked Preview to the Side".
    await w.focusEditorArea();
    await w.page.keyboard.press('Control+K');
    const pressed = Date.now();
    await w.page.keyboard.press('v');
    await page(w).locator('h1').waitFor({ timeout: 60_000 });
    markdownPolledMs.push(Date.now() - pressed);
  }
  await w.runCommand('View: Close All Editors');
  return { openMs, pageOwnMs, scriptMs, editMs, markdownPolledMs, guidePolledMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function guideRows(f: GuideFigures): { figure: string; value: string; target: string; ok?: boolean }[] {
  const later = f.openMs.slice(1);
  return [
    { figure: 'guide: open the preview → first render (seed 003\'s example), the window\'s first webview', value: `${f.openMs[0]} ms (the page's own part: ${f.pageOwnMs[0]} ms)`, target: '' },
    { figure: `guide: open the preview → first render, later opens (median of ${later.length})`, value: `${median(later)} ms (${later.join(', ')}); the page's own part ${median(f.pageOwnMs.slice(1))} ms`, target: '< 150 ms', ok: median(later) < 150 },
    { figure: '  the page\'s code alone (its script starting → the guide drawn), each open', value: `${f.scriptMs.join(', ')} ms`, target: '' },
    { figure: `  floor: VS Code's Markdown preview, Ctrl+K V → heading visible (polled), beside the guide polled the same way`, value: `${median(f.markdownPolledMs)} ms (${f.markdownPolledMs.join(', ')}) / guide ${median(f.guidePolledMs)} ms (${f.guidePolledMs.join(', ')})`, target: '' },
    { figure: `guide: an app.json key → the page updated (median of ${f.editMs.length})`, value: `${median(f.editMs)} ms (${f.editMs.join(', ')})`, target: '< 50 ms', ok: median(f.editMs) < 50 },
  ];
}
