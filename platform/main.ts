/** The bundle entry of the platform's commands (dist/platform/cli.js); bin/smartplug.js chooses it for up, platform, fleet and deploy. */
import { platformMain } from './cli';

const [command, ...rest] = process.argv.slice(2);
platformMain(command, rest, (line) => process.stdout.write(line + '\n'), (line) => process.stderr.write(line + '\n')).then(
  (code) => {
    process.exitCode = code;
    // Open handles (an MQTT reconnect timer, a pooled HTTP connection) must not keep a finished command alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`smartplug ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
