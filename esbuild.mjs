// Bundles every entry point into dist/: one self-contained file each, so the .vsix and the worker
// (which may read only its own file under Node's permission model) need no node_modules.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** [entry source, output path without .js]; entries whose source does not exist yet are skipped. */
const entries = [
  ['runtime/cli.ts', 'runtime/cli'],
  ['platform/main.ts', 'platform/cli'],
  ['runtime/worker/worker-main.ts', 'runtime/worker'],
  ['runtime/worker/engine-thread.ts', 'runtime/engine-thread'],
  ['server/main.ts', 'server/main'],
  ['client/extension.ts', 'client/extension'],
  ['debugger/adapter-main.ts', 'debugger/adapter'],
  ['bench/bench.ts', 'bench/bench'],
  ['bench/language-main.ts', 'bench/language'],
].filter(([src]) => existsSync(src));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/**
 * Writes dist/OUT.inputs.json beside each bundle: the files it was built from. Tests that run dist/
 * check that no one of them is newer than the bundle (test/support/fresh-dist.ts).
 */
const inputsList = (out) => ({
  name: 'inputs-list',
  setup(build) {
    build.onEnd((result) => {
      if (!result.metafile) return;
      const file = `dist/${out}.inputs.json`;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(Object.keys(result.metafile.inputs)));
    });
  },
});

// One build per entry point: a broken entry fails the build but does not stop the others being written.
const options = entries.map(([src, out]) => ({ ...common, entryPoints: [src], outfile: `dist/${out}.js`, metafile: true, plugins: [inputsList(out)] }));

/**
 * The configuration guide's page runs in a webview: a browser bundle of its own, always minified
 * (its size is a benchmark row), with its stylesheet and VS Code's codicons beside it.
 */
const guidePage = {
  ...common,
  entryPoints: ['guide/page/main.tsx'],
  outfile: 'dist/guide/page.js',
  platform: 'browser',
  target: ['chrome114'],
  format: 'iife',
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  mainFields: ['browser', 'module', 'main'],
  metafile: true,
  plugins: [inputsList('guide/page')],
};
options.push(guidePage);

/**
 * The page's styles and icons: guide.css, and of codicon.css only the font, the base rule and the
 * icons the page uses (guide/page/codicons.json; the page tests check each one draws), so the
 * page can carry them inline. The font's URL is left as CODICON_FONT_URL for whoever serves it.
 */
function copyGuideAssets() {
  mkdirSync('dist/guide', { recursive: true });
  copyFileSync('guide/page/guide.css', 'dist/guide/guide.css');
  copyFileSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/guide/codicon.ttf');
  const css = readFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'utf8');
  const fontFace = /@font-face\s*{[^}]*}/.exec(css)?.[0];
  const base = /\.codicon\[class\*='codicon-'\]\s*{[^}]*}/.exec(css)?.[0];
  if (!fontFace || !base) throw new Error('@vscode/codicons: codicon.css no longer has its @font-face and base rule where esbuild.mjs looks');
  const icons = JSON.parse(readFileSync('guide/page/codicons.json', 'utf8')).map((name) => {
    const rule = new RegExp(`\\.codicon-${name}:before\\s*{[^}]*}`).exec(css)?.[0];
    if (!rule) throw new Error(`@vscode/codicons has no icon "${name}" (guide/page/codicons.json)`);
    return rule;
  });
  writeFileSync('dist/guide/codicons.css', [fontFace.replace(/url\("\.\/codicon\.ttf[^"]*"\)/, 'url("CODICON_FONT_URL")'), base, ...icons].join('\n') + '\n');
}

if (watch) {
  copyGuideAssets();
  for (const o of options) await (await esbuild.context(o)).watch();
} else {
  const results = await Promise.allSettled(options.map((o) => esbuild.build(o)));
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed) {
    console.error(`esbuild: ${failed} of ${options.length} entry points failed`);
    process.exitCode = 1;
  }
  copySqliteWasm();
  copyGuideAssets();
}

/**
 * node-sqlite3-wasm (the platform's embedded store) loads its WebAssembly from the folder of the
 * script that contains it: each bundle that contains it gets the .wasm beside it.
 */
function copySqliteWasm() {
  const wasm = 'node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm';
  for (const o of options) {
    if (existsSync(o.outfile) && readFileSync(o.outfile, 'utf8').includes('node-sqlite3-wasm.wasm')) {
      copyFileSync(wasm, path.join(path.dirname(o.outfile), 'node-sqlite3-wasm.wasm'));
    }
  }
}
