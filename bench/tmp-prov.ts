import { provisionBench } from './platform-bench';
import { printTable, type Row } from './table';
const rows: Row[] = [];
provisionBench(rows, 1000, 'dynsec').then(() => printTable(rows, (s) => process.stdout.write(s)));
