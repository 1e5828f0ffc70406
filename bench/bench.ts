/**
 * `npm run bench`: every figure the issues name, printed as one table with its target.
 * Exit status 1 when a target is missed.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../server/node-flags';
import { runtimeBench } from './runtime-bench';
import { printTable, type Row } from './table';

async function main(): Promise<void> {
  process.stdout.write(`SmartPlug benchmarks — node ${process.version}, ${cpus().length} cores\n\n`);
  const rows: Row[] = [];
  await runtimeBench(rows);
  // The language server's figures are taken in a process configured as the server is.
  const out = execFileSync(process.execPath, [...SERVER_NODE_FLAGS, path.join(__dirname, 'language.js')], { encoding: 'utf8', maxBuffer: 1 << 24 });
  rows.push(...(JSON.parse(out) as Row[]));
  printTable(rows, (s) => process.stdout.write(s));
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

void main();
