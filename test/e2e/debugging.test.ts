/**
 * Debugging an app in VS Code (door-debug: the debug adapter's test app, test/fixtures/apps/debuggee,
 * copied into the workspace): F5 with no launch.json, a breakpoint hit once a door opens (an event
 * injected from the palette), the event in the Variables view, Step Back to the event before.
 */
import * as assert from 'node:assert/strict';
import { poll, sleep } from './harness';
import { shots, useSession } from './suite';

const HANDLER_LINE = 13;

describe('e2e: debugging an app', function () {
  this.timeout(180_000);
  const session = useSession();
  const win = () => session().samples;
  const shot = shots(win, 'debug');

  after(async () => {
    const w = session.peek()?.samples;
    if (!w) return;
    await stopSessions();
    // No quick pick left open for the next test file.
    await w.escape(2);
    await w.revertAndCloseAll();
  });

  const variableRows = () => win().page.locator('.debug-variables .monaco-list-row').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ')));
  const stackRows = () => win().page.locator('.debug-call-stack .monaco-list-row').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ')));

  /** Stops every debug session still shown (the toolbar's Stop, or Shift+F5). */
  async function stopSessions(): Promise<void> {
    const page = win().page;
    for (let i = 0; i < 10 && (await page.locator('.debug-toolbar').isVisible().catch(() => false)); i++) {
      const stop = page.locator('.debug-toolbar .codicon-debug-stop');
      if (await stop.isVisible().catch(() => false)) await stop.click().catch(() => undefined);
      else await page.keyboard.press('Shift+F5');
      await sleep(1000);
    }
  }

  /** Picks "SmartPlug App" when VS Code asks which debugger F5 should use (another claims JavaScript too). */
  async function pickDebuggerIfAsked(): Promise<void> {
    const w = win();
    for (let i = 0; i < 20; i++) {
      if (await w.page.locator('.debug-toolbar').isVisible().catch(() => false)) return;
      const row = w.quickInputRows().filter({ hasText: /SmartPlug/ });
      if (await w.quickInput.isVisible().catch(() => false) && (await row.count()) > 0) {
        await row.first().click();
        return;
      }
      await sleep(250);
    }
  }

  async function injectDoor(value: string): Promise<void> {
    const w = win();
    await w.runCommand('SmartPlug: Inject Device Event');
    await w.waitFor(w.quickInputRows(), /front-door contact/);
    await w.quickInputRows().filter({ hasText: /front-door contact/ }).first().click();
    await w.waitFor(w.quickInput, /the value the device reports/);
    await w.page.keyboard.type(value);
    await w.page.keyboard.press('Enter');
  }

  it('F5 with no launch.json stops at a breakpoint once a door opens, shows the event, and steps back to the event before', async () => {
    const w = win();
    const page = w.page;
    await w.quickOpen('door-debug/app.js');
    await w.waitForActiveEditor('door-debug/app.js');
    await w.runCommand('Remove All Breakpoints');
    await w.focusEditorArea();
    await w.goTo(HANDLER_LINE);
    await page.keyboard.press('F9');
    await w.waitFor('.monaco-editor .codicon-debug-breakpoint');
    await page.keyboard.press('F5');
    await pickDebuggerIfAsked();
    await w.waitFor('.debug-toolbar');
    await w.runCommand('View: Show Run and Debug');
    // The app runs: the Simulator view lists what it subscribes to.
    await w.waitFor('.pane-header', /SmartPlug Simulator/);
    await shot('session');

    await injectDoor('open');
    await poll('a stop in doorChanged', async () => (await stackRows()).some((r) => /doorChanged/.test(r)));
    await w.waitFor('.debug-top-stack-frame-line');
    const vars = await poll('the event in the Variables view', async () => ((await variableRows()).some((r) => /evt/.test(r) && /value: "open"/.test(r)) ? variableRows() : undefined));
    assert.ok(vars.some((r) => /^SmartPlug/.test(r)), JSON.stringify(vars));
    await shot('stopped-open');

    await page.keyboard.press('F5');
    await injectDoor('closed');
    await poll('the second event in the Variables view', async () => (await variableRows()).some((r) => /evt/.test(r) && /value: "closed"/.test(r)));
    await shot('stopped-closed');

    // The toolbar has Step Back because the adapter supports it.
    await page.locator('.debug-toolbar .codicon-debug-step-back').click();
    await poll('the event before, after stepping back', async () => (await variableRows()).some((r) => /evt/.test(r) && /value: "open"/.test(r)));
    // The breakpoint is still there in the replayed session.
    await w.waitFor('.debug-breakpoints .monaco-list-row', /app\.js/);
    await shot('stepped-back');
    await page.keyboard.press('Shift+F5');
    await w.waitForGone('.debug-toolbar');
  });

});
