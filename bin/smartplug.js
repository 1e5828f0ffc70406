#!/usr/bin/env node
// The `smartplug` command: the bundled CLI (run `npm run build` first in a checkout).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
// The platform's commands live in their own bundle, so run/test/validate do not load a broker and a database.
const PLATFORM_COMMANDS = ['up', 'platform', 'fleet', 'deploy', 'load', 'record', 'shell'];
const cli = path.join(__dirname, '..', 'dist', PLATFORM_COMMANDS.includes(process.argv[2]) ? 'platform' : 'runtime', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(`smartplug: ${cli} does not exist; run "npm run build" in ${path.join(__dirname, '..')} first\n`);
  process.exit(2);
}
require(cli);
