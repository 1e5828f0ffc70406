/**
 * The configuration guide's page on its own, in Debian's chromium driven by playwright-core: the
 * built bundle (dist/guide/page.js) and its HTML (guide/page-html.ts, with its Content Security
 * Policy) served over real HTTP, and `acquireVsCodeApi` standing in for the webview host. The test
 * plays the extension: it sends the page messages and reads what the page posts back.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { ExtensionMessage, PageMessage } from '../../guide/messages';
import { guidePageHtml } from '../../guide/page-html';
import { staleBundle } from './fresh-dist';
import { guidePageAssets } from '../../client/guide/page-assets';

const ROOT = path.resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.SMARTPLUG_E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Some of VS Code's theme variables, with the values of its Dark Modern and Light Modern themes. */
export type Theme = 'dark' | 'light' | 'high-contrast';

const THEMES: Record<Theme, { body: string; vars: Record<string, string> }> = {
  'high-contrast': {
    body: 'vscode-high-contrast',
    vars: {
      foreground: '#ffffff', 'editor-background': '#000000', descriptionForeground: '#ffffffb3', errorForeground: '#f48771', focusBorder: '#f38518', contrastBorder: '#6fc3df',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'checkbox-background': '#000000', 'panel-border': '#6fc3df', 'textCodeBlock-background': '#000000', 'editorWarning-foreground': '#ffd370', 'inputValidation-errorBorder': '#f48771',
      'inputValidation-warningBorder': '#ffd370', 'inputValidation-warningBackground': '#000000', 'editorWidget-background': '#0c141f', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    },
  },
  dark: {
    body: 'vscode-dark',
    vars: {
      foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', errorForeground: '#f85149', focusBorder: '#0078d4',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-border': '#ffffff12',
      'checkbox-background': '#313131', 'panel-border': '#2b2b2b', 'textCodeBlock-background': '#2b2b2b', 'editorWarning-foreground': '#cca700', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-warningBorder': '#b89500', 'inputValidation-warningBackground': '#352a05', 'editorWidget-background': '#202020', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    },
  },
  light: {
    body: 'vscode-light',
    vars: {
      foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#3b3b3b', errorForeground: '#f85149', focusBorder: '#005fb8',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-border': '#0000001a',
      'checkbox-background': '#f8f8f8', 'panel-border': '#e5e5e5', 'textCodeBlock-background': '#f8f8f8', 'editorWarning-foreground': '#bf8803', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-warningBorder': '#bf8803', 'inputValidation-warningBackground': '#f6eeda', 'editorWidget-background': '#f8f8f8', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
    },
  },
};

const themeCss = (theme: Theme) => `:root {\n${Object.entries(THEMES[theme].vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;

/** Runs in the page before its script: the webview host's API, recording what the page posts. */
const HOST_SHIM = `
  window.__posted = [];
  window.__violations = [];
  // What the page saved survives a reload only when the test asks for it (?keep).
  let saved = new URLSearchParams(location.search).has('keep') ? JSON.parse(sessionStorage.getItem('guide-state') || 'null') || undefined : undefined;
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => saved,
    setState: (s) => { saved = s; sessionStorage.setItem('guide-state', JSON.stringify(s)); },
  });
`;

export interface GuidePage {
  page: Page;
  origin: string;
  /**
   * Loads (or reloads) the page; with `theme`, VS Code's variables of that theme apply; with
   * `keepState`, the page gets back what it saved, as a webview shown again does.
   */
  open(options?: { theme?: Theme; keepState?: boolean; initial?: ExtensionMessage[] }): Promise<void>;
  /** Sends a message as the extension does, and waits for the page to have drawn it. */
  send(msg: ExtensionMessage): Promise<void>;
  posted(): Promise<PageMessage[]>;
  /** Content Security Policy violations the page reported. */
  violations(): Promise<string[]>;
  /** Errors the page's script threw. */
  errors: string[];
  close(): Promise<void>;
}

let browser: Browser | undefined;

export async function openGuidePage(): Promise<GuidePage> {
  const stale = staleBundle('guide/page');
  if (stale) throw new Error(stale);
  if (!existsSync(CHROMIUM)) throw new Error(`chromium is not installed: ${CHROMIUM} is missing. Run \`.ci/setup-e2e.sh\` (as root) or set SMARTPLUG_E2E_CHROMIUM.`);
  const served: { initial?: ExtensionMessage[] } = {};
  const server = await serve(served);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  await context.addInitScript({ content: HOST_SHIM });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const rendered = () => page.evaluate('Number(document.getElementById("guide-root").dataset.rendered || 0)') as Promise<number>;
  /**
   * Polls an expression from here: playwright's waitForFunction evaluates its predicate with eval
   * inside the page, which the page's policy (rightly) refuses.
   */
  const until = async (expression: string, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!(await page.evaluate(expression))) {
      if (Date.now() > deadline) throw new Error(`the page never got to: ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return {
    page,
    origin,
    errors,
    async open({ theme, keepState, initial } = {}) {
      served.initial = initial;
      const query = new URLSearchParams({ ...(theme ? { theme } : {}), ...(keepState ? { keep: '1' } : {}) }).toString();
      await page.goto(`${origin}/${query ? `?${query}` : ''}`);
      await until('window.__posted.some((m) => m.type === "ready")', 'posting "ready"');
    },
    async send(msg) {
      const before = await rendered();
      await page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
      await until(`Number(document.getElementById("guide-root").dataset.rendered || 0) > ${before}`, `drawing ${msg.type}`);
    },
    posted: () => page.evaluate('window.__posted') as Promise<PageMessage[]>,
    violations: () => page.evaluate('window.__violations') as Promise<string[]>,
    async close() {
      await context.close();
      await new Promise((r) => server.close(r));
    },
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}

/** The page's HTML with a fresh nonce, its bundle, styles and codicons, and the test themes. */
function serve(served: { initial?: ExtensionMessage[] }): Promise<Server> {
  const files: Record<string, [string, string]> = { '/codicon.ttf': [path.join(ROOT, 'dist/guide/codicon.ttf'), 'font/ttf'] };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = `http://${req.headers.host}`;
    if (url.pathname === '/') {
      const theme = url.searchParams.get('theme') as Theme | null;
      const assets = guidePageAssets(path.join(ROOT, 'dist', 'guide'), `${origin}/codicon.ttf`);
      const nonce = randomBytes(16).toString('base64');
      let html = guidePageHtml({ resourceOrigin: origin, nonce, ...assets, title: 'Configuration guide', ...(served.initial ? { initial: served.initial } : {}) });
      // VS Code sets its theme's variables on the page, and a class on the body.
      if (theme) html = html.replace('</head>', `<style nonce="${nonce}">${themeCss(theme)}</style>\n</head>`).replace('<body>', `<body class="${THEMES[theme].body}">`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    // Chromium asks for one whatever the page says; a webview never does.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const file = files[url.pathname];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
