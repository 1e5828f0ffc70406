/** The language-server part of `npm run bench`, run by bench.ts in a process with the server's flags. */
import { languageBench } from './language-bench';
import type { Row } from './table';

void (async () => {
  const rows: Row[] = [];
  await languageBench(rows);
  process.stdout.write(JSON.stringify(rows));
})();
