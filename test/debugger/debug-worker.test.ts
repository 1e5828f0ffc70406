/**
 * The worker's debug mode, below the adapter: the engine thread's inspector reached through the
 * warden's relay, and CPU limits and the watchdog that leave out the time spent paused.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Protocol } from 'devtools-protocol';
import { CdpClient } from '../../debugger/cdp-client';
import { loadAppFolder } from '../../runtime/app/load-app';
import { parseDevicesFile } from '../../runtime/devices/devices-file';
import { readFileSync } from 'node:fs';
import { DEBUGGEE_DIR, DEBUGGEE_JS, lineOf } from './debuggee';
import { startRuntime, until, type TestRuntime } from '../runtime/host/host-helpers';

const APP_DIR = DEBUGGEE_DIR;
const APP_URL = pathToFileURL(DEBUGGEE_JS).href;
const scripts = new Map<string, string>();
/** doorChanged's first line (0-based, as CDP counts); a loop of 5,000 guarded turns follows it. */
const HANDLER_LINE = lineOf('handler') - 1;

async function debugRuntime(cpuLimitMs: number): Promise<{ t: TestRuntime; cdp: CdpClient; paused: Protocol.Debugger.PausedEvent[]; attached: () => number }> {
  const cdp = new CdpClient(() => undefined);
  const paused: Protocol.Debugger.PausedEvent[] = [];
  cdp.on('Debugger.scriptParsed', (e) => scripts.set(e.scriptId, e.url));
  let attaches = 0;
  cdp.on('Debugger.paused', (e) => {
    // A thread that waited for the debugger stops on its first line once told to run.
    if ((e.reason as string) === 'Break on start') void cdp.send('Debugger.resume');
    else paused.push(e);
  });
  const t = await startRuntime({
    debug: true,
    cpuLimitMs,
    onInspector: (m, to) => {
      if (m.kind === 'inspector') return cdp.receive(m.message);
      attaches++;
      cdp.retarget(to);
      void (async () => {
        await cdp.send('Debugger.enable');
        await cdp.send('Debugger.setBreakpointByUrl', { url: APP_URL, lineNumber: HANDLER_LINE });
        await cdp.send('Runtime.runIfWaitingForDebugger');
      })();
    },
  });
  const pkg = loadAppFolder(APP_DIR);
  for (const d of parseDevicesFile(readFileSync(path.join(APP_DIR, 'devices.json'), 'utf8'), 'devices.json')) await t.rt.addDevice(d);
  const config = (JSON.parse(readFileSync(path.join(APP_DIR, 'instance.json'), 'utf8')) as { config: Record<string, unknown> }).config;
  await t.rt.install({ source: pkg, config });
  return { t, cdp, paused, attached: () => attaches };
}

describe('debugger: the worker in debug mode', function () {
  this.timeout(60_000);

  it('stops at a breakpoint in a handler after a device event, in the same sandboxed worker, without the permission model', async () => {
    const { t, cdp, paused } = await debugRuntime(2000);
    try {
      assert.equal(t.rt.permissionModel, false);
      const delivered = t.rt.deviceEvent('front-door', 'contact', 'open');
      await until(() => paused.length > 0, 'the debuggee to pause');
      const top = paused[0].callFrames[0];
      assert.equal(scripts.get(top.location.scriptId), APP_URL);
      assert.equal(top.functionName, 'doorChanged');
      assert.equal(top.location.lineNumber, HANDLER_LINE);
      // The event is there to look at, in the app's own realm.
      const evt = await cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: top.callFrameId, expression: 'evt.deviceId + " " + evt.value' });
      assert.equal(evt.result.value, 'front-door open');
      await cdp.send('Debugger.resume');
      await delivered;
      assert.ok(t.rec.logs.some((l) => /door open, opened 1 time\(s\), sum 12497500/.test(l.message)), 'the handler ran to its end');
    } finally {
      await t.rt.close();
    }
  });

  it('does not count a long pause against the CPU limit, and the watchdog does not stop the worker', async () => {
    const { t, cdp, paused } = await debugRuntime(150);
    try {
      const delivered = t.rt.deviceEvent('front-door', 'contact', 'open');
      await until(() => paused.length > 0, 'the debuggee to pause');
      // Ten times the CPU limit, and past the 5 s heartbeat timeout of the pool.
      await new Promise((r) => setTimeout(r, 6000));
      await cdp.send('Debugger.resume');
      await delivered;
      assert.deepEqual(t.rec.errors.map((e) => e.message), []);
      assert.ok(t.rec.logs.some((l) => /door open, opened 1 time\(s\), sum 12497500/.test(l.message)));
      assert.deepEqual(t.workers.filter((w) => w.change !== 'started').map((w) => w.change), [], 'the worker was neither restarted nor its engine thread replaced');
    } finally {
      await t.rt.close();
    }
  });
});
