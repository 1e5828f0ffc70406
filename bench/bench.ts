/**
 * `npm run bench`: every figure the issues name, printed as one table with its target.
 * Exit status 1 when a target is missed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/node-flags';
import { debugBench } from './debug-bench';
import { fleetBench } from './fleet-bench';
import { loadBench } from './load-bench';
import { endpointBench } from './endpoint-bench';
import { recordBench } from './record-bench';
import { platformBench } from './platform-bench';
import { runawayBench } from './runaway-bench';
import { runtimeBench } from './runtime-bench';
import { shellBench } from './shell-bench';
import { storeBench } from './store-bench';
import { printTable, type Row } from './table';

async function main(): Promise<void> {
  process.stdout.write(`SmartPlug benchmarks — node ${process.version}, ${cpus().length} cores\n\n`);
  const rows: Row[] = [];
  await runtimeBench(rows);
  await runawayBench(rows);
  await fleetBench(rows);
  await storeBench(rows);
  await platformBench(rows);
  await shellBench(rows);
  await loadBench(rows);
  await endpointBench(rows);
  await recordBench(rows);
  await debugBench(rows);
  // The language server's figures are taken in a process configured as the server is.
  const out = execFileSync(process.execPath, [...SERVER_NODE_FLAGS, path.join(__dirname, 'language.js')], { encoding: 'utf8', maxBuffer: 1 << 24 });
  rows.push(...(JSON.parse(out) as Row[]));
  sizes(rows);
  process.stdout.write('(the figures measured in a real VS Code come from `npm run bench:editor`, which needs .ci/setup-e2e.sh)\n\n');
  printTable(rows, (s) => process.stdout.write(s));
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

/** What the extension weighs: the .vsix (built by `npm run package`, which this script runs first) and each bundle. */
function sizes(rows: Row[]): void {
  const root = path.resolve(__dirname, '..', '..');
  const kb = (file: string) => `${(statSync(file).size / 1024).toFixed(0)} KB`;
  const vsix = path.join(root, 'smartplug-apps-ide.vsix');
  if (existsSync(vsix)) rows.push({ figure: '.vsix size', value: kb(vsix), target: '< 3 MB', ok: statSync(vsix).size < 3 * 1024 * 1024 });
  const page = path.join(root, 'dist', 'guide', 'page.js');
  if (existsSync(page)) {
    // What the webview carries inline: the page's code, minified, and as compressed on the wire.
    const gz = gzipSync(readFileSync(page)).length;
    rows.push({ figure: 'bundle: configuration guide page (dist/guide/page.js)', value: `${kb(page)} (${(gz / 1024).toFixed(0)} KB gzipped)`, target: '' });
  }
  for (const [name, file] of [['client', 'client/extension.js'], ['language server', 'server/main.js'], ['runtime CLI', 'runtime/cli.js'], ['runtime worker (the warden)', 'runtime/worker.js'], ['runtime engine thread', 'runtime/engine-thread.js']]) {
    const full = path.join(root, 'dist', file);
    if (existsSync(full)) rows.push({ figure: `bundle: ${name} (dist/${file})`, value: kb(full), target: '' });
  }
}

void main();
