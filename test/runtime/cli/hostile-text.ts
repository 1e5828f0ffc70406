/**
 * What an app may print to attack the terminal it is shown on, for the output-escaping tests of
 * `smartplug run`, `smartplug test` and the reporters.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A line break and then a line that looks like the runtime's own. */
export const FORGED = 'ok\n12:00:00.000 runtime  ERROR fake';
export const FORGED_LINE = '12:00:00.000 runtime  ERROR fake';
/** Clear the screen, an OSC 8 hyperlink, a bell. */
export const ESCAPES = '\u001b[2J\u001b]8;;http://evil\u0007x';
/** A right-to-left override. */
export const BIDI = '\u202Eabc';
export const EVIL = [FORGED, ESCAPES, BIDI];

/** Any character a terminal could act on or that reorders a line; line breaks are checked apart. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The three, as the CLI shows them. */
export const FORGED_SHOWN = 'ok\\n12:00:00.000 runtime  ERROR fake';
export const ESCAPES_SHOWN = '\\x1b[2J\\x1b]8;;http://evil\\x07x';
export const BIDI_SHOWN = '\\u202eabc';

/**
 * An app (APP/app.json, app.js, devices.json) whose log lines, notifications and thrown error carry
 * the hostile texts, and APP/tests/hostile.scenario.json whose three scenarios fail on them.
 * Returns the scenario file's path.
 */
export function writeHostileScenarioApp(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'smartplug-hostile-')), 'app');
  mkdirSync(path.join(dir, 'tests'), { recursive: true });
  const appJson = {
    name: `Hostile ${EVIL.join(' ')}`, version: '1.0.0', author: 'test', licence: 'MIT',
    input: {
      door: { type: 'single_device_selector', name: 'Door', required: true },
      notify: { type: 'single_notification_output_selector', name: 'Notify' },
    },
    guide: [{ id: 'p1', title: 'All', input_fields: ['door', 'notify'] }],
  };
  const script = `const EVIL = ${JSON.stringify(EVIL)};
function installed() {
  subscribe(settings.door, 'contact', onContact);
  subscribe(app, touched);
  for (const t of EVIL) log.info(t);
}
function onContact(evt) { for (const t of EVIL) sendNotification(settings.notify, t) }
function touched() { throw new Error(EVIL.join(' | ')) }
`;
  const scenario = {
    devices: '../devices.json',
    config: { door: 'door', notify: 1 },
    scenarios: [
      { name: 'notifications', steps: [{ event: { device: 'door', attribute: 'contact', value: 'open' } }, { expect: { notifications: [{ contains: 'all is well' }] } }] },
      { name: 'a handler throws', steps: [{ touch: true }] },
      { name: 'no logs', steps: [{ expect: { noLogs: { level: 'info' } } }] },
    ],
  };
  writeFileSync(path.join(dir, 'app.json'), JSON.stringify(appJson, null, 2));
  writeFileSync(path.join(dir, 'app.js'), script);
  writeFileSync(path.join(dir, 'devices.json'), JSON.stringify([{ id: 'door', label: `Door ${FORGED}`, capabilities: ['contactSensor'] }]));
  const file = path.join(dir, 'tests', 'hostile.scenario.json');
  writeFileSync(file, JSON.stringify(scenario, null, 2));
  return file;
}
