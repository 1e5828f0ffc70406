/**
 * The platform commands' help text, apart from the commands themselves: the runtime's CLI shows it
 * in `smartplug help` without loading the platform's bundle.
 */
import { PLATFORM_USER } from './broker/access';

export const SHELL_USAGE = `  shell THING [EXPRESSION] [--app INSTALLATION_ID] [--apps] [--logs [--lines N] [--follow]]
        [--restart] [--dir .smartplug] [--broker URL] [--broker-ca FILE]
      The Thing's JS Shell. EXPRESSION is evaluated in the app of installation --app (its settings,
      state and functions), or else in the Thing's read-only shell context (devices, location);
      what it logs is printed, then its value. --apps lists the apps, --logs prints the last log
      lines (--follow: then new ones until Ctrl-C), --restart restarts the apps (state kept).
      With none of them, reads expressions line by line (.app ID, .shell, .apps, .logs, .restart,
      .exit). The broker, token and the Thing's shell credential come from --dir (smartplug up),
      or from --broker, SMARTPLUG_TOKEN and SMARTPLUG_SHELL_CREDENTIAL.`;

export const PLATFORM_USAGE = `platform commands:
  up [--dir .smartplug] [--things N] [--port P] [--broker-port P]
      The embedded default: an MQTT broker on loopback, the platform on an embedded store in
      --dir, and N simulated Things (default 3). The first start deploys the example app and
      provisions it. Prints the addresses and "ready"; Ctrl-C stops it.
  platform --broker URL --store URL|DIR --port P [--public-url URL] [--shared-group G]
           [--broker-accounts mosquitto-dynsec] [--broker-ca FILE]
      The platform service. Needs SMARTPLUG_ADMIN_TOKEN (the bootstrap API token) and
      SMARTPLUG_BROKER_PASSWORD (its broker account "${PLATFORM_USER}") in the environment.
      --broker-accounts mosquitto-dynsec: each Thing gets its own account and ACLs in mosquitto's
      dynamic security plugin; with SMARTPLUG_BROKER_ADMIN_USER and SMARTPLUG_BROKER_ADMIN_PASSWORD
      (the plugin's admin) set, it first makes the platform's own account and roles.
      --broker-ca: the CA certificate (PEM) of an mqtts:// broker.
  fleet --broker URL --platform URL --things N [--template T] [--type MODEL] [--prefix P]
        [--credentials FILE] [--broker-ca FILE] [--things-per-worker K]
      N simulated Things sharing a few worker processes (K Things each, default 100; each idle
      worker costs about 2 % of a core). Needs SMARTPLUG_TOKEN (provision scope).
  deploy APPDIR [--platform URL] [--dir .smartplug] [--as-new-app]
      Checks and bundles the app folder and deploys it to the App Store. The platform and token
      come from --platform and SMARTPLUG_TOKEN, or from the local environment in --dir. A deployed
      app cannot be renamed: --as-new-app deploys a renamed folder as a new app.
  load THING FILE [--device PROTOCOL/HANDLE] [--yes] [--wait SECONDS] [--platform URL] [--dir .smartplug]
      Sends the load action of FILE (a *.load.json: its args, or a whole do envelope; seed 002) to
      the Thing, or to one of its devices, through the platform. The file is checked first; the
      platform shows the image's manifest and asks to proceed (--yes: do not ask). Prints the
      completion object's outcome (the stage that failed, if one did); waits up to --wait seconds
      (default 120) for it. Exit code 0 only when the load completed without error.
  record THING [--minutes 5] [--app DIR | --installation ID] [--out FILE] [--dir .smartplug]
      Records what one app of the Thing really sees (device reports, other apps' effects, commands
      from outside, mode changes, calls of its endpoints) and does (its commands and notifications)
      and writes it as a scenario file that "smartplug test" replays on a virtual clock. --app DIR:
      the app whose name is DIR's; the scenario goes into DIR/tests/ and replays against DIR.
      Without it, the version the Thing runs is downloaded beside the scenario. Ctrl-C ends the
      recording early and keeps what it has. The broker, token and shell credential come as for
      shell.
${SHELL_USAGE}`;
