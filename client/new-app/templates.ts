/**
 * The files of a new app ("SmartPlug: New App"): a switch that follows a contact sensor and turns
 * off a number of minutes after it closes, with simulated devices, an instance config and a scenario
 * test that passes — so a new author starts from something that runs, tests green and shows each
 * file's shape. Pure (no vscode): the unit test writes it out and runs the real CLI on it.
 */

export interface TemplateFile {
  /** Relative to the new app's folder, with forward slashes. */
  path: string;
  content: string;
}

/** Device names Windows refuses as file or folder names, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/**
 * Why `name` cannot be the app's folder name, or undefined when it can. Folder-safe everywhere:
 * letters, digits, `-`, `_` and `.`, starting with a letter or digit.
 */
export function validateAppName(name: string): string | undefined {
  if (name.trim() === '') return 'Give the app a name, e.g. door-switch.';
  if (name.length > 64) return 'Use at most 64 characters.';
  if (!/^[A-Za-z0-9]/.test(name)) return 'Start with a letter or a digit.';
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad) return `"${bad[0]}" is not allowed: use letters, digits, "-", "_" and ".".`;
  if (name.endsWith('.')) return 'Do not end the name with ".".';
  if (RESERVED.test(name)) return `"${name}" is a reserved name on Windows; choose another.`;
  return undefined;
}

/** "door-switch" → "Door switch": the app's display name in app.json. */
export function displayName(folderName: string): string {
  const words = folderName.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function newAppFiles(name: string): TemplateFile[] {
  const title = displayName(name);
  return [
    { path: 'app.json', content: appJson(title) },
    { path: 'app.js', content: appJs(title) },
    { path: 'devices.json', content: DEVICES_JSON },
    { path: 'instance.json', content: INSTANCE_JSON },
    { path: `tests/${name}.scenario.json`, content: scenarioJson(name) },
    { path: '.gitignore', content: GITIGNORE },
  ];
}

/** The declarations written for app.js's IntelliSense are the editor's, not the app's (.smartplug/README.md). */
const GITIGNORE = '# Written by the SmartPlug Apps IDE for app.js IntelliSense: see .smartplug/README.md\n.smartplug/\n';

function appJson(title: string): string {
  const app = {
    name: title,
    version: '1.0.0',
    description: 'Turns a switch on when a contact sensor opens, and off again a number of minutes after it closes.',
    licence: 'MIT',
    input: {
      sensor: {
        type: 'single_device_selector',
        name: 'Contact sensor',
        description: 'The door or window that turns the switch on.',
        required: true,
      },
      light: {
        type: 'single_device_selector',
        name: 'Switch',
        description: 'The switch that follows the contact sensor.',
        required: true,
      },
      timeout: {
        type: 'number',
        name: 'Minutes',
        description: 'How long the switch stays on after the sensor closes, in minutes.',
        default: 5,
      },
    },
    guide: [
      { id: 'devices', title: 'Devices', description: 'Choose the contact sensor and the switch it controls.', input_fields: ['sensor', 'light'] },
      { id: 'timing', title: 'Timing', description: 'How long the switch stays on.', input_fields: ['timeout'] },
    ],
  };
  return JSON.stringify(app, null, 2) + '\n';
}

function appJs(title: string): string {
  return `// ${title}: the switch follows the contact sensor. Opening turns it on; closing starts a timer
// that turns it off after settings.timeout minutes, and opening again before then cancels it.
// Run the scenario tests in tests/ from the Testing view, or with \`smartplug test\`.

function installed() {
  initialize();
}

function updated() {
  unsubscribe();
  unschedule();
  initialize();
}

function initialize() {
  subscribe(settings.sensor, 'contact', contactChanged);
  log.info(\`\${settings.sensor.label} controls \${settings.light.label}; off \${settings.timeout} min after closing\`);
}

function contactChanged(evt) {
  if (evt.value === 'open') {
    unschedule(switchOff);
    // A command to a switch that is already on would be an event for nothing.
    if (settings.light.currentValue('switch') !== 'on') settings.light.on();
  } else {
    runIn(settings.timeout * 60, switchOff);
  }
}

function switchOff() {
  settings.light.off();
  log.info('timeout: switch off');
}
`;
}

/** The simulated Thing the scenario tests (and `smartplug run`) use; plain JSON, which editors read as such. */
const DEVICES_JSON = `[
  {
    "id": "front-door",
    "label": "Front door",
    "capabilities": ["contactSensor"],
    "attributes": { "contact": "closed" }
  },
  {
    "id": "hall-light",
    "label": "Hall light",
    "capabilities": ["switch"],
    "attributes": { "switch": "off" }
  }
]
`;

const INSTANCE_JSON = `{
  "sensor": "front-door",
  "light": "hall-light",
  "timeout": 5
}
`;

function scenarioJson(name: string): string {
  return `// Scenario tests for ${name}: run them from the Testing view, or with \`smartplug test\`.
// Each scenario starts a fresh simulated Thing on a virtual clock (see docs/scenarios.md).
{
  "devices": "../devices.json",
  "config": "../instance.json",
  "scenarios": [
    {
      "name": "opening the door turns the switch on",
      "steps": [
        { "event": { "device": "front-door", "attribute": "contact", "value": "open" } },
        {
          "expect": {
            "commands": [{ "device": "hall-light", "command": "on" }],
            "exactly": true,
            "attributes": { "hall-light.switch": "on" }
          }
        }
      ]
    },
    {
      "name": "the switch goes off 5 minutes after the door closes",
      "steps": [
        { "event": { "device": "front-door", "attribute": "contact", "value": "open" } },
        { "event": { "device": "front-door", "attribute": "contact", "value": "closed" } },
        { "expect": { "jobs": ["switchOff"] } },
        { "advance": "4m59s" },
        { "expect": { "noCommands": true, "attributes": { "hall-light.switch": "on" } } },
        { "advance": "1s" },
        {
          "expect": {
            "commands": [{ "device": "hall-light", "command": "off" }],
            "exactly": true,
            "attributes": { "hall-light.switch": "off" },
            "jobs": 0
          }
        }
      ]
    },
    {
      "name": "opening again before the timeout keeps the switch on",
      "steps": [
        { "event": { "device": "front-door", "attribute": "contact", "value": "open" } },
        { "event": { "device": "front-door", "attribute": "contact", "value": "closed" } },
        { "advance": "3m" },
        { "event": { "device": "front-door", "attribute": "contact", "value": "open" } },
        { "advance": "10m" },
        { "expect": { "jobs": 0, "attributes": { "hall-light.switch": "on" } } }
      ]
    },
    {
      "name": "a shorter timeout after the user changes it",
      "steps": [
        { "update": { "timeout": 1 } },
        { "expect": { "logs": [{ "contains": "off 1 min after closing" }] } },
        { "event": { "device": "front-door", "attribute": "contact", "value": "open" } },
        { "event": { "device": "front-door", "attribute": "contact", "value": "closed" } },
        { "advance": "1m" },
        { "expect": { "attributes": { "hall-light.switch": "off" } } }
      ]
    }
  ]
}
`;
}
