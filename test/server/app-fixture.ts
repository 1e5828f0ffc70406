/** One app with every file the scenario runner reads, for the language server's tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const APP_JSON = `{
  "name": "Hall light",
  "input": {
    "door": { "type": "single_device_selector", "name": "Door" },
    "lamp": { "type": "single_device_selector", "name": "Lamp" },
    "minutes": { "type": "number", "name": "Minutes", "default": 5 },
    "brightness": { "type": "option", "name": "Brightness", "values": { "bright": "Bright", "dim": "Dim" }, "default": "bright" }
  },
  "guide": [{ "id": "main", "title": "Main", "input_fields": ["door", "lamp", "minutes", "brightness"] }]
}
`;

export const APP_JS = `function installed() {
  subscribe(settings.door, "contact.open", opened)
}
function opened() {
  settings.lamp.on()
  runIn(settings.minutes * 60, "off")
}
function off() { settings.lamp.off() }
`;

export const DEVICES_JSON = `[
  { "id": "front-door", "capabilities": ["contactSensor"], "attributes": { "contact": "closed" } },
  { "id": "hall-lamp", "capabilities": ["switch", "switchLevel"], "attributes": { "switch": "off", "level": 0 } }
]
`;

export const INSTANCE_JSON = `{
  "name": "Hall",
  "config": { "door": "front-door", "lamp": "hall-lamp", "minutes": 2, "brightness": "dim" }
}
`;

/** A scenario with no mistakes: every check below changes one thing in it. */
export const SCENARIO = `{
  "devices": "../devices.json",
  "config": "../instance.json",
  "scenarios": [
    {
      "name": "door opens",
      "steps": [
        { "event": { "device": "front-door", "attribute": "contact", "value": "open" } },
        { "expect": { "commands": [{ "device": "hall-lamp", "command": "on" }], "attributes": { "hall-lamp.switch": "on" } } },
        { "advance": "2m" },
        { "update": { "minutes": 3 } }
      ]
    }
  ]
}
`;

/** The app folder: app.json, app.js, devices.json, instance.json, tests/door.scenario.json. */
export function writeApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-app-files-'));
  writeFileSync(path.join(dir, 'app.json'), APP_JSON);
  writeFileSync(path.join(dir, 'app.js'), APP_JS);
  writeFileSync(path.join(dir, 'devices.json'), DEVICES_JSON);
  writeFileSync(path.join(dir, 'instance.json'), INSTANCE_JSON);
  mkdirSync(path.join(dir, 'tests'));
  writeFileSync(path.join(dir, 'tests', 'door.scenario.json'), SCENARIO);
  return dir;
}
