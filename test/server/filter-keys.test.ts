/**
 * A selector filter key that can match nothing, over LSP: app.json beside a devices.json, as the
 * editor sees them. The keys that can match are the filter's own (type, capability, name,
 * device_id, id) and the meta keys of those devices; the warning names them, and its quick fix
 * renames a close one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type CodeAction, CodeActionRequest, type Diagnostic } from 'vscode-languageserver-protocol';
import { parseDocument } from '../../server/service/parsed-document';
import { validateDocument } from '../../server/service/validation';
import { LspClient } from './lsp-client';
import { covered } from '../support/text-ranges';

const DEVICES = JSON.stringify([
  { id: 'lamp', label: 'Lamp', capabilities: ['switch'], meta: { room: 'hall', floor: '1' } },
  { id: 'door', label: 'Door', capabilities: ['contactSensor'], meta: { room: 'hall' } },
]);

const appJson = (filter: Record<string, unknown>, type = 'multi_device_selector') =>
  JSON.stringify({ input: { lights: { type, name: 'Lights', filter } }, guide: [{ id: 'p', input_fields: ['lights'] }] }, null, 2);

describe('language server: selector filter keys that can match nothing', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;
  let n = 0;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'smartplug-filters-'));
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new app folder (with devices.json unless `devices` is null); the diagnostics of its app.json. */
  async function check(text: string, devices: string | null = DEVICES): Promise<{ uri: string; filterKeys: Diagnostic[] }> {
    const folder = path.join(dir, `app-${++n}`);
    mkdirSync(folder);
    if (devices !== null) writeFileSync(path.join(folder, 'devices.json'), devices);
    const uri = LspClient.uri(path.join(folder, 'app.json'));
    const { diagnostics } = await client.open(uri, text);
    return { uri, filterKeys: diagnostics.filter((d) => String(d.code).startsWith('filter-')) };
  }

  it('warns at a meta key no device has, naming the keys that can match and the close one, with a quick fix', async () => {
    const text = appJson({ rom: 'hall' });
    const { uri, filterKeys } = await check(text);
    assert.equal(filterKeys.length, 1, JSON.stringify(filterKeys));
    const [d] = filterKeys;
    assert.equal(d.code, 'filter-key-unmatched');
    assert.equal(d.severity, 2);
    assert.equal(covered(text, d.range), '"rom"');
    assert.match(d.message, /input "lights": filter key "rom" can match no device \(it is neither a key filters know nor a meta key of the devices in devices\.json\); did you mean "room"\? keys that can match: type, capability, name, device_id, id, room, floor/);
    assert.match(d.message, /Fix: rename it to "room"/);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    const edit = actions.find((a) => /room/.test(a.title))?.edit?.changes?.[uri]?.[0];
    assert.equal(edit?.newText, '"room"');
  });

  it('follows an edit of devices.json in the editor: app.json is checked again without being touched', async () => {
    const { uri, filterKeys } = await check(appJson({ room: 'hall' }));
    assert.deepEqual(filterKeys, []);
    const devicesUri = LspClient.uri(path.join(path.dirname(new URL(uri).pathname), 'devices.json'));
    // The unsaved buffer drops the meta key "room": the app's filter can now match nothing.
    const appJsonAgain = client.nextDiagnostics(uri, 1);
    await client.open(devicesUri, JSON.stringify([{ id: 'lamp', label: 'Lamp', capabilities: ['switch'], meta: { floor: '1' } }]), 'jsonc');
    const after = (await appJsonAgain).diagnostics.filter((d) => String(d.code).startsWith('filter-'));
    assert.deepEqual(after.map((d) => d.code), ['filter-key-unmatched']);
    assert.match(after[0].message, /filter key "room" can match no device/);
    // And back: the key is there again, the warning goes.
    const cleared = client.nextDiagnostics(uri, 1);
    await client.change(devicesUri, DEVICES);
    assert.deepEqual((await cleared).diagnostics.filter((d) => String(d.code).startsWith('filter-')), []);
  });

  it('is quiet for the filter\'s own keys and the devices\' meta keys', async () => {
    const { filterKeys } = await check(appJson({ capability: 'switch', room: 'hall', floor: 1, name: 'L*', device_id: ['lamp'], type: '*', id: 'lamp' }));
    assert.deepEqual(filterKeys, []);
  });

  it('without a devices.json, any key may be meta of the real devices: only a near miss of a known key is reported', async () => {
    const { filterKeys } = await check(appJson({ kitchen_zone: 'a', capabilities: 'switch' }), null);
    assert.deepEqual(filterKeys.map((d) => [d.code, /did you mean "capability"/.test(d.message)]), [["filter-key-unmatched", true]], filterKeys.map((d) => d.message).join("\n"));
  });

  it('capability on a function selector: functions have types; the fix names the type of that capability', async () => {
    const { filterKeys } = await check(appJson({ capability: 'switchLevel' }, 'single_function_selector'));
    assert.equal(filterKeys.length, 1);
    assert.match(filterKeys[0].message, /filter key "capability" can match no function \(a function has a type, not capabilities\)/);
    assert.match(filterKeys[0].message, /Fix: filter by function type instead: "type": "dimmer"/);
  });

  it('a capability value that names no capability, with did you mean; patterns are left alone', async () => {
    const text = appJson({ capability: ['swtich', 'color*', 'lock'] });
    const { filterKeys } = await check(text);
    assert.deepEqual(filterKeys.map((d) => [d.code, covered(text, d.range)]), [['filter-capability-unknown', '"swtich"']]);
    assert.match(filterKeys[0].message, /no device has the capability "swtich", so the filter matches none; did you mean "switch"\?/);
  });

  it('smartplug validate (a path relative to the working directory, files read from disk) finds the devices.json beside app.json too', () => {
    const folder = path.join(dir, 'relative');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'devices.json'), DEVICES);
    const text = appJson({ rom: 'hall' });
    writeFileSync(path.join(folder, 'app.json'), text);
    const relative = path.relative(process.cwd(), path.join(folder, 'app.json'));
    const problems = validateDocument(parseDocument(relative, relative, 0, 'app', text)).filter((p) => p.code === 'filter-key-unmatched');
    assert.deepEqual(problems.map((p) => [p.file, p.severity]), [[relative, 'warning']]);
    assert.match(problems[0].message, /did you mean "room"\? keys that can match: type, capability, name, device_id, id, room, floor/);
  });
});
