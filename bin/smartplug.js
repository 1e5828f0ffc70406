#!/usr/bin/env node
// The `smartplug` command: the bundled CLI (run `npm run build` first in a checkout).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'runtime', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`smartplug: ${cli} does not exist; run "npm run build" in ${path.join(__dirname, '..')} first\n`);
  process.exit(2);
}
require(cli);
