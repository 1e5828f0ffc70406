/**
 * A code cache of the engine thread's bundle as it runs, not only as it compiles. V8 compiles a
 * function when it is first called; a cache made from the compiled-not-run bundle (code-cache.ts)
 * holds only the top level, so every new engine thread compiled the whole install and dispatch path
 * again for its first apps (a restore after a re-spawn, a fleet's provisioning). Here the warden
 * starts a thread of its own (a maker) from the same loader, has it run a built-in sample app
 * through the call table (a Thing, devices, install, events, a timer, an update, an uninstall) and
 * then asks it for the cache of its script, which now holds those functions' bytecode.
 *
 * Only this sample app, a constant of the bundle, ever runs in the maker: no user's app does, so
 * what it sends is the warden's own cache. An engine thread where apps run cannot send one (it has
 * no `warmup` in its workerData, and the warden drops a `code-cache` message from it).
 */
import { Worker } from 'node:worker_threads';
import type { AppSource } from '../engine/installed-app';
import type { CallArgs, CallMessage, CallName, ReplyMessage } from '../host/protocol';
import { THREAD_LOADER } from './code-cache';
import { SLOT_BYTES } from './execution-slot';

const THING = 'warm-up';

/** What the sample app uses is what most apps use: selectors, subscriptions, state, a timer, logs, a notification. */
const SAMPLE: AppSource = {
  name: 'warm-up',
  scriptFile: '/warm-up/app.js',
  appJson: {
    input: {
      door: { type: 'single_function_selector', name: 'Door', filter: { type: 'door' } },
      lamp: { type: 'single_function_selector', name: 'Lamp', value: true },
      sensor: { type: 'single_device_selector', name: 'Sensor' },
      minutes: { type: 'number', name: 'Minutes', default: 1 },
      alarm: { type: 'single_notification_output_selector', name: 'Alarm' },
      prefix: { type: 'text', name: 'Prefix', default: 'Home' },
    },
    guide: [{ id: 'all', input_fields: ['door', 'lamp', 'sensor', 'minutes', 'alarm', 'prefix'] }],
  } as unknown as AppSource['appJson'],
  script: `function installed() { initialize() }
function updated() { unsubscribe(); unschedule(); initialize() }
function initialize() {
  subscribe(settings.door, 'contact.open', opened);
  subscribe(settings.sensor, 'temperature', warm);
  if (!state.opens) state.opens = 0;
  log.info(settings.prefix + ': watching');
}
function opened(evt) {
  settings.lamp.set(settings.lamp.value);
  state.opens += 1;
  runIn(settings.minutes * 60, off);
  log.info(evt.displayName + ' opened at ' + new Date(now()).toISOString());
}
function off() { settings.lamp.set(0); log.debug('off') }
function warm(evt) {
  state.last = evt.numericValue;
  if (evt.numericValue > 25) sendNotification(settings.alarm, settings.prefix + ': ' + evt.displayName + ' is ' + evt.value);
}`,
};

const CONFIG = { door: 1, lamp: { '3': 80 }, sensor: 'kitchen', minutes: 1, alarm: 7, prefix: 'Home' };

type Call = { [K in CallName]: [K, CallArgs<K>] }[CallName];

/** The calls the maker runs, in order (typed by the call table: a changed call fails the build here). */
function warmupCalls(): Call[] {
  return [
    ['createThing', [{ clock: 'virtual', start: Date.UTC(2024, 0, 1) }]],
    ['addDevice', [{ id: 'door', label: 'Door', capabilities: ['contactSensor'], attributes: { contact: 'closed' }, functionIds: { contact: 1 } }]],
    ['addDevice', [{ id: 'lamp', label: 'Lamp', capabilities: ['switch', 'switchLevel'], attributes: { switch: 'off', level: 0 }, functionIds: { switch: 2, level: 3 } }]],
    ['addDevice', [{ id: 'kitchen', label: 'Kitchen', capabilities: ['temperatureMeasurement'], attributes: { temperature: 21 } }]],
    ['install', [{ source: SAMPLE, config: CONFIG }]],
    ['deviceEvent', ['door', 'contact', 'open']],
    ['deviceEvents', [[['kitchen', 'temperature', 24], ['kitchen', 'temperature', 26], ['door', 'contact', 'closed']]]],
    ['advance', [61_000]],
    ['listApps', []],
    ['devices', []],
  ];
}

/** Runs the sample app in a maker thread; resolves with the cache of the bundle (base64). */
export async function makeWarmCodeCache(file: string, timeoutMs = 20_000): Promise<string> {
  const maker = new Worker(THREAD_LOADER, {
    eval: true,
    workerData: { slot: new SharedArrayBuffer(SLOT_BYTES), file, warmup: true },
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: 64 },
    stdout: false,
    stderr: false,
  });
  const timer = setTimeout(() => void maker.terminate(), timeoutMs);
  try {
    let id = 0;
    let appId: string | undefined;
    const ask = (m: object, answered: (r: { kind?: string; id?: number }) => boolean) =>
      new Promise<unknown>((resolve, reject) => {
        const onMessage = (r: ReplyMessage | { kind: 'code-cache'; data: string }) => {
          if (!answered(r)) return;
          maker.off('message', onMessage);
          maker.off('exit', onExit);
          if (r.kind === 'reply' && !r.ok) reject(new Error(`the warm-up's call failed: ${r.error?.message ?? 'no reason given'}`));
          else resolve(r.kind === 'reply' ? r.result : r.data);
        };
        const onExit = () => reject(new Error('the warm-up thread ended'));
        maker.on('message', onMessage);
        maker.once('exit', onExit);
        maker.postMessage(m);
      });
    const call = (op: CallName, args: unknown[]) => {
      const m = { kind: 'call', id: ++id, thing: THING, op, args } as CallMessage;
      const mine = id;
      return ask(m, (r) => r.kind === 'reply' && r.id === mine);
    };
    for (const [op, args] of warmupCalls()) {
      const result = await call(op, args as unknown[]);
      if (op === 'install') appId = (result as { id: string }).id;
    }
    // An update and an uninstall: their paths too.
    await call('update', [appId!, { ...CONFIG, minutes: 2 }]);
    await call('uninstall', [appId!]);
    await call('disposeThing', []);
    return (await ask({ kind: 'make-code-cache' }, (r) => r.kind === 'code-cache')) as string;
  } finally {
    clearTimeout(timer);
    await maker.terminate();
  }
}
