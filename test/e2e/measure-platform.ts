/**
 * The platform views' figures in code-server, for `npm run bench:editor` (measure.ts):
 *
 * - Start Local Environment (its Enter in the palette) → the Things view showing every Thing
 *   running, with `smartplug up`'s own "ready in" beside it (the floor: the views cannot fill
 *   before the platform is up);
 * - a drop of an app onto one Thing (the mouse released) → the notification that it runs there,
 *   the Thing having reported it over MQTT;
 * - the same with 100 Things: Start Local Environment with 100, then all of them selected and one
 *   drop onto them (one bulk action) → "runs on each of the 100 Things".
 * Moments are polled every 20 ms from the test (a poll adds up to that much).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { poll, processes, ROOT, sleep, type Window } from './harness';

export interface PlatformFigures {
  /** Start Local Environment → every Thing running in the view, with 3 and with 100 Things. */
  startMs: { things: number; ms: number; upReadyMs: number }[];
  /** Mouse released → "runs on …", for 1 and for 100 Things. */
  dropMs: { things: number; ms: number }[];
}

/** The example app's folder in the workspace: a drop provisions with its instance.json. */
export function writePlatformApp(ws: string): void {
  fs.cpSync(path.join(ROOT, 'examples', 'door-light'), path.join(ws, 'door-light'), { recursive: true });
}

const pane = (w: Window, name: string) => w.pane(name);
const thingRows = (w: Window) => pane(w, 'Things').locator('.monaco-list-row .label-description').allInnerTexts();
const drag = (w: Window, from: Locator, to: Locator) => w.drag(from, to);

/** `smartplug up`'s own "ready in N ms", the last one in the local environment's output. */
function upReadyMs(logsDir: string): number {
  let last = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'SmartPlug Local Environment.log') for (const m of fs.readFileSync(p, 'utf8').matchAll(/ready in (\d+) ms/g)) last = Number(m[1]);
    }
  };
  walk(logsDir);
  return last;
}

async function startAndFill(w: Window, things: number, logsDir: string): Promise<{ things: number; ms: number; upReadyMs: number }> {
  await w.runCommand('SmartPlug: Focus on Things View');
  const pressed = await w.runCommand('SmartPlug: Start Local Environment');
  // Every Thing listed as running (the view is a virtual list: the rows drawn are counted, and the status bar gives the total).
  await poll(`${things} Things running`, async () => {
    const status = await w.page.locator('.statusbar-item', { hasText: /SmartPlug: local/ }).first().innerText().catch(() => '');
    const rows = await thingRows(w);
    return status.includes(`${things} Things`) && rows.length > 0 && rows.every((r) => r.startsWith('running')) ? true : undefined;
  }, 180_000, 20).catch(async (e: Error) => {
    await w.screenshot(`measure-platform-start-${things}`).catch(() => undefined);
    const status = await w.page.locator('.statusbar-item', { hasText: /SmartPlug/ }).first().innerText().catch(() => '');
    throw new Error(`${e.message}; the status bar says "${status}"; rows: ${JSON.stringify((await thingRows(w)).slice(0, 5))}`);
  });
  return { things, ms: Date.now() - pressed, upReadyMs: upReadyMs(logsDir) };
}

async function dropOnThings(w: Window, things: number): Promise<{ things: number; ms: number }> {
  // Both views on screen: the App Store's row is the drag's start.
  await w.runCommand('SmartPlug: Focus on App Store View');
  await pane(w, 'App Store').locator('.monaco-list-row', { hasText: 'Door light' }).first().waitFor({ timeout: 10_000 });
  const view = pane(w, 'Things');
  const first = view.locator('.monaco-list-row', { hasText: 'thing-1' }).first();
  await first.click();
  if (things > 1) await w.page.keyboard.press('Control+A');
  const source = pane(w, 'App Store').locator('.monaco-list-row', { hasText: 'Door light' }).first();
  // As a user would: the app is chosen, then dragged.
  await source.click();
  await sleep(300);
  const released = await drag(w, source, first);
  const done = new RegExp(things === 1 ? '\\(Door light 1\\.0\\.0\\) runs on thing-1' : `runs on each of the ${things} Things`);
  await poll(`the drop onto ${things} Things to run`, async () => (await w.notifications()).some((n) => done.test(n)) || undefined, 180_000, 20).catch(async (e: Error) => {
    await w.screenshot(`measure-platform-drop-${things}`).catch(() => undefined);
    throw new Error(`${e.message}; notifications: ${JSON.stringify(await w.notifications())}`);
  });
  const ms = Date.now() - released;
  for (let i = 0; i < 4; i++) await w.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  return { things, ms };
}

export async function measurePlatform(w: Window, logsDir: string, settingsFile: string): Promise<PlatformFigures> {
  const startMs = [await startAndFill(w, 3, logsDir)];
  const dropMs = [await dropOnThings(w, 1)];
  await w.runCommand('SmartPlug: Stop Local Environment');
  await poll('the local environment to stop', () => !processes().some((p) => /dist\/platform\/cli\.js up --dir/.test(p.args)) || undefined, 30_000);
  // The workspace's settings: VS Code follows that file as it changes.
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ 'smartplug.localEnvironment.things': 100 }, null, 2));
  await sleep(1500);
  startMs.push(await startAndFill(w, 100, logsDir));
  dropMs.push(await dropOnThings(w, 100));
  await w.runCommand('SmartPlug: Stop Local Environment');
  return { startMs, dropMs };
}

export function platformRows(f: PlatformFigures): { figure: string; value: string; target: string; ok?: boolean }[] {
  return [
    ...f.startMs.map((s) => ({ figure: `platform views: Start Local Environment → ${s.things} Things running in the Things view`, value: `${s.ms} ms (smartplug up itself: ready in ${s.upReadyMs} ms)`, target: '' })),
    ...f.dropMs.map((d) => ({ figure: `platform views: drop an app onto ${d.things === 1 ? '1 Thing' : `${d.things} selected Things`} → every one reports it running`, value: `${d.ms} ms`, target: '' })),
  ];
}
