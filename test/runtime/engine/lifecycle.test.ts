import assert from 'node:assert/strict';
import { addStandardDevices, fixture, makeThing, src, TestThing } from './engine-helpers';

describe('ThingEngine lifecycle', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
  });

  describe('installed / updated / uninstalled', () => {
    it('calls installed() once on install, with the settings and config of the request', () => {
      const info = t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp', timeout: 5 } });
      assert.equal(info.id, 'door-light-1');
      assert.equal(info.name, 'door-light');
      assert.equal(info.version, '1.2.0');
      assert.deepEqual(t.appLogs(), ['installed with timeout 5']);
      assert.deepEqual(t.rec.executions.map((e) => [e.kind, e.handler, e.outcome]), [['installed', 'installed', 'ok']]);
      assert.deepEqual(t.rec.apps.map((a) => a.change), ['installed']);
      assert.deepEqual(t.rec.apps[0].install, { name: 'door-light', config: { door: 9, lamp: 'lamp', timeout: 5 }, parentId: undefined });
      assert.deepEqual(t.engine.appInfo(info.id).subscriptions, [{ kind: 'device', target: 'door', attribute: 'contact', value: 'open', handler: 'doorOpened' }]);
    });

    it('fills in defaults: the number input "timeout" is 10 when the config leaves it out', () => {
      const info = t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp' } });
      assert.deepEqual(info.config, { door: 9, lamp: 'lamp', timeout: 10 });
      assert.deepEqual(t.appLogs(), ['installed with timeout 10']);
    });

    it('uses the label and id given, and refuses a second app with the same id', () => {
      const info = t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp' }, label: 'Hall light', id: 'hall' });
      assert.equal(info.id, 'hall');
      assert.equal(info.label, 'Hall light');
      assert.throws(() => t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp' }, id: 'hall' }), {
        message: 'an app with id "hall" is already installed',
      });
      assert.deepEqual(t.engine.listApps().map((a) => a.id), ['hall']);
    });

    it('does not call updated() on install and an app without installed() installs quietly', () => {
      const info = t.engine.install({ source: src('function updated() { log.info("updated") }'), config: {} });
      assert.deepEqual(t.appLogs(), []);
      assert.deepEqual(t.rec.executions.map((e) => [e.kind, e.outcome]), [['installed', 'ok']]);
      assert.equal(t.engine.appInfo(info.id).label, 'test-app');
    });

    it('calls updated() on update with the new settings visible, and the new subscriptions work', () => {
      const info = t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp', timeout: 5 } });
      t.engine.update(info.id, { door: 9, lamp: 'lamp2', timeout: 1 });
      assert.deepEqual(t.appLogs(), ['installed with timeout 5', 'updated with timeout 1']);
      assert.deepEqual(t.engine.appInfo(info.id).config, { door: 9, lamp: 'lamp2', timeout: 1 });
      assert.deepEqual(t.rec.apps.map((a) => a.change), ['installed', 'updated']);
      t.engine.deviceEvent('door', 'contact', 'open');
      assert.deepEqual(t.rec.commands.map((c) => `${c.deviceId}.${c.command}`), ['lamp2.on']);
      t.clock.advance(60_000);
      assert.deepEqual(t.rec.commands.map((c) => `${c.deviceId}.${c.command}`), ['lamp2.on', 'lamp2.off']);
      assert.equal(t.appLogs().at(-1), 'light off after 1 minutes');
    });

    it('calls uninstalled() and then removes subscriptions, jobs and child devices', () => {
      const info = t.engine.install({
        source: src(`function installed() {
  subscribe(settings.door, "contact", onContact);
  runIn(60, "later");
  addChildDevice("kid-lamp", { label: "Kid lamp", capabilities: ["switch"] });
}
function onContact(evt) { log.info("contact", evt.value) }
function later() { log.info("later") }
function uninstalled() { log.info("uninstalled; children:", getChildDevices().map(function (d) { return d.id })) }`,
        { door: { type: 'single_device_selector', name: 'Door' } }),
        config: { door: 'door' },
      });
      const before = t.engine.appInfo(info.id);
      assert.equal(before.subscriptions.length, 1);
      assert.equal(before.jobs.length, 1);
      assert.ok(t.engine.devices.get('kid-lamp'));

      t.engine.uninstall(info.id);
      assert.deepEqual(t.appLogs(), ['uninstalled; children: ["kid-lamp"]']);
      assert.equal(t.engine.devices.get('kid-lamp'), undefined);
      assert.equal(t.engine.subs.ofApp(info.id).length, 0);
      assert.throws(() => t.engine.appInfo(info.id), { message: `no installed app with id "${info.id}"; installed: none` });
      assert.deepEqual(t.rec.apps.map((a) => a.change), ['installed', 'uninstalled']);

      // Neither the subscription nor the job runs any more.
      t.engine.deviceEvent('door', 'contact', 'open');
      t.clock.advance(120_000);
      assert.deepEqual(t.appLogs(), ['uninstalled; children: ["kid-lamp"]']);
      assert.equal(t.clock.pendingTimers(), 0);
    });

    it('uninstalling an unknown app does nothing and updating one says which apps exist', () => {
      t.engine.install({ source: src(''), config: {}, id: 'a' });
      t.engine.uninstall('nope');
      assert.deepEqual(t.engine.listApps().map((a) => a.id), ['a']);
      assert.throws(() => t.engine.update('nope', {}), { message: 'no installed app with id "nope"; installed: a' });
    });
  });

  describe('child apps', () => {
    let parentId: string;
    beforeEach(() => {
      t.engine.registerPackage(fixture('room-rule'));
      parentId = t.engine.install({ source: fixture('room-manager'), config: { lamp: 'lamp' } }).id;
    });

    function addRoom(label: string): string {
      const r = t.engine.callEndpoint(parentId, 'POST', '/rooms', { label });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return (r.body as { id: string }).id;
    }

    it('addChildApp installs the child with its config; the child calls parent.invoke() and the parent calls child.invoke()', () => {
      const r = t.engine.callEndpoint(parentId, 'POST', '/rooms', { label: 'Kitchen' });
      assert.deepEqual(r.body, { id: 'room-rule-2', label: 'Kitchen', name: 'room-rule' });
      const childId = 'room-rule-2';
      assert.deepEqual(t.engine.appInfo(parentId).children, [childId]);
      const child = t.engine.appInfo(childId);
      assert.equal(child.parentId, parentId);
      assert.equal(child.label, 'Kitchen');
      assert.deepEqual(child.config, { lamp: 'lamp' });
      // The child's installed() ran and got the parent's answer back.
      assert.deepEqual(child.state, { count: 1 });
      const asked = t.engine.callEndpoint(parentId, 'GET', '/rooms');
      assert.deepEqual(asked.body, ['Kitchen controls Hall lamp (asked by room-manager)']);
      assert.deepEqual(t.rec.apps.map((a) => [a.change, a.appId, a.install?.parentId]), [
        ['installed', parentId, undefined],
        ['installed', childId, parentId],
      ]);
    });

    it('persists the state a parent changes inside a method its child invoked', () => {
      addRoom('Kitchen');
      assert.deepEqual(t.engine.appInfo(parentId).state, { reports: ['Kitchen: installed'], removed: [] });
      const persisted = t.rec.persists.filter((p) => p.appId === parentId).at(-1)!;
      assert.equal(persisted.snapshot.state, JSON.stringify({ reports: ['Kitchen: installed'], removed: [] }));
    });

    it('deleteChildApp uninstalls the child (its uninstalled() runs) and calls childUninstalled() on the parent', () => {
      const childId = addRoom('Kitchen');
      const r = t.engine.callEndpoint(parentId, 'DELETE', `/rooms/${childId}`);
      assert.equal(r.status, 204);
      assert.deepEqual(t.engine.listApps().map((a) => a.id), [parentId]);
      assert.deepEqual(t.engine.appInfo(parentId).children, []);
      assert.deepEqual(t.appLogs(parentId), [`child uninstalled ${childId} Kitchen room-rule`]);
      assert.deepEqual(t.engine.appInfo(parentId).state, { reports: ['Kitchen: installed', 'Kitchen: uninstalled'], removed: ['Kitchen'] });
      assert.deepEqual(t.rec.executions.filter((e) => e.appId === parentId).map((e) => e.kind), [
        'installed', 'endpoint', 'invoke', 'endpoint', 'invoke', 'childUninstalled',
      ]);
      assert.deepEqual(t.rec.executions.filter((e) => e.appId === childId).map((e) => e.kind), ['installed', 'uninstalled']);
    });

    it('deleteChildApp of an app that is not a child fails with a message and removes nothing', () => {
      const other = t.engine.install({ source: src(''), config: {} }).id;
      const r = t.engine.callEndpoint(parentId, 'DELETE', `/rooms/${other}`);
      assert.equal(r.status, 500);
      assert.deepEqual(t.rec.errors.map((e) => e.message), [`deleteChildApp: "${other}" is not a child app of this app`]);
      assert.deepEqual(t.engine.listApps().map((a) => a.id).sort(), [other, parentId].sort());
    });

    it('addChildApp of an unknown package names the known ones', () => {
      const maker = t.engine.install({ source: src('function installed() { addChildApp("room-rul", "X", {}) }', {}, 'maker'), config: {} });
      assert.deepEqual(t.rec.errors.map((e) => [e.appId, e.handler, e.message]), [
        [maker.id, 'installed', 'addChildApp: no app named "room-rul" is available; known apps: room-rule, room-manager, maker'],
      ]);
    });

    it('invoke between apps that are not parent and child is refused; parent is null for a top-level app', () => {
      const lonely = t.engine.install({ source: src(`function installed() {
  log.info("parent:", String(parent), "children:", getChildApps().length, getChildAppByLabel("x"));
}`), config: {} }).id;
      assert.deepEqual(t.appLogs(lonely), ['parent: null children: 0 null']);
      const services = (t.engine as unknown as { services: { invoke(app: unknown, target: string, m: string, args: unknown[]): string } }).services;
      assert.throws(() => services.invoke(t.engine.apps.get(lonely), parentId, 'report', ['x', 'y']), {
        message: `invoke: "${parentId}" is neither this app's parent nor one of its children`,
      });
    });

    it('a method the invoked app lacks fails in the caller with the callee named', () => {
      const childId = addRoom('Kitchen');
      const child = t.engine.apps.get(childId)!;
      const services = (t.engine as unknown as { services: { invoke(app: unknown, target: string, m: string, args: unknown[]): string } }).services;
      assert.throws(() => services.invoke(child, parentId, 'reprot', []), { message: 'room-manager.reprot() failed: app room-manager has no function "reprot"' });
    });

    it('uninstalling the parent uninstalls its children first', () => {
      const childId = addRoom('Kitchen');
      t.engine.uninstall(parentId);
      assert.deepEqual(t.engine.listApps(), []);
      assert.deepEqual(t.rec.apps.filter((a) => a.change === 'uninstalled').map((a) => a.appId), [childId, parentId]);
    });
  });
});
