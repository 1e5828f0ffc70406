/**
 * The configuration guide's page alone, in real headless chromium (Debian's, driven by
 * playwright-core): the built bundle under its Content Security Policy. The test plays the
 * extension: it sends app.json, the devices and instance files, fills the wizard in as a user
 * does (with the mouse, and with the keyboard alone), and checks the instance object the page
 * sends with "Save" against seed 003's config object for each input type.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AppJson } from '../../runtime/app/app-json-types';
import { prepareInstanceConfig } from '../../runtime/app/instance-config';
import { parseDevicesFile } from '../../runtime/devices/devices-file';
import type { ExtensionMessage, InstanceObject, PageMessage } from '../../guide/messages';
import { closeBrowser, type GuidePage, openGuidePage } from '../support/guide-page';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');
const doorLight = JSON.parse(read('examples', 'door-light', 'app.json')) as AppJson;
const seedExample = JSON.parse(read('test', 'fixtures', 'seed003', 'app.json')) as AppJson;
const seedInstance = JSON.parse(read('test', 'fixtures', 'seed003', 'instance.json')) as InstanceObject;
const everyType = JSON.parse(read('test', 'fixtures', 'guide', 'every-type.json')) as AppJson;
const devices = parseDevicesFile(read('examples', 'door-light', 'devices.json'), 'devices.json');
const OUTPUTS = [{ id: 456, name: 'Phone' }, { id: 457, name: 'E-mail' }];
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'guide');

const appMessage = (appJson: AppJson | undefined, extra: Partial<Extract<ExtensionMessage, { type: 'app' }>> = {}): ExtensionMessage => ({
  type: 'app',
  appName: 'door-light',
  ...(appJson ? { appJson } : {}),
  devices: [...devices],
  devicesFrom: 'devices.json',
  notificationOutputs: OUTPUTS,
  actions: ['save', 'saveAs', 'run', 'debug'],
  ...extra,
});

describe('guide: the page in chromium', function () {
  this.timeout(120_000);
  let g: GuidePage;

  beforeEach(async () => {
    g = await openGuidePage();
    await g.open();
  });
  afterEach(async () => {
    const errors = g.errors;
    const violations = await g.violations();
    await g.close();
    assert.deepEqual(errors, [], 'the page threw or logged errors');
    assert.deepEqual(violations, [], 'the page broke its Content Security Policy');
  });
  after(() => closeBrowser());

  const text = async (selector: string) => (await g.page.locator(selector).innerText()).trim();
  const saved = async (): Promise<InstanceObject> => {
    await g.page.click('#action-save');
    const posted = await g.posted();
    const save = posted.filter((m): m is Extract<PageMessage, { type: 'action' }> => m.type === 'action' && m.action === 'save').pop();
    assert.ok(save, `no save was posted: ${JSON.stringify(posted)}`);
    return save.instance;
  };
  const pageTitle = () => text('#page-title');

  it("renders seed 003's example as written: its pages in order with titles and descriptions, its values, and the input it lacks", async () => {
    await g.send(appMessage(seedExample));
    await g.send({ type: 'instance', instance: seedInstance, file: 'instance.json' });
    assert.deepEqual(await g.page.locator('.steps button').allInnerTexts(), ['1. Function selection', '2. Timeout settings', 'Summary']);
    assert.equal(await pageTitle(), 'Function selection');
    assert.equal(await text('.page-description'), 'Set the functions you want to use.');
    assert.match(await text('.warning'), /"example_text", which app\.json’s input does not define/);
    assert.equal(await g.page.inputValue('#instance-name'), 'My app instance');
    assert.equal(await g.page.inputValue('#f-trigger_function'), '123');
    // As written, the seed's actuator_function has no "value": true, so its { "4456": 255 } selects nothing.
    assert.equal(await g.page.inputValue('#f-actuator_function'), '');
    await g.page.click('#next');
    assert.equal(await pageTitle(), 'Timeout settings');
    assert.equal(await g.page.inputValue('#f-timeout'), '10');
    assert.equal(await g.page.locator('.repeat-row').count(), 3);
    assert.equal(await g.page.inputValue('#f-temp-2-trigger_value-value'), '10');
    assert.equal(await g.page.inputValue('#f-notification'), '456');
  });

  it('fills in every input type and produces exactly seed 003\'s config object for each', async () => {
    await g.send(appMessage(everyType));
    const p = g.page;
    // Page 1: selectors.
    assert.equal(await p.locator('#f-lamp option').count(), 2, 'the filter {"type":"switch"} leaves one function (and "none")');
    await p.selectOption('#f-lamp', '4455');
    assert.deepEqual(await p.locator('#f-lamp-value option').allInnerTexts(), ['on', 'off'], 'a switch is set on or off');
    assert.equal(await p.inputValue('#f-lamp-value'), 'on', 'a newly selected function starts at its first value, shown');
    await p.selectOption('#f-lamp-value', 'off');
    await p.check('#f-sensors-0');
    await p.check('#f-sensors-1');
    assert.deepEqual(await p.locator('#f-sensors label').allInnerTexts(), ['Kitchen thermometer (temperature)', 'Freezer thermometer (temperature)']);
    await p.selectOption('#f-door', 'front-door');
    await p.check('#f-lights-0');
    await p.fill('#f-lights-0-value', 'on');
    await p.selectOption('#f-alarm', '456');
    assert.equal(await p.locator('[data-key="alarm"] .add-output').count(), 0, 'allow_add: false offers no new output');
    await p.check('#f-reports-1');
    await p.click('#next');
    // Page 2: the rest.
    assert.equal(await pageTitle(), 'Settings');
    assert.equal(await p.inputValue('#f-room'), 'Hall', 'the default is shown');
    await p.fill('#f-room', 'Kitchen');
    await p.fill('#f-note', 'Line 1\nLine 2');
    assert.equal(await p.getAttribute('#f-note', 'rows'), '4', 'multiline is a text area');
    await p.fill('#f-minutes', '15');
    await p.selectOption('#f-mode', 'full');
    await p.uncheck('#f-days-0');
    await p.check('#f-days-1');
    assert.equal(await p.getAttribute('#f-armed', 'aria-checked'), 'false');
    await p.click('#f-armed');
    assert.equal(await p.getAttribute('#f-armed', 'aria-checked'), 'true');
    await p.fill('#f-steps-0-level', '5');
    await p.click('[data-key="steps"] .repeat-foot button');
    await p.fill('#f-steps-1-level', '7');
    await p.selectOption('#f-steps-1-mode', 'full');
    await p.click('#next');
    assert.equal(await pageTitle(), 'Summary');
    // Seed 003: the user names the instance; nothing is saved without a name.
    await p.click('#action-save', { force: true });
    assert.equal((await g.posted()).filter((m) => m.type === 'action').length, 0);
    assert.equal(await p.evaluate('document.activeElement.id'), 'instance-name');
    assert.match(await text('#unnamed'), /Name the instance/);
    await p.fill('#instance-name', 'Kitchen rules');
    const instance = await saved();
    assert.deepEqual(instance, {
      app_id: 1,
      installation_id: 1,
      version: '1.0.0',
      name: 'Kitchen rules',
      config: {
        lamp: { '4455': 'off' },
        sensors: [9, 12],
        door: 'front-door',
        lights: { 'hall-lamp': 'on' },
        alarm: 456,
        reports: [457],
        room: 'Kitchen',
        note: 'Line 1\nLine 2',
        minutes: 15,
        mode: 'full',
        days: ['2', '3'],
        armed: 'yes',
        steps: [{ level: 5, mode: 'eco' }, { level: 7, mode: 'full' }],
      },
    });
    assert.deepEqual(JSON.parse(await text('#instance-json')), instance, 'the summary shows what Save sends');
    assert.match(await text('#runtime-check'), /^The runtime accepts this config with the devices of devices\.json\.$/);
    const catalogue = { ...{ devices }, notificationOutputIds: () => OUTPUTS.map((o) => o.id) };
    assert.doesNotThrow(() => prepareInstanceConfig({ name: 'every-type', appJson: everyType }, instance.config, catalogue.devices), 'the runtime accepts the config');
  });

  it('checks as the user types: the validator with its on_error, a number that is not one; required fields block Next', async () => {
    await g.send(appMessage(everyType));
    const p = g.page;
    // Next stays focusable (aria-disabled), so pressing it can say why and where.
    await p.click('#next', { force: true });
    assert.equal(await pageTitle(), 'Devices', 'Lamp is required');
    assert.match(await text('#next-hint'), /fill in Lamp/);
    assert.equal(await p.evaluate('document.activeElement.id'), 'f-lamp', 'Next puts the keyboard on the field to fill in');
    assert.equal(await p.locator('.steps button').nth(1).isDisabled(), true, 'later pages cannot be reached either');
    await p.selectOption('#f-lamp', '4455');
    await p.click('#next');
    assert.equal(await pageTitle(), 'Settings');
    await p.fill('#f-room', 'Hall 2');
    assert.equal(await text('[data-key="room"] .error'), 'Letters only');
    assert.equal(await p.getAttribute('#f-room', 'aria-invalid'), 'true');
    assert.match((await p.getAttribute('#f-room', 'aria-describedby')) ?? '', /f-room-err/);
    await p.fill('#f-minutes', '12a');
    assert.equal(await text('[data-key="minutes"] .error'), '"12a" is not a number');
    await p.click('#next', { force: true });
    assert.equal(await pageTitle(), 'Settings');
    assert.match(await text('#next-hint'), /correct Room, correct Minutes/);
    await p.fill('#f-room', '');
    assert.equal(await p.locator('[data-key="room"] .error').count(), 0, 'an empty text matches [a-zA-Z]*');
    await p.fill('#f-room', 'Hall');
    await p.fill('#f-minutes', '12');
    await p.click('#next', { force: true });
    assert.match(await text('#next-hint'), /^To go on: fill in Steps$/, 'a repeat with a minimum needs its entries');
    await p.fill('#f-steps-0-level', '5');
    await p.click('#next');
    assert.equal(await pageTitle(), 'Summary');
    // A value of the wrong shape for its input (an instance file written by hand): the runtime's own checker says so here.
    await g.send({ type: 'instance', instance: { app_id: 1, installation_id: 1, version: '1.0.0', name: 'x', config: { lamp: 4455, room: 'Hall', steps: [{ level: 5 }] } }, file: 'instance.json' });
    assert.match(await text('#runtime-check'), /The runtime would refuse this config:\s+lamp: error: .*"value": true/);
  });

  it('adds and removes repeat rows within min and max', async () => {
    await g.send(appMessage(everyType));
    await g.send({ type: 'instance', instance: { app_id: 1, installation_id: 1, version: '1.0.0', name: 'x', config: { lamp: { '4455': 'on' } } }, file: 'instance.json' });
    const p = g.page;
    await p.click('#next');
    const add = p.locator('[data-key="steps"] .repeat-foot button');
    const rows = p.locator('[data-key="steps"] .repeat-row');
    assert.equal(await rows.count(), 1, 'min 1: one row is shown at once');
    assert.equal(await p.locator('[data-key="steps"] .repeat-row button[aria-label^="Remove"]').first().isDisabled(), true, 'cannot go below min');
    assert.equal(await text('[data-key="steps"] .bounds'), '1–2 entries');
    await add.click();
    assert.equal(await rows.count(), 2);
    assert.equal(await add.isDisabled(), true, 'max 2');
    await p.fill('#f-steps-1-level', '9');
    await p.click('button[aria-label="Remove entry 1 of Steps"]');
    assert.equal(await rows.count(), 1);
    assert.equal(await p.inputValue('#f-steps-0-level'), '9', 'the other row stays');
    assert.equal(await add.isDisabled(), false);
  });

  it('completes the whole wizard with the keyboard alone', async () => {
    await g.send(appMessage(doorLight, { appName: 'door-light' }));
    const p = g.page;
    const focused = () => p.evaluate('document.activeElement && document.activeElement.id') as Promise<string>;
    /** Presses Tab until the element with `id` has focus (it must be reachable within a few presses). */
    const tabTo = async (id: string) => {
      for (let i = 0; i < 12; i++) {
        await p.keyboard.press('Tab');
        if ((await focused()) === id) return;
      }
      assert.fail(`Tab never reached #${id} (focus is on #${await focused()})`);
    };
    await tabTo('instance-name');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('Hall light');
    await tabTo('f-trigger_function');
    await p.keyboard.press('ArrowDown');
    await tabTo('f-actuator_function');
    for (let i = 0; i < 4; i++) await p.keyboard.press('ArrowDown');
    assert.equal(await p.inputValue('#f-actuator_function'), '4456');
    await tabTo('f-actuator_function-value');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('80');
    await tabTo('next');
    await p.keyboard.press('Enter');
    assert.equal(await pageTitle(), 'Timeout settings');
    assert.equal(await focused(), 'page-title', 'a new page puts the keyboard at its title');
    await tabTo('f-timeout');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('5');
    for (const row of [0, 1]) {
      await tabTo(`f-temp-${row}-trigger_value`);
      for (let i = 0; i < 1 + row; i++) await p.keyboard.press('ArrowDown');
      await tabTo(`f-temp-${row}-trigger_value-value`);
      await p.keyboard.type(row === 0 ? '30' : '-5');
    }
    // A third entry, added with the keyboard: the keyboard goes to its first field.
    await p.keyboard.press('Tab');
    assert.match(await p.evaluate('document.activeElement.innerText') as string, /Add entry/);
    await p.keyboard.press('Enter');
    assert.equal(await focused(), 'f-temp-2-trigger_value');
    await p.keyboard.press('ArrowDown');
    await tabTo('f-temp-2-trigger_value-value');
    await p.keyboard.type('40');
    await tabTo('f-notification');
    await p.keyboard.press('ArrowDown');
    await tabTo('f-text_example');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('Hall');
    await tabTo('next');
    await p.keyboard.press('Space');
    assert.equal(await pageTitle(), 'Summary');
    await tabTo('action-save');
    await p.keyboard.press('Enter');
    const posted = (await g.posted()).filter((m) => m.type === 'action');
    assert.equal(posted.length, 1);
    assert.deepEqual(posted[0].type === 'action' && posted[0].instance, {
      app_id: 1,
      installation_id: 1,
      version: '1.0.0',
      name: 'Hall light',
      config: {
        trigger_function: 123,
        actuator_function: { '4456': 80 },
        timeout: 5,
        temp: [{ trigger_value: { '9': 30 } }, { trigger_value: { '12': -5 } }, { trigger_value: { '9': 40 } }],
        notification: 456,
        text_example: 'Hall',
      },
    });
  });

  it('follows app.json: a renamed input keeps its value; a broken file is shown where it is broken, keeping every value, and the fixed one is used again', async () => {
    await g.send(appMessage(doorLight));
    await g.send({ type: 'instance', instance: JSON.parse(read('examples', 'door-light', 'instance.json')) as InstanceObject, file: 'instance.json' });
    await g.page.click('.steps button >> nth=1');
    await g.page.fill('#f-timeout', '7');
    const renamed = JSON.parse(JSON.stringify(doorLight).replaceAll('"timeout"', '"light_minutes"').replace('"Light on time"', '"Minutes on"')) as AppJson;
    await g.send(appMessage(renamed));
    assert.equal(await text('[data-key="light_minutes"] .field-label'), 'Minutes on');
    assert.equal(await g.page.inputValue('#f-light_minutes'), '7');
    await g.send(appMessage(undefined, { problem: { file: 'app.json', line: 12, column: 7, message: 'Expected a comma or closing brace', fix: 'add a comma after the previous property' } }));
    assert.match(await text('.problem'), /app\.json:12:7 Expected a comma or closing brace Fix: add a comma after the previous property/);
    assert.match(await text('.problem'), /every value you entered is kept/);
    assert.equal(await g.page.inputValue('#f-light_minutes'), '7', 'the last good guide stays, with its values');
    await g.page.fill('#f-light_minutes', '8');
    await g.send(appMessage(renamed));
    assert.equal(await g.page.locator('.problem').count(), 0);
    assert.equal(await g.page.inputValue('#f-light_minutes'), '8');
  });

  it('offers other devices when the editor can: "Change…" asks for them, and the selectors then offer a Thing\'s devices, keeping the values that still fit', async () => {
    await g.send(appMessage(doorLight));
    assert.equal(await g.page.locator('#choose-devices').count(), 0, 'no Change… where the editor cannot offer other devices');
    await g.send(appMessage(doorLight, { devicesChoosable: true }));
    assert.match(await text('.guide-head .source'), /^Devices from devices\.json Change…$/);
    await g.page.click('#choose-devices');
    assert.deepEqual((await g.posted()).filter((m) => m.type === 'chooseDevices'), [{ type: 'chooseDevices' }]);
    await g.page.selectOption('#f-trigger_function', '123');
    // The extension answers with a Thing's devices: its own door besides the one the value names.
    const thing = parseDevicesFile(JSON.stringify([...devices, { id: 'porch-door', label: 'Porch door', type: 'Zigbee Door', capabilities: ['contactSensor'], functionIds: { contact: 777 } }]), "thing-2's devices");
    await g.send(appMessage(doorLight, { devices: thing, devicesFrom: 'thing-2 on the local platform', devicesChoosable: true }));
    assert.match(await text('.guide-head .source'), /^Devices from thing-2 on the local platform Change…$/);
    const doors = await g.page.locator('#f-trigger_function option').allInnerTexts();
    assert.ok(doors.some((d) => /Porch door/.test(d)), JSON.stringify(doors));
    assert.equal(await g.page.inputValue('#f-trigger_function'), '123');
    await g.page.selectOption('#f-trigger_function', '777');
    assert.equal(await g.page.inputValue('#f-trigger_function'), '777');
  });

  it('keeps what was entered when the page is hidden and shown again (VS Code reloads a hidden webview)', async () => {
    await g.send(appMessage(doorLight));
    await g.send({ type: 'instance', instance: JSON.parse(read('examples', 'door-light', 'instance.json')) as InstanceObject, file: 'instance.json' });
    await g.page.fill('#instance-name', 'Renamed');
    await g.page.click('.steps button >> nth=1');
    await g.page.fill('#f-timeout', '3');
    // Shown again, the page is made from the same HTML, with the instance file's values in it; then "ready" brings app.json afresh.
    const instance = JSON.parse(read('examples', 'door-light', 'instance.json')) as InstanceObject;
    await g.open({ keepState: true, initial: [appMessage(doorLight), { type: 'instance', instance, file: 'instance.json' }] });
    await g.send(appMessage(doorLight));
    assert.equal(await pageTitle(), 'Timeout settings');
    assert.equal(await g.page.inputValue('#f-timeout'), '3');
    assert.equal(await g.page.inputValue('#instance-name'), 'Renamed');
  });

  it('adds a notification output in an overlay and selects it when the extension has added it', async () => {
    await g.send(appMessage(doorLight));
    await g.page.click('.steps button >> nth=0');
    await g.send({ type: 'instance', instance: JSON.parse(read('examples', 'door-light', 'instance.json')) as InstanceObject, file: 'instance.json' });
    await g.page.click('.steps button >> nth=1');
    await g.page.click('[data-key="notification"] .add-output');
    // The overlay is drawn on the next frame (a Preact state change), not within the click.
    await g.page.locator('dialog[open]').waitFor({ state: 'visible', timeout: 5000 });
    await g.page.locator('#new-output-name:focus').waitFor({ timeout: 5000 });
    await g.page.keyboard.type('Pager');
    await g.page.keyboard.press('Enter');
    await g.page.locator('dialog').waitFor({ state: 'detached', timeout: 5000 });
    const ask = (await g.posted()).find((m) => m.type === 'addNotificationOutput');
    assert.deepEqual(ask, { type: 'addNotificationOutput', path: ['notification'], name: 'Pager' });
    await g.send({ type: 'outputAdded', path: ['notification'], output: { id: 458, name: 'Pager' } });
    assert.equal(await g.page.inputValue('#f-notification'), '458');
  });

  it('shows app.json\'s text as text: markup in names and descriptions is not run, and the policy blocks injected script', async () => {
    const hostile = JSON.parse(JSON.stringify(doorLight)) as AppJson;
    hostile.guide[0].title = '<img src=x onerror="window.__pwned=1">';
    (hostile.input.trigger_function as { description: string }).description = '<script>window.__pwned=2</script>';
    await g.send(appMessage(hostile, { appName: '<b onmouseover=alert(1)>door</b>' }));
    assert.equal(await pageTitle(), '<img src=x onerror="window.__pwned=1">');
    assert.equal(await g.page.locator('#guide-root img, #guide-root script, #guide-root b').count(), 0);
    assert.equal(await g.page.evaluate('window.__pwned'), undefined);
    // Past an injection into the DOM, the policy still refuses inline script.
    await g.page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 3'; document.body.appendChild(s); })()`);
    assert.equal(await g.page.evaluate('window.__pwned'), undefined);
    const violations = await g.violations();
    assert.ok(violations.some((v) => v.startsWith('script-src')), `no violation reported: ${violations}`);
    // Reported and expected: the after-each check is for violations the page itself causes.
    await g.page.evaluate('window.__violations.length = 0');
    g.errors.length = 0;
  });

  it('draws the guide the extension put in the page before any message, and no string in it can end its data block', async () => {
    const hostile = JSON.parse(JSON.stringify(doorLight)) as AppJson;
    hostile.guide[0].title = '</script><script>window.__pwned = 4</script><!--';
    const instance = JSON.parse(read('examples', 'door-light', 'instance.json')) as InstanceObject;
    await g.open({ initial: [appMessage(hostile), { type: 'instance', instance, file: 'instance.json' }] });
    assert.equal(await pageTitle(), '</script><script>window.__pwned = 4</script><!--');
    assert.equal(await g.page.evaluate('window.__pwned'), undefined);
    assert.equal(await g.page.inputValue('#instance-name'), 'Hall light');
    assert.equal(await g.page.evaluate('Number(document.getElementById("guide-root").dataset.rendered)'), 1, 'the first draw already shows the guide');
  });

  /** Every icon on the page is one the page carries (guide/page/codicons.json): none is drawn blank. */
  const iconsDraw = async () => {
    const blank = (await g.page.evaluate(`[...document.querySelectorAll('.codicon')].filter((e) => ['none', 'normal', ''].includes(getComputedStyle(e, '::before').content)).map((e) => e.className)`)) as string[];
    assert.deepEqual(blank, [], 'icons with no glyph');
  };

  it('light, dark and high-contrast screenshots (test-results/guide/), with theme colours applied', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      await g.open({ theme });
      await g.send(appMessage(everyType));
      await g.page.selectOption('#f-lamp', '4455');
      await g.page.screenshot({ path: path.join(SCREENSHOTS, `page1-${theme}.png`), fullPage: true });
      await g.page.click('#next');
      await g.page.fill('#f-room', 'Hall 2');
      await g.page.screenshot({ path: path.join(SCREENSHOTS, `page2-${theme}.png`), fullPage: true });
      const background = await g.page.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.equal(background, { dark: 'rgb(31, 31, 31)', light: 'rgb(255, 255, 255)', 'high-contrast': 'rgb(0, 0, 0)' }[theme]);
      const codicon = await g.page.evaluate(`document.fonts.check('16px codicon')`);
      assert.equal(codicon, true, 'the codicon font loaded');
      await iconsDraw();
      // The summary, with a problem in app.json shown above it.
      await g.page.fill('#f-room', 'Hall');
      await g.page.fill('#f-steps-0-level', '5');
      await g.page.click('#next');
      await g.send(appMessage(everyType, { problem: { file: 'app.json', line: 3, column: 9, message: 'unknown key "nmae"', fix: 'rename it to "name"' } }));
      await g.page.screenshot({ path: path.join(SCREENSHOTS, `summary-${theme}.png`), fullPage: true });
      await iconsDraw();
    }
  });
});
