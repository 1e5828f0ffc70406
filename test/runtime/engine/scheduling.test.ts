import assert from 'node:assert/strict';
import { addStandardDevices, makeThing, src, T0, TestThing } from './engine-helpers';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** tick/tock log the virtual time they run at and their data. */
const HANDLERS = `
function tick(data) { log.info("tick", new Date().toISOString(), data === undefined ? "-" : data) }
function tock(data) { log.info("tock", new Date().toISOString(), data === undefined ? "-" : data) }
function onTouch() { state.touches = (state.touches || 0) + 1; touched(state.touches) }
`;

describe('ThingEngine scheduling', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
  });

  /** installed() body, plus touched(n) run on the n-th touch. */
  function install(installedBody: string, touched = 'function touched(n) {}') {
    return t.engine.install({ source: src(`function installed() { subscribe(app, onTouch);\n${installedBody}\n}\n${HANDLERS}\n${touched}`), config: {} }).id;
  }

  describe('runIn', () => {
    it('a 10-minute runIn fires exactly once when the clock passes it in one step', () => {
      const id = install('runIn(600, tick)');
      assert.deepEqual(t.engine.appInfo(id).jobs, [{ id: 1, handler: 'tick', kind: 'once', at: T0 + 10 * MIN, data: '' }]);
      t.clock.advance(10 * MIN - 1);
      assert.deepEqual(t.appLogs(), []);
      t.clock.advance(10 * MIN);
      assert.deepEqual(t.appLogs(), [`tick ${iso(T0 + 10 * MIN)} -`]);
      assert.deepEqual(t.engine.appInfo(id).jobs, []);
      assert.deepEqual(t.rec.executions.map((e) => [e.kind, e.handler]), [['installed', 'installed'], ['schedule', 'tick']]);
    });

    it('by default a new runIn for the same handler replaces the pending one', () => {
      const id = install('runIn(60, tick, { data: "first" })', 'function touched() { runIn(120, tick, { data: "second" }) }');
      t.clock.advance(30_000);
      t.engine.touch(id);
      assert.equal(t.engine.appInfo(id).jobs.length, 1);
      t.clock.advance(10 * MIN);
      assert.deepEqual(t.appLogs(), [`tick ${iso(T0 + 150_000)} second`]);
    });

    it('overwrite: false keeps both, and other handlers are never replaced', () => {
      install('runIn(60, tick, { data: 1 }); runIn(120, tick, { overwrite: false, data: { n: 2 } }); runIn(90, tock)');
      t.clock.advance(10 * MIN);
      assert.deepEqual(t.appLogs(), [`tick ${iso(T0 + MIN)} 1`, `tock ${iso(T0 + 90_000)} -`, `tick ${iso(T0 + 2 * MIN)} {"n":2}`]);
    });

    it('runIn(0) runs after the current execution, on the next advance', () => {
      install('runIn(0, tick); log.info("installed done")');
      assert.deepEqual(t.appLogs(), ['installed done']);
      t.clock.advance(0);
      assert.deepEqual(t.appLogs(), ['installed done', `tick ${iso(T0)} -`]);
    });

    it('refuses bad delays, unknown handler names (with did-you-mean) and data over 2500 characters', () => {
      install(`try { runIn(-1, tick) } catch (e) { log.warn(e.message) }
try { runIn(Infinity, tick) } catch (e) { log.warn(e.message) }
try { var n = "tikc"; runIn(5, n) } catch (e) { log.warn(e.message) }
try { runIn(5, 42) } catch (e) { log.warn(e.message) }
try { runIn(5, tick, { data: { big: "x".repeat(3000) } }) } catch (e) { log.warn(e.message) }`);
      assert.deepEqual(t.appLogs(), [
        'runIn: delay must be a finite number of seconds >= 0, got -1',
        'runIn: delay must be a finite number of seconds >= 0, got null',
        `runIn: "tikc" is not a function defined in app.js; did you mean 'tick'?; define function tikc(evt) { … } or pass the function itself`,
        'runIn: the handler must be a function or the name of a function in app.js, got 42',
        'schedule data is 3010 characters; the limit is 2500',
      ]);
      assert.deepEqual(t.engine.appInfo('test-app-1').jobs, []);
    });

    it('allows at most 100 pending jobs per app; canSchedule() says when the limit is reached', () => {
      install(`for (var i = 0; i < 100; i++) runIn(60 + i, tick, { overwrite: false });
log.info("can", canSchedule());
try { runIn(1, tock) } catch (e) { log.warn(e.message) }`);
      assert.deepEqual(t.appLogs(), ['can false', 'this app already has 100 scheduled jobs; unschedule() some, or pass { overwrite: true }']);
      assert.equal(t.engine.appInfo('test-app-1').jobs.length, 100);
    });
  });

  describe('runOnce', () => {
    it('runs once at a Date, an ISO string or epoch ms; a time in the past runs at once', () => {
      install(`runOnce(new Date(Date.now() + 60000), tick, { data: "date" });
runOnce("${iso(T0 + 2 * MIN)}", tock, { data: "iso" });
runOnce(${T0 + 3 * MIN}, "tick", { overwrite: false, data: "ms" });
runOnce(${T0 - 3 * MIN}, "tock", { overwrite: false, data: "past" })`);
      t.clock.advance(10 * MIN);
      assert.deepEqual(t.appLogs(), [
        `tock ${iso(T0)} past`,
        `tick ${iso(T0 + MIN)} date`,
        `tock ${iso(T0 + 2 * MIN)} iso`,
        `tick ${iso(T0 + 3 * MIN)} ms`,
      ]);
      assert.deepEqual(t.engine.appInfo('test-app-1').jobs, []);
    });

    it('refuses something that is not a date', () => {
      install('try { runOnce("tomorrow", tick) } catch (e) { log.warn(e.message) }');
      assert.deepEqual(t.appLogs(), ['runOnce: "tomorrow" is not a date; pass a Date, epoch ms or an ISO time such as "2024-06-22T07:30:00"']);
    });
  });

  describe('schedule', () => {
    it('a Quartz cron expression fires repeatedly in the location time zone', () => {
      // Every 15 minutes at second 0.
      const id = install('schedule("0 0/15 * * * ?", tick)');
      assert.equal(t.engine.appInfo(id).jobs[0].kind, 'cron');
      t.clock.advance(46 * MIN);
      assert.deepEqual(t.appLogs(), [`tick ${iso(T0 + 15 * MIN)} -`, `tick ${iso(T0 + 30 * MIN)} -`, `tick ${iso(T0 + 45 * MIN)} -`]);
      assert.deepEqual(t.engine.appInfo(id).jobs.map((j) => j.at), [T0 + 60 * MIN]);
    });

    it('a cron expression with an hour is read in the location time zone (London, BST)', () => {
      install('schedule("0 30 14 * * ?", tick)');
      t.clock.advance(24 * 60 * MIN);
      // 14:30 BST is 13:30 UTC.
      assert.deepEqual(t.appLogs(), [`tick ${iso(Date.parse('2024-06-21T13:30:00Z'))} -`]);
    });

    it('refuses a schedule that fires more than once a minute and a 5-field Unix cron, saying how to fix them', () => {
      install(`try { schedule("*/10 * * * * ?", tick) } catch (e) { log.warn(e.message) }
try { schedule("0 * * * *", tick) } catch (e) { log.warn(e.message) }`);
      assert.deepEqual(t.appLogs(), [
        'cron field 1 (second) "*/10" would fire more than once a minute, which SmartThings schedules may not do; use a single second value 0-59, e.g. 0',
        'cron expression "0 * * * *" has 5 fields; expected 6 or 7: second minute hour day-of-month month day-of-week [year]; this looks like a 5-field Unix cron, add a seconds field in front: "0 0 * * * *"',
      ]);
      assert.deepEqual(t.engine.appInfo('test-app-1').jobs, []);
    });

    it('a time of day repeats daily at that local time; a new schedule for the handler replaces the old', () => {
      const id = install('schedule("07:30", tick); schedule("08:00", tock, { data: "d" })', 'function touched() { schedule("09:15", tock) }');
      t.engine.touch(id);
      t.clock.advance(2 * 24 * 60 * MIN);
      // 07:30 BST = 06:30 UTC, 09:15 BST = 08:15 UTC, on the 22nd and the 23rd.
      assert.deepEqual(t.appLogs(), [
        `tick ${iso(Date.parse('2024-06-22T06:30:00Z'))} -`,
        `tock ${iso(Date.parse('2024-06-22T08:15:00Z'))} -`,
        `tick ${iso(Date.parse('2024-06-23T06:30:00Z'))} -`,
        `tock ${iso(Date.parse('2024-06-23T08:15:00Z'))} -`,
      ]);
    });

    it('refuses an invalid time of day', () => {
      install('try { schedule("25:00", tick) } catch (e) { log.warn(e.message) }');
      assert.deepEqual(t.appLogs(), [
        'invalid time "25:00": hour 25 is out of range 0-23; use "HH:mm" (e.g. "07:30"), "HH:mm:ss", an ISO date-time such as "2015-01-09T15:50:32.000-0600" or "2015-01-09T21:50:32Z", or epoch milliseconds',
      ]);
    });

    it('runEvery5Minutes first runs within five minutes, then every five minutes', () => {
      const id = install('runEvery5Minutes(tick, { data: "e" })');
      const first = t.engine.appInfo(id).jobs[0];
      assert.equal(first.kind, 'every');
      assert.equal(first.everyMinutes, 5);
      assert.ok(first.at > T0 && first.at <= T0 + 5 * MIN, `first run at +${first.at - T0} ms`);
      t.clock.advanceTo(first.at + 15 * MIN);
      assert.deepEqual(t.appLogs(), [0, 5, 10, 15].map((m) => `tick ${iso(first.at + m * MIN)} e`));
    });
  });

  describe('unschedule', () => {
    it('unschedule(handler) removes that handler\'s jobs only; unschedule() removes all', () => {
      const id = install('runIn(60, tick); schedule("0 0/5 * * * ?", tick); runIn(120, tock); schedule("0 0 3 * * ?", tock)', `function touched(n) {
  if (n === 1) unschedule(tick); else unschedule();
}`);
      assert.equal(t.engine.appInfo(id).jobs.length, 4);
      t.engine.touch(id);
      assert.deepEqual(t.engine.appInfo(id).jobs.map((j) => j.handler), ['tock', 'tock']);
      t.clock.advance(3 * MIN);
      assert.deepEqual(t.appLogs(), [`tock ${iso(T0 + 2 * MIN)} -`]);
      t.engine.touch(id);
      assert.deepEqual(t.engine.appInfo(id).jobs, []);
      t.clock.advance(3 * 60 * MIN);
      assert.deepEqual(t.appLogs(), [`tock ${iso(T0 + 2 * MIN)} -`]);
    });

    it('jobs of a handler that failed keep the app running; the next job still fires', () => {
      install('runIn(60, boom); runIn(120, tick)', 'function boom() { throw new Error("kaboom") }');
      t.clock.advance(3 * MIN);
      // boom() is on line 9 of the script.
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.line]), [['boom', 'kaboom', 9]]);
      assert.deepEqual(t.appLogs(), [`tick ${iso(T0 + 2 * MIN)} -`]);
      assert.deepEqual(t.rec.executions.map((e) => e.outcome), ['ok', 'error', 'ok']);
    });
  });
});
