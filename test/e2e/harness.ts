/**
 * End-to-end harness: a real VS Code (code-server 4.100.0, VS Code 1.100's server and web
 * workbench) with the packaged extension installed, driven in Debian's chromium by playwright-core.
 * Tests act as a user does (keys, clicks, the command palette) and read what is on the screen.
 *
 * One code-server and one browser serve the whole suite (`E2E.start()` once, `stop()` at the end);
 * each workspace opens in its own browser page, which is a VS Code window with its own extension
 * host. Every run gets a fresh user-data-dir, extensions dir and a copy of the sample workspace.
 *
 * code-server and chromium come from `.ci/setup-e2e.sh` (never from the project's dependencies).
 *   SMARTPLUG_E2E_HOME        where setup-e2e.sh put code-server (default ~/.cache/smartplug-e2e)
 *   SMARTPLUG_E2E_CODE_SERVER the code-server binary (default $SMARTPLUG_E2E_HOME/node_modules/.bin/code-server)
 *   SMARTPLUG_E2E_CHROMIUM    the browser (default /usr/bin/chromium)
 *   SMARTPLUG_E2E_VSIX        the package to install (default smartplug-apps-ide.vsix at the repo root)
 *   SMARTPLUG_E2E_KEEP=1      keep the temporary folders (user data, logs, workspace) after the run
 *   SMARTPLUG_E2E_TIMEOUT     the default wait, in ms (30000)
 *   SMARTPLUG_E2E_EXTENSION_FOLDER  (suite.ts) an unpacked extension folder instead of the .vsix
 *
 * Artifacts go to test-results/e2e/: NN-name.png screenshots, code-server.log, VS Code's logs.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { freePort } from '../support/free-port';

export const ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS = path.join(ROOT, 'test-results', 'e2e');
export const SAMPLE_WORKSPACE = path.join(__dirname, 'samples');
export const NO_APPS_WORKSPACE = path.join(__dirname, 'workspace-no-apps');

const E2E_HOME = process.env.SMARTPLUG_E2E_HOME || path.join(os.homedir(), '.cache', 'smartplug-e2e');
export const CODE_SERVER = process.env.SMARTPLUG_E2E_CODE_SERVER || path.join(E2E_HOME, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.SMARTPLUG_E2E_CHROMIUM || '/usr/bin/chromium';
export const VSIX = process.env.SMARTPLUG_E2E_VSIX || path.join(ROOT, 'smartplug-apps-ide.vsix');
export const EXTENSION_ID = 'smartplug.smartplug-apps-ide';

/** The note's flags: no sandbox (root in a container), no GPU, nothing that reaches outside. */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** User settings: no trust dialog, no welcome page, nothing that phones home; a calm, predictable UI. */
const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  // The DOM renderer: the tests read what a terminal shows.
  'terminal.integrated.gpuAcceleration': 'off',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.editor.enablePreview': false,
  'editor.minimap.enabled': false,
  'files.hotExit': 'off',
  'files.autoSave': 'off',
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

/** CI machines are slow: every wait is generous. */
export const TIMEOUT = Number(process.env.SMARTPLUG_E2E_TIMEOUT) || 30_000;

export class SetupError extends Error {}

/** Fails (never skips) when the tools are missing: a skipped e2e suite would pass with the feature broken. */
export function checkTools(): void {
  const fix = 'Run `.ci/setup-e2e.sh` (as root; it installs chromium and code-server 4.100.0 into $SMARTPLUG_E2E_HOME, default ~/.cache/smartplug-e2e).';
  if (!fs.existsSync(CODE_SERVER)) throw new SetupError(`code-server is not installed: ${CODE_SERVER} is missing. ${fix}`);
  if (!fs.existsSync(CHROMIUM)) throw new SetupError(`chromium is not installed: ${CHROMIUM} is missing. ${fix}`);
}

/** Newest modification time under the given paths (files and folders, recursively). */
function newestMtime(paths: string[]): { time: number; file: string } {
  let best = { time: 0, file: '' };
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.')) visit(path.join(p, e));
    } else if (st.mtimeMs > best.time) best = { time: st.mtimeMs, file: p };
  };
  paths.forEach(visit);
  return best;
}

/**
 * The .vsix the tests install: the one `npm run package` built at the repo root. When it is missing
 * or older than a source it is built from, it is built again (`npm run package`, ~3 s), so the
 * suite never passes on a stale package.
 */
export function ensureVsix(log: (s: string) => void = () => {}): string {
  if (process.env.SMARTPLUG_E2E_VSIX) return VSIX;
  const sources = ['client', 'server', 'runtime', 'guide', 'debugger', 'platform', 'schemas', 'syntaxes', 'images', 'media', 'docs', 'language-configuration.json', 'package.json', 'esbuild.mjs', 'README.md'].map((p) => path.join(ROOT, p));
  const newest = newestMtime(sources);
  const built = fs.existsSync(VSIX) ? fs.statSync(VSIX).mtimeMs : 0;
  if (built >= newest.time) return VSIX;
  log(built ? `${path.relative(ROOT, VSIX)} is older than ${path.relative(ROOT, newest.file)}: npm run package` : `${path.relative(ROOT, VSIX)} is missing: npm run package`);
  const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new SetupError(`npm run package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return VSIX;
}

/** "code-server 4.100.0 (VS Code 1.100.0)". */
export function editorVersion(): string {
  const out = spawnSync(CODE_SERVER, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const m = /^(\S+) \S+ with Code (\S+)/.exec(out.trim());
  return m ? `code-server ${m[1]} (VS Code ${m[2]})` : `code-server ${out.trim()}`;
}


export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value; throws `what` (with the last error) after `timeout`. */
export async function poll<T>(what: string, fn: () => T | Promise<T>, timeout = TIMEOUT, every = 200): Promise<NonNullable<T>> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${(last as Error).message ?? last}` : ''}`);
    await sleep(every);
  }
}

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

/** Every process on the machine (`ps`). */
export function processes(): Proc[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
    return { pid: +m[1], ppid: +m[2], pgid: +m[3], args: m[4] };
  });
}

/** The processes below `root` (not `root` itself). */
export function descendants(root: number): Proc[] {
  const all = processes();
  const out: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const c of all) if (c.ppid === p) {
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

export interface StartOptions {
  /** An unpacked extension folder to use instead of the .vsix (for working on the harness). */
  extensionFolder?: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  log?: (s: string) => void;
}

/** One code-server and one browser; windows (pages) opened on workspace folders. */
export class E2E {
  readonly windows: Window[] = [];
  private stopped = false;

  private constructor(
    readonly tmp: string,
    readonly port: number,
    readonly server: ChildProcess,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly log: (s: string) => void,
    private readonly serverLog: fs.WriteStream,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Installs the extension, starts code-server on a free loopback port and launches chromium. */
  static async start(opts: StartOptions = {}): Promise<E2E> {
    checkTools();
    const log = opts.log ?? ((s: string) => process.stderr.write(`      [e2e] ${s}\n`));
    fs.mkdirSync(RESULTS, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smartplug-e2e-'));
    const userData = path.join(tmp, 'user-data');
    const extensions = path.join(tmp, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.mkdirSync(extensions, { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...opts.settings }, null, 2));
    // Keep code-server's own config and state in the temporary folder, not in $HOME; drop the
    // variables of an enclosing VS Code (its CLI would hand our commands to that one).
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_DATA_HOME: path.join(tmp, 'data'), XDG_CACHE_HOME: path.join(tmp, 'cache') };
    for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
    delete env.PASSWORD;
    delete env.HASHED_PASSWORD;
    const config = path.join(tmp, 'config.yaml');
    fs.writeFileSync(config, 'auth: none\ncert: false\n');
    const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

    if (opts.extensionFolder) {
      const pkg = JSON.parse(fs.readFileSync(path.join(opts.extensionFolder, 'package.json'), 'utf8'));
      fs.cpSync(opts.extensionFolder, path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), { recursive: true });
    } else {
      const vsix = ensureVsix(log);
      const t0 = Date.now();
      const r = spawnSync(CODE_SERVER, [...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0 || !/successfully installed/i.test(out)) throw new SetupError(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${out}`);
      log(`installed ${path.basename(vsix)} in ${Date.now() - t0} ms`);
    }

    const port = await freePort();
    const serverLog = fs.createWriteStream(path.join(RESULTS, 'code-server.log'));
    const t0 = Date.now();
    const server = spawn(CODE_SERVER, [
      ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.pipe(serverLog, { end: false });
    server.stderr!.pipe(serverLog, { end: false });
    let exited: string | undefined;
    server.once('exit', (code, signal) => {
      exited = `code-server exited (${signal ?? code}); see ${path.relative(ROOT, path.join(RESULTS, 'code-server.log'))}`;
    });
    let browser: Browser | undefined;
    try {
      await poll('code-server to answer /healthz', async () => {
        if (exited) throw new SetupError(exited);
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return res?.ok;
      }, 60_000, 100);
      log(`code-server ready on port ${port} in ${Date.now() - t0} ms`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      // Reading the editor's whole text goes through the clipboard (Ctrl+A, Ctrl+C).
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` });
      return new E2E(tmp, port, server, browser, context, log, serverLog);
    } catch (e) {
      await browser?.close().catch(() => {});
      await stopProcessGroup(server);
      serverLog.end();
      throw e;
    }
  }

  /** Copies a workspace folder into the temporary folder (so tests may change it freely). */
  copyWorkspace(from: string, name = path.basename(from)): string {
    const to = path.join(this.tmp, 'workspaces', name);
    copyDir(from, to);
    return to;
  }

  /** Opens a VS Code window on `folder` and waits for the workbench and the explorer. */
  async open(folder: string): Promise<Window> {
    const page = await this.context.newPage();
    const win = new Window(this, page, folder);
    this.windows.push(win);
    page.on('pageerror', (e) => this.log(`page error: ${e.message}`));
    await page.goto(`${this.url}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return win;
  }

  /** The processes code-server started (extension hosts, language servers, watchers). */
  children(): Proc[] {
    return this.server.pid ? descendants(this.server.pid) : [];
  }

  /** The language servers running (by their bundle, dist/server/main.js). */
  languageServers(): Proc[] {
    return this.children().filter((p) => /dist\/server\/main\.js/.test(p.args));
  }

  /**
   * The "SmartPlug" output channel's log file as VS Code writes it (every line, with its level;
   * the Output panel shows only what fits on the screen). The newest, when several windows wrote one.
   */
  smartplugLog(): string {
    const found: { file: string; mtime: number }[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/SmartPlug\.log$/.test(e.name)) found.push({ file: p, mtime: fs.statSync(p).mtimeMs });
      }
    };
    walk(path.join(this.tmp, 'user-data', 'logs'));
    found.sort((a, b) => b.mtime - a.mtime);
    if (!found[0]) throw new Error('no SmartPlug.log under the user data logs');
    return fs.readFileSync(found[0].file, 'utf8');
  }

  /** Closes the browser, ends code-server's process group and waits for its children. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.browser.close().catch((e) => this.log(`closing the browser: ${e.message}`));
    await stopProcessGroup(this.server);
    this.serverLog.end();
    // VS Code's logs (the extension host's, the SmartPlug output channel's) are test artifacts too.
    try {
      fs.cpSync(path.join(this.tmp, 'user-data', 'logs'), path.join(RESULTS, 'logs'), { recursive: true });
    } catch { /* no logs */ }
    if (!process.env.SMARTPLUG_E2E_KEEP) fs.rmSync(this.tmp, { recursive: true, force: true, maxRetries: 3 });
    else this.log(`kept ${this.tmp}`);
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group we started (code-server was spawned detached: it leads its own group); SIGKILL after 10 s. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  const stragglers = () => descendants(pid).filter((p) => p.pgid !== pid); // children that left the group
  const outside = stragglers();
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (const p of outside) try {
    process.kill(p.pid, 'SIGTERM');
  } catch { /* gone */ }
  const end = Date.now() + 10_000;
  while (groupAlive(pid) && Date.now() < end) await sleep(100);
  if (groupAlive(pid)) try {
    process.kill(-pid, 'SIGKILL');
  } catch { /* gone */ }
  for (const p of outside) try {
    process.kill(p.pid, 'SIGKILL');
  } catch { /* gone */ }
  if (child.exitCode === null && child.signalCode === null) await Promise.race([once(child, 'exit'), sleep(2000)]);
}

export interface Suggestion {
  label: string;
  /** The completion item kind as VS Code draws it: reference, value, text, snippet, … */
  kind: string;
  description: string;
  detail: string;
}

export interface Problem {
  severity: string;
  message: string;
  line: number;
  column: number;
  source: string;
  label: string;
}

/** One VS Code window (a browser page on a workspace folder), with what a user does in it. */
export class Window {
  constructor(
    readonly e2e: E2E,
    readonly page: Page,
    readonly folder: string,
  ) {}

  private static shots = 0;

  /** Saves a screenshot as test-results/e2e/NN-NAME.png (a test artifact; NN orders them as taken). */
  async screenshot(name: string): Promise<string> {
    const file = path.join(RESULTS, `${String(++Window.shots).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Waits for a selector (or a locator) to be visible, or for it to contain a text. */
  async waitFor(target: string | Locator, text?: string | RegExp, timeout = TIMEOUT): Promise<Locator> {
    let loc = typeof target === 'string' ? this.page.locator(target) : target;
    if (text !== undefined) loc = loc.filter({ hasText: text });
    await loc.first().waitFor({ state: 'visible', timeout });
    return loc.first();
  }

  /** Waits until a selector has no visible element. */
  async waitForGone(target: string | Locator, timeout = TIMEOUT): Promise<void> {
    const loc = typeof target === 'string' ? this.page.locator(target) : target;
    await poll(`${target} to disappear`, async () => (await loc.count()) === 0 || !(await loc.first().isVisible()), timeout);
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** A view of the side bar, by the name in its header ("Things", "App Store"). */
  pane(name: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${name}`) }) });
  }

  /**
   * A real mouse drag: press on one element, move over the other in steps (VS Code's trees use
   * HTML5 drag and drop, which needs the moves), release. Resolves with the time of the release.
   */
  async drag(from: Locator, to: Locator): Promise<number> {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await this.page.mouse.move(a.x + 40, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(a.x + 50, a.y + a.height / 2 + 4, { steps: 4 });
    await this.page.mouse.move(b.x + 50, b.y + b.height / 2, { steps: 20 });
    await new Promise((r) => setTimeout(r, 250));
    const released = Date.now();
    await this.page.mouse.up();
    return released;
  }

  /** The rows of the open quick input (command palette, quick open, quick pick). */
  quickInputRows(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  /** Types into the open quick input, replacing its value. */
  async quickInputType(text: string, timeout = TIMEOUT): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill(text, { timeout });
  }

  /**
   * Types into a quick input whose own code may set its value a moment later (the simple file
   * dialog writes its start folder once the folder is read): types again until the value is the
   * text and stays so.
   */
  async quickInputSet(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      await this.quickInputType(text);
      await new Promise((r) => setTimeout(r, 400));
      if ((await input.inputValue()) === text) return;
      if (Date.now() > deadline) throw new Error(`the quick input did not keep ${JSON.stringify(text)}; it shows ${JSON.stringify(await input.inputValue())}`);
    }
  }

  /** Closes whatever widget is open (quick input, suggest, peek) with Escape. */
  async escape(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press('Escape');
  }

  /**
   * Ctrl+P and a relative path ("typo-light/app.json"), Enter; waits for the editor to show the
   * file (its tab, and its folder in the breadcrumbs).
   */
  /**
   * Opens `relPath` with Quick Open. A click on its row that opened nothing (seen once in CI: the
   * pick closed, the editor before stayed active) is made again with a new Quick Open; opening a
   * file twice only shows it again, so a repeat never does harm.
   */
  async quickOpen(relPath: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.quickOpenOnce(relPath);
      try {
        await this.waitForActiveEditor(relPath, attempt < 3 ? 10_000 : TIMEOUT);
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  private async quickOpenOnce(relPath: string): Promise<void> {
    const base = path.posix.basename(relPath);
    const dir = path.posix.dirname(relPath);
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+P');
    await this.quickInputType(relPath);
    // The row for this file: its label is the name, its description the folder it is in. The list
    // is redrawn as results come in (recently opened, then file results): find it again and retry
    // when a row goes away under the click.
    await poll(`Quick Open to list ${relPath} and take the click`, async () => {
      const rows = await this.quickInputRows().evaluateAll((rs) => rs.map((r) => ({
        name: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
        index: r.getAttribute('data-index'),
        label: r.getAttribute('aria-label') ?? '',
      })));
      const hit = rows.find((r) => r.name === base && (dir === '.' || r.description === dir || r.description.endsWith(`/${dir}`) || r.description.endsWith(dir)));
      if (!hit) return false;
      await sleep(100);
      // Both the place and the label: a row redrawn with another file there is not clicked.
      await this.page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[data-index="${hit.index}"][aria-label=${JSON.stringify(hit.label)}]`).click({ timeout: 2000 });
      return true;
    });
  }

  /** Waits until the active editor shows `relPath` (tab name and breadcrumbs) and its text is rendered. */
  async waitForActiveEditor(relPath: string, timeout = TIMEOUT): Promise<void> {
    const parts = relPath.split('/');
    await poll(`the active editor to show ${relPath}`, async () => {
      const tab = (await this.page.locator('.editor-group-container.active .tabs-container .tab.active .label-name').allInnerTexts()).map((s) => s.trim());
      if (tab[0] !== parts[parts.length - 1]) return false;
      const crumbs = (await this.page.locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item').allInnerTexts()).map((s) => s.trim());
      // The breadcrumbs start with the path from the workspace folder: folder/…/file, then symbols.
      const i = crumbs.indexOf(parts[parts.length - 1]);
      return i >= parts.length - 1 && parts.every((p, j) => crumbs[i - (parts.length - 1) + j] === p);
    }, timeout);
    await this.waitFor('.editor-group-container.active .editor-instance .view-lines .view-line', undefined, timeout);
  }

  /** Puts the keyboard focus in the active editor (or the editor area when none is open). */
  async focusEditorArea(): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor textarea');
    if ((await editor.count()) > 0 && (await editor.first().isVisible())) await editor.first().focus();
  }

  /**
   * F1, the command's title, Enter: runs the command as a user does. Waits for the palette to
   * focus a row with exactly that title first (so Enter never runs a near miss). The palette lists
   * the commands there were when it opened: a command that is not there yet (its extension is
   * still starting) is looked for again in a new palette, until `timeout`.
   */
  /** Runs a command from the palette; resolves with the time (epoch ms) Enter was pressed on it. */
  async runCommand(title: string, timeout = TIMEOUT): Promise<number> {
    const end = Date.now() + timeout;
    const focusedIsTitle = async () => {
      const labels = await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name').allInnerTexts();
      return labels.some((l) => l.replace(/\s+/g, ' ').trim() === title);
    };
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      // Something else taking the focus (a debug session starting, a view opening) closes the
      // palette under the typing: open it again rather than wait on a hidden input.
      const typed = await this.quickInputType(`>${title}`, 5000).then(() => true, () => false);
      if (!typed && Date.now() < end) {
        await sleep(300);
        continue;
      }
      const found = typed && await poll(`"${title}"`, focusedIsTitle, Math.min(3000, Math.max(500, end - Date.now()))).catch(() => false);
      if (found) break;
      if (Date.now() > end) {
        const rows = await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rs) => rs.map((r) => `${r.classList.contains('focused') ? '>' : ' '}${r.getAttribute('aria-label')}`));
        await this.screenshot(`command-not-found-${title}`).catch(() => {});
        await this.escape();
        throw new Error(`the command palette did not list "${title}" within ${timeout} ms (${attempt} attempts); it lists: ${JSON.stringify(rows)}`);
      }
      await this.escape();
      await sleep(500);
    }
    const pressed = Date.now();
    await this.page.keyboard.press('Enter');
    // The palette closes (or shows the command's own quick input, whose value is not ours).
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await poll('the command palette to close', async () => !(await input.isVisible()) || (await input.inputValue()) !== `>${title}`, 10_000).catch(() => {});
    return pressed;
  }

  /** Whether the command palette lists a command with exactly this title (closes the palette again). */
  async hasCommand(title: string): Promise<boolean> {
    await this.page.keyboard.press('F1');
    await this.quickInputType(`>${title}`);
    await sleep(1000);
    const labels = await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts();
    await this.escape();
    return labels.some((l) => l.replace(/\s+/g, ' ').trim() === title);
  }

  /** Opens the Problems panel and returns its problems (every marker row, all files). */
  async problems(): Promise<Problem[]> {
    await this.showProblems();
    return this.readProblems();
  }

  async showProblems(): Promise<void> {
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) {
      await this.runCommand('Problems: Focus on Problems View');
      await this.waitFor('.markers-panel');
    }
  }

  /** The marker rows of the visible Problems panel, parsed from their aria-labels. */
  async readProblems(): Promise<Problem[]> {
    const labels = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    const out: Problem[] = [];
    for (const label of labels) {
      const m = /^(Error|Warning|Info)[^:]*: ([\s\S]*) at line (\d+) and character (\d+)\.\s*(?:generated by (.*))?$/.exec(label);
      if (m) out.push({ severity: m[1], message: m[2], line: +m[3], column: +m[4], source: m[5] ?? '', label });
    }
    return out;
  }

  /** The rows of the visible Problems panel as drawn: message, then source and code (`smartplug input-type-unknown`), then place. */
  async problemRowTexts(): Promise<string[]> {
    return (await this.page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Waits until the Problems panel has a problem matching `pred` (or, with `absent`, none). */
  async waitForProblem(pred: (p: Problem) => boolean, what: string, absent = false, timeout = TIMEOUT): Promise<Problem[]> {
    await this.showProblems();
    return poll(`${absent ? 'no ' : ''}problem ${what}`, async () => {
      const ps = await this.readProblems();
      const hit = ps.some(pred);
      return (absent ? !hit : hit) ? ps : undefined;
    }, timeout);
  }

  /** The lines the active editor renders (visible lines only), in order, with plain spaces. */
  async visibleLines(): Promise<string[]> {
    return this.page.locator('.editor-group-container.active .editor-instance .view-lines').first().evaluate((el) => {
      const lines = Array.from(el.querySelectorAll<HTMLElement>(':scope > .view-line'));
      lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '));
    });
  }

  /** Waits until a visible line of the active editor matches (plain spaces, not the editor's no-break spaces). */
  async waitForLine(re: RegExp, timeout = TIMEOUT): Promise<string> {
    return poll(`a line matching ${re}`, async () => (await this.visibleLines()).find((l) => re.test(l)), timeout);
  }

  /** How many squiggles of a kind ('error', 'warning', 'info') the active editor draws. */
  async squiggles(kind: 'error' | 'warning' | 'info' = 'error'): Promise<number> {
    return this.page.locator(`.editor-group-container.active .monaco-editor .squiggly-${kind}`).count();
  }

  /** The whole text of the active editor (Ctrl+A, Ctrl+C, read the clipboard; the cursor goes back to the start). */
  async editorText(): Promise<string> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Control+C');
    await this.page.keyboard.press('Control+Home');
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** Moves the cursor to line:column (1-based) with Go to Line (Ctrl+G). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+G');
    await this.quickInputType(`:${line}:${column}`);
    await sleep(150);
    await this.page.keyboard.press('Enter');
    await this.waitForGone('.quick-input-widget .quick-input-box input:visible', 5000).catch(() => {});
  }

  /** Types text at line:column (1-based). */
  async typeAt(line: number, column: number, text: string): Promise<void> {
    await this.goTo(line, column);
    await this.page.keyboard.type(text, { delay: 20 });
  }

  /** Selects `length` characters from line:column (1-based). */
  async select(line: number, column: number, length: number): Promise<void> {
    await this.goTo(line, column);
    for (let i = 0; i < length; i++) await this.page.keyboard.press('Shift+ArrowRight');
  }

  /** The 1-based line and column of the first occurrence of `needle` in `text`. */
  static position(text: string, needle: string, nth = 0): { line: number; column: number } {
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`"${needle}" (#${nth}) is not in the text`);
    }
    const before = text.slice(0, at).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  }

  /**
   * Picks an entry of the code action menu (Ctrl+. or the light bulb) by its title, with the
   * keyboard (the menu blocks pointer events around it): arrows to it, Enter.
   */
  async pickCodeAction(title: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ timeout: TIMEOUT });
    const titles = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label')));
    if (!titles.includes(title)) throw new Error(`no code action "${title}" among ${JSON.stringify(titles)}`);
    for (let i = 0; i <= titles.length; i++) {
      const focused = await this.page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label').catch(() => null);
      if (focused === title) {
        await this.page.keyboard.press('Enter');
        await this.waitForGone('.action-widget .monaco-list-row.action', 10_000);
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not move to the code action "${title}"`);
  }

  /**
   * The rows of the suggest widget (completion list): label, the item kind's icon
   * (`symbol-reference`, `symbol-text` for word-based guesses, …), its description and detail.
   */
  async suggestions(): Promise<Suggestion[]> {
    const widget = this.page.locator('.editor-widget.suggest-widget');
    await widget.locator('.monaco-list-row').first().waitFor({ timeout: TIMEOUT });
    await sleep(300); // the list is filled in one go, but give slow machines a frame or two
    return widget.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => ({
      label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
      kind: /codicon-symbol-(\w+)/.exec(r.querySelector('.suggest-icon')?.className ?? '')?.[1] ?? '',
      description: r.querySelector('.details-label')?.textContent?.trim() ?? '',
      detail: r.querySelector('.qualifier-label')?.textContent?.trim() ?? '',
    })));
  }

  /**
   * The text of the hover at line:column (1-based), shown with "Show or Focus Hover" (Ctrl+K Ctrl+I)
   * as a keyboard user does; every provider's part is in it, in order.
   */
  async hoverText(line: number, column: number): Promise<string> {
    await this.goTo(line, column);
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
    await hover.first().waitFor({ timeout: TIMEOUT });
    await sleep(500); // every provider's part is in once the slowest answered
    return (await hover.first().innerText()).replace(/\u00a0/g, ' ');
  }

  /** Accepts the suggestion with this label: arrows to it, Enter. */
  async pickSuggestion(label: string): Promise<void> {
    const rows = await this.suggestions();
    const i = rows.findIndex((r) => r.label === label);
    if (i < 0) throw new Error(`no suggestion "${label}" among ${JSON.stringify(rows.map((r) => r.label))}`);
    for (let n = 0; n <= rows.length; n++) {
      const focused = await this.page.locator('.editor-widget.suggest-widget .monaco-list-row.focused .label-name').innerText().catch(() => '');
      if (focused.trim() === label) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not move to the suggestion "${label}"`);
  }

  /** Saves the active editor (Ctrl+S) and waits for its tab to lose the dirty mark. */
  async save(): Promise<void> {
    await this.focusEditorArea();
    await this.page.keyboard.press('Control+S');
    await this.waitForGone('.tabs-container .tab.active.dirty', 10_000).catch(() => {});
  }

  /** The notification toasts' messages. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** The text of an output channel (View: the Output panel, channel chosen in its drop-down). */
  async outputText(): Promise<string> {
    const lines = await this.page.locator('.panel .output-view .view-lines').first().evaluate((el) => {
      const ls = Array.from(el.querySelectorAll<HTMLElement>(':scope > .view-line'));
      ls.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return ls.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '));
    });
    return lines.join('\n');
  }

  /** The tabs of the editor area (their names). */
  async tabs(): Promise<string[]> {
    return this.page.locator('.tabs-container .tab .label-name').allInnerTexts();
  }

  /** Reverts and closes every editor (a test's edits never leak into the next test). */
  async revertAndCloseAll(): Promise<void> {
    await this.escape(2);
    for (let i = 0; i < 20 && (await this.page.locator('.tabs-container .tab').count()) > 0; i++) {
      await this.runCommand('View: Revert and Close Editor');
      await sleep(150);
    }
  }

  async close(): Promise<void> {
    await this.page.close();
    const i = this.e2e.windows.indexOf(this);
    if (i >= 0) this.e2e.windows.splice(i, 1);
  }
}
