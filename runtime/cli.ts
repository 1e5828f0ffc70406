/**
 * `smartplug`: the headless command line. It only parses arguments and hands over to one command
 * module; the commands drive the runtime through SmartPlugRuntime like every other client.
 */
import { parseArgs } from 'node:util';
import { runCommand } from './cli/run-command';
import { terminalLines } from './cli/terminal-text';
import { testCommand } from './cli/test-command';
import { validateCommand } from './cli/validate-command';
import { PLATFORM_USAGE } from '../platform/usage';

const USAGE = `usage: smartplug <command> [options]

commands:
  run APPDIR [--config instance.json] [--devices devices.json] [--location location.json]
             [--virtual] [--start ISO-TIME] [--json] [--no-color] [--inline] [--no-rate-limit]
      Runs the app against simulated devices; prints events, commands and logs as they happen;
      reads injected events from standard input (type "help" there). Control characters in
      what the app says are printed as escapes (\\n, \\x1b, \\u202e), one record a line.
      --inline runs the app in this process, without the worker and without Node's permission
      model (full file, network and process access): for debugging the runtime only; it warns.
  test [FILE|DIR ...] [--format text|json] [--scenario NAME ...] [--allow-read DIR ...]
      Runs scenario tests (*.scenario.json; default: every one under the current folder), each
      on a fresh Thing in the runtime's worker processes, from a process under Node's permission
      model, always; --allow-read lets it read apps kept elsewhere.
  validate FILE|DIR ... [--format text|json]
      Checks app.json, manifest.json and *.load.json files (folders are searched) with the
      language server's rules; exit status 1 on any error.
  help, --help     this text
  version, --version

${PLATFORM_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => process.stdout.write(line + '\n');
  const err = (line: string) => process.stderr.write(line + '\n');
  switch (command) {
    case 'run': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          config: { type: 'string', short: 'c' },
          devices: { type: 'string', short: 'd' },
          location: { type: 'string' },
          virtual: { type: 'boolean', default: false },
          start: { type: 'string' },
          json: { type: 'boolean', default: false },
          'no-color': { type: 'boolean', default: false },
          inline: { type: 'boolean', default: false },
          'no-rate-limit': { type: 'boolean', default: false },
        },
      });
      if (positionals.length !== 1) {
        err('smartplug run: give exactly one app folder, e.g. smartplug run examples/door-light --config examples/door-light/instance.json --devices examples/door-light/devices.json');
        return 2;
      }
      return runCommand({
        appDir: positionals[0], config: values.config, devices: values.devices, location: values.location,
        virtual: values.virtual === true, start: values.start, json: values.json === true,
        color: values['no-color'] !== true && process.stdout.isTTY === true, inline: values.inline === true,
        rateLimit: values['no-rate-limit'] !== true, input: process.stdin, out, err,
      });
    }
    case 'test': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          format: { type: 'string', default: 'text' },
          'allow-read': { type: 'string', multiple: true, default: [] },
          scenario: { type: 'string', multiple: true, default: [] },
        },
      });
      if (values.format !== 'text' && values.format !== 'json') {
        err(`smartplug test: --format is text or json, not "${values.format}"`);
        return 2;
      }
      return testCommand({ paths: positionals, format: values.format, allowRead: values['allow-read'] ?? [], scenarios: values.scenario ?? [], out, err, color: process.stdout.isTTY === true });
    }
    case 'validate': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
      if (values.format !== 'text' && values.format !== 'json') {
        err(`smartplug validate: --format is text or json, not "${values.format}"`);
        return 2;
      }
      return validateCommand({ paths: positionals, format: values.format, out, err });
    }
    case 'version':
    case '--version':
      out(require('../package.json').version as string);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      err(`smartplug: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

// A reader that stops early (`smartplug test | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // The error may quote an app (a message it threw through the runtime): escaped, line by line.
    process.stderr.write(`smartplug: ${terminalLines(e instanceof Error ? (e.stack ?? e.message) : String(e)).join('\n')}\n`);
    process.exitCode = 1;
  },
);
