/**
 * The JS Shell terminal's session (client/platform/js-shell/shell-session.ts), typed into as a
 * user types, against a real Thing of `smartplug up`'s platform: its broker, its agent and the
 * app's sandboxed worker. What the session writes is what the terminal shows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JsShellSession } from '../../client/platform/js-shell/shell-session';
import { isIncomplete, namesExpression, parseNames } from '../../client/platform/js-shell/shell-input';
import { ShellClient } from '../../platform/shell/shell-client';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('client: the JS Shell terminal', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let client: ShellClient;
  let credential: string;
  let installation: number;

  /** A session on thing-1 whose terminal text is collected. */
  function open(app?: number, cred = credential) {
    const screen = { text: '', exited: false, answered: 0 };
    const session = new JsShellSession(client, 'thing-1', cred, {
      ...(app !== undefined ? { app } : {}),
      write: (t) => (screen.text += t),
      exit: () => (screen.exited = true),
      answered: () => screen.answered++,
    });
    /** Types `keys` and waits until the session has handled them; returns what they printed. */
    const type = async (keys: string): Promise<string> => {
      const from = screen.text.length;
      session.input(keys);
      await session.idle();
      return plain(screen.text.slice(from));
    };
    return { session, screen, type };
  }

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-jsshell-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    const api = new PlatformApi(env.endpoints.platform, env.adminToken);
    const things = await api.waitForThings((ts) => ts.length === 1 && ts.every(runsEverything));
    installation = things[0].inherited[0].installation_id;
    credential = JSON.parse(readFileSync(path.join(root, 'state', 'fleet-credentials.json'), 'utf8'))['thing-1'].shell;
    client = await ShellClient.connect({ brokerUrl: env.endpoints.broker, token: env.adminToken, timeoutMs: 3000 });
  });

  after(async () => {
    await client?.close();
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('knows when code is left open (Enter asks for more) and when it is whole or wrong', () => {
    for (const open of ['if (true) {', 'f(1,', '[1, 2', '`a', 'let x = ', '/* note', 'a +']) assert.equal(isIncomplete(open), true, open);
    for (const whole of ['1 + 1', 'if (x) { y }', 'state.opens', '', 'let x = 1;', ')(', 'a b c']) assert.equal(isIncomplete(whole), false, whole);
  });

  it("opens in an app's sandbox with that app in the prompt, and evaluates what is typed there", async () => {
    const { session, screen, type } = open(installation);
    await session.start();
    assert.match(plain(screen.text), /^JS Shell of thing-1\. \.help lists the commands\.\nEvaluating in the app "Hall light" \(installation \d+\)\.\nthing-1\/Hall light› $/m);
    const out = await type('settings.actuator_function.value\r');
    assert.match(out, /^settings\.actuator_function\.value\n80\nthing-1\/Hall light› $/m);
    assert.ok(screen.answered > 0, 'the Thing answered: a typed credential would now be kept');
  });

  it('streams what the expression logs, coloured by level, before its value; errors come in red', async () => {
    const { session, screen, type } = open(installation);
    await session.start();
    const from = screen.text.length;
    await type('log.warn("careful"); 6 * 7\r');
    const raw = screen.text.slice(from);
    assert.match(raw, /\x1b\[2m\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC\x1b\[22m \x1b\[33mwarn \x1b\[39m \x1b\[35mapp:Hall light\x1b\[39m: careful\r\n42\r\n/);
    const error = await type('nothing.here\r');
    assert.match(error, /ReferenceError: nothing is not defined/);
    assert.match(screen.text, /\x1b\[31mReferenceError: nothing is not defined\x1b\[39m/);
  });

  it('asks for more lines while code is open, evaluates the whole, and Ctrl+C drops an unfinished one', async () => {
    const { session, screen, type } = open(installation);
    await session.start();
    assert.match(await type('if (state.opens === undefined) {\r'), /\n… $/);
    assert.match(await type('  "none yet"\r'), /\n… $/);
    assert.match(await type('} else { "some" }\r'), /\n'(none yet|some)'\nthing-1\/Hall light› $/);
    assert.match(await type('[1,\r'), /… $/);
    assert.match(await type('\x03'), /\^C\n.*thing-1\/Hall light› $/s);
    assert.match(await type('1 + 1\r'), /\n2\n/);
    assert.equal(screen.exited, false, 'Ctrl+C does not close the shell');
  });

  it('completes commands, app names, the script API and what the context holds (asked of the Thing)', async () => {
    const { session, type } = open();
    await session.start();
    assert.match(await type('.ap\t'), /\.app$/);
    await type('\x15');
    assert.match(await type('.app Hall l\t'), /\.app Hall light$/);
    assert.match(await type('\r'), /Evaluating in the app "Hall light"/);
    assert.match(await type('log.in\t'), /log\.info$/);
    await type('\x15');
    assert.match(await type('sett\t'), /settings$/);
    await type('\x15');
    // Names of the app's own objects come from its sandbox on the Thing.
    assert.match(await type('settings.actuator_f\t'), /settings\.actuator_function$/);
    await type('\x15');
    // Completion reads properties; it never calls what was typed.
    assert.equal(namesExpression('f().x'), undefined);
    assert.deepEqual(parseNames("'a b __c d1'"), ['a', 'b', '__c', 'd1']);
  });

  it('lists and switches apps, shows recent logs, recalls history with Up, and leaves with .exit', async () => {
    const { session, screen, type } = open();
    await session.start();
    assert.match(await type('.apps\r'), new RegExp(`${installation} {2}Hall light \\(Door light 1\\.0\\.0\\) {2}running {2}state \\{`));
    assert.match(await type(`.app ${installation}\r`), /thing-1\/Hall light› $/);
    assert.match(await type('.app Nope\r'), /thing-1 has no app "Nope"; its apps: Hall light \(\d+\)/);
    assert.match(await type('.shell\r'), /Evaluating in thing-1's shell context/);
    assert.match(await type('Object.keys(devices).length\r'), /\n4\n/);
    assert.match(await type('\x1b[A'), /Object\.keys\(devices\)\.length$/);
    await type('\x15');
    assert.match(await type('.logs 2\r'), /\.logs 2\n(\d{4}-\d\d-\d\d [\d:.]+ UTC (info |warn |error|debug) app:Hall light: .*\n){2}thing-1› $/);
    assert.match(await type('.what\r'), /unknown command \.what; \.help lists them/);
    await type('.exit\r');
    assert.equal(screen.exited, true);
  });

  it('says plainly when the Thing does not answer (a wrong credential gets no answer)', async () => {
    const { session, screen } = open(undefined, 'not-the-credential');
    await session.start();
    assert.match(plain(screen.text), /no answer from thing-1's JS Shell within 3000 ms: is it online, and is the shell credential its own\?/);
    assert.equal(screen.answered, 0, 'a credential the Thing did not answer is not kept');
  });
});
