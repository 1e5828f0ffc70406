/**
 * `npm run bench`: every figure the issues name, printed as one table with its target.
 * Exit status 1 when a target is missed.
 */
import { cpus } from 'node:os';
import { languageBench } from './language-bench';
import { runtimeBench } from './runtime-bench';
import { printTable, type Row } from './table';

async function main(): Promise<void> {
  process.stdout.write(`SmartPlug benchmarks — node ${process.version}, ${cpus().length} cores\n\n`);
  const rows: Row[] = [];
  await runtimeBench(rows);
  await languageBench(rows);
  printTable(rows, (s) => process.stdout.write(s));
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

void main();
