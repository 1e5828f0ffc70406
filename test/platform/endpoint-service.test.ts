/**
 * The agent's side of app endpoints (platform/agent/endpoint-service.ts), on a real runtime Thing:
 * what it answers, and what it does with a request it cannot take. A malformed request with a
 * respond topic of the Thing's gets a 400 there (the platform's caller sees the reason at once,
 * not a 504 after the timeout); one without such a topic is answered nowhere, and the Thing says so
 * on its own event channel.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EndpointService } from '../../platform/agent/endpoint-service';
import { loadAppFolder } from '../../runtime/app/load-app';
import { SmartPlugRuntime } from '../../runtime/host/runtime';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'apps', 'web-switches');
const RESPOND = 'glp/0/thing-1/ev/=endpoint/replica-a/1';

describe('the agent answers endpoint requests, and refuses bad ones out loud', function () {
  this.timeout(30_000);
  let rt: SmartPlugRuntime;
  let service: EndpointService;
  let appId: string;
  const published: Array<{ topic: string; reply: { status: number; body: unknown } }> = [];
  const events: Array<{ message: string; code: string }> = [];

  before(async () => {
    rt = await SmartPlugRuntime.start({ clock: 'virtual', start: Date.UTC(2024, 0, 1), isolation: 'inline' });
    await rt.addDevice({ id: 'hall-lamp', label: 'Hall lamp', capabilities: ['switch'] });
    const pkg = loadAppFolder(FIXTURE);
    appId = (await rt.install({ source: { name: pkg.name, scriptFile: pkg.scriptFile, script: pkg.script, appJson: pkg.appJson }, config: { switches: ['hall-lamp'] } })).id;
    service = new EndpointService({
      thingId: 'thing-1',
      thing: rt,
      appOf: (installationId) => (installationId === 7 ? appId : undefined),
      publish: (topic, payload) => published.push({ topic, reply: JSON.parse(payload) }),
      event: (message, code) => events.push({ message, code }),
    });
  });

  after(async () => {
    await rt?.close();
  });

  beforeEach(() => {
    published.length = 0;
    events.length = 0;
  });

  const send = (request: unknown) => service.receive(Buffer.from(typeof request === 'string' ? request : JSON.stringify(request)), 'glp/0/thing-1/rq/=endpoint/do');

  it("a request the app's route answers, and one for an installation the Thing does not run (404)", async () => {
    await send({ action: 'call', args: { installation_id: 7, method: 'GET', path: '/switches' }, respond: RESPOND });
    await send({ action: 'call', args: { installation_id: 8, method: 'GET', path: '/switches' }, respond: RESPOND });
    assert.deepEqual(published.map((p) => [p.topic, p.reply.status]), [[RESPOND, 200], [RESPOND, 404]]);
    assert.match(JSON.stringify(published[1].reply.body), /runs no app of installation 8/);
    assert.deepEqual(events, []);
  });

  it('a malformed request with its respond topic gets a 400 there, saying what was wrong', async () => {
    await send({ action: 'call', args: { installation_id: 7, method: 'TRACE', path: '/switches' }, respond: RESPOND });
    await send({ action: 'call', args: { installation_id: 7, method: 'GET' }, respond: RESPOND });
    assert.deepEqual(published.map((p) => [p.topic, p.reply.status]), [[RESPOND, 400], [RESPOND, 400]]);
    assert.match(JSON.stringify(published[0].reply.body), /BadRequest.*the Thing refused the request: .*\/args\/method must be equal to one of the allowed values; see schemas\/platform\/endpoint-request.schema.json/);
    assert.match(JSON.stringify(published[1].reply.body), /\/args lacks \\"path\\"/);
    assert.deepEqual(events, []);
  });

  it("without a respond topic of the Thing's it is answered nowhere, and the Thing says why on its own channel", async () => {
    await send('not json');
    await send({ action: 'call', args: { installation_id: 7, method: 'GET', path: '/switches' }, respond: 'glp/0/thing-2/ev/=endpoint/replica-a/1' });
    await send({ action: 'call', args: { installation_id: 7, method: 'GET', path: '/switches' }, respond: 'glp/0/thing-1/ev/=endpoint/#' });
    await send({ action: 'call', args: { installation_id: 7, method: 'GET', path: '/switches' } });
    assert.deepEqual(published, [], 'nothing was published');
    assert.deepEqual(events.map((e) => e.code), ['endpoint-respond', 'endpoint-respond', 'endpoint-respond', 'endpoint-respond']);
    assert.match(events[0].message, /refused an endpoint request on glp\/0\/thing-1\/rq\/=endpoint\/do: .*the payload is not JSON.*its respond topic: it names none; it was not answered/);
    assert.match(events[1].message, /"glp\/0\/thing-2\/ev\/=endpoint\/replica-a\/1" is not a topic under glp\/0\/thing-1\/ev\/=endpoint\//);
    assert.match(events[2].message, /"glp\/0\/thing-1\/ev\/=endpoint\/#" is not a topic under/);
    assert.match(events[3].message, /lacks "respond".*it names none/);
  });
});
