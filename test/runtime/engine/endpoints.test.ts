import assert from 'node:assert/strict';
import { addStandardDevices, fixture, makeThing, src, T0, TestThing } from './engine-helpers';

describe('ThingEngine web-service endpoints', () => {
  let t: TestThing;
  let id: string;
  beforeEach(() => {
    t = makeThing({ rateLimit: { executions: 5, windowMs: 60_000 } });
    addStandardDevices(t.engine);
    id = t.engine.install({ source: fixture('web-switches'), config: { switches: ['lamp', 'lamp2'] } }).id;
  });

  // installed() is the first execution of the window: a first call is the second.
  const rate = (used: number, ttl = 60) => ({ 'x-ratelimit-limit': '5', 'x-ratelimit-current': String(used), 'x-ratelimit-ttl': String(ttl) });

  it('lists its routes in appInfo', () => {
    assert.deepEqual(t.engine.appInfo(id).routes, ['GET /switches', 'GET /switches/:id', 'POST /switches/:id/:command', 'PUT /mode', 'DELETE /switches/:id', 'GET /teapot']);
  });

  it('GET answers 200 with the returned body and the rate-limit headers', () => {
    const r = t.engine.callEndpoint(id, 'GET', '/switches');
    assert.deepEqual(r, {
      status: 200,
      headers: { 'content-type': 'application/json', ...rate(2) },
      body: [{ id: 'lamp', name: 'Hall lamp', value: 'off' }, { id: 'lamp2', name: 'Porch lamp', value: 'off' }],
    });
    assert.deepEqual(t.rec.executions.at(-1)!.kind, 'endpoint');
  });

  it('passes path parameters and the query', () => {
    const r = t.engine.callEndpoint(id, 'get', '/switches/lamp2?verbose=true&x=1');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { id: 'lamp2', value: 'off', verbose: true });
  });

  it('POST answers 201 and the handler sees the body', () => {
    const r = t.engine.callEndpoint(id, 'POST', '/switches/lamp/on', { by: 'test' });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, { id: 'lamp', command: 'on' });
    assert.equal(t.engine.currentValue('lamp', 'switch'), 'on');
    assert.deepEqual(t.engine.appInfo(id).state, { lastCommand: 'on lamp {"by":"test"}' });
    assert.deepEqual(t.rec.deviceEvents.map((e) => [e.name, e.value, e.source, e.causedBy]), [['switch', 'on', 'APP_COMMAND', id]]);
  });

  it('PUT and DELETE answer 204 with no body', () => {
    const put = t.engine.callEndpoint(id, 'PUT', '/mode', { mode: 'Away' });
    assert.deepEqual(put, { status: 204, headers: { 'content-type': 'application/json', ...rate(2) }, body: null });
    assert.equal(t.engine.location.mode, 'Away');
    const del = t.engine.callEndpoint(id, 'DELETE', '/switches/lamp2');
    assert.equal(del.status, 204);
    assert.equal(del.body, null);
    assert.deepEqual(t.engine.appInfo(id).state, { deleted: 'lamp2' });
  });

  it('render() sets status, content type and data', () => {
    const r = t.engine.callEndpoint(id, 'GET', '/teapot');
    assert.deepEqual(r, { status: 418, headers: { 'content-type': 'text/plain', ...rate(2) }, body: "I'm a teapot" });
  });

  it('httpError() answers with its status and message; the app log stays clean', () => {
    const missing = t.engine.callEndpoint(id, 'GET', '/switches/garage');
    assert.deepEqual(missing, { status: 404, headers: { 'content-type': 'application/json', ...rate(2) }, body: { error: true, type: 'SmartAppException', message: 'no switch garage' } });
    const bad = t.engine.callEndpoint(id, 'POST', '/switches/lamp/dance');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: true, type: 'SmartAppException', message: 'dance is not a switch command' });
    assert.deepEqual(t.rec.errors, []);
  });

  it('answers 404 for an unmapped path, listing the mapped routes', () => {
    const r = t.engine.callEndpoint(id, 'GET', '/lights');
    assert.deepEqual(r, {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: {
        error: true, type: 'NotFound',
        message: 'no mapping for /lights; mapped: GET /switches, GET /switches/:id, POST /switches/:id/:command, PUT /mode, DELETE /switches/:id, GET /teapot',
      },
    });
    assert.deepEqual(t.rec.executions.map((e) => e.kind), ['installed']);
  });

  it('answers 405 with Allow for a mapped path and another method', () => {
    const r = t.engine.callEndpoint(id, 'PATCH', '/switches/lamp');
    assert.deepEqual(r, {
      status: 405,
      headers: { 'content-type': 'application/json', allow: 'GET, DELETE' },
      body: { error: true, type: 'MethodNotAllowed', message: 'PATCH is not allowed on /switches/lamp' },
    });
  });

  it('answers 429 with X-RateLimit headers when the app is rate limited, and works again in the next window', () => {
    for (let i = 2; i <= 5; i++) assert.equal(t.engine.callEndpoint(id, 'GET', '/switches').headers['x-ratelimit-current'], String(i));
    t.clock.advance(20_000);
    const limited = t.engine.callEndpoint(id, 'GET', '/switches');
    assert.deepEqual(limited, {
      status: 429,
      headers: { 'content-type': 'application/json', ...rate(5, 40) },
      body: { error: true, type: 'RateLimit', message: 'Please try again later' },
    });
    t.clock.advance(40_000);
    const again = t.engine.callEndpoint(id, 'GET', '/switches');
    assert.equal(again.status, 200);
    assert.deepEqual(again.headers, { 'content-type': 'application/json', ...rate(1) });
  });

  it('a handler that throws answers 500 and reports the error with its app.js line', () => {
    const app = t.engine.install({
      source: src(`function installed() { mappings({ "GET /boom": boom, "GET /promise": promised }) }
function boom() {
  return null.value;
}
async function promised() { return 1 }`),
      config: {},
    }).id;
    const r = t.engine.callEndpoint(app, 'GET', '/boom');
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { error: true, type: 'SmartAppException', message: 'the handler failed; see the app log' });
    assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.line]), [['boom', "Cannot read properties of null (reading 'value')", 3]]);
    const p = t.engine.callEndpoint(app, 'GET', '/promise');
    assert.equal(p.status, 500);
    assert.equal(t.rec.errors[1].message, 'web-service handlers must return a value, not a Promise');
    assert.equal(t.rec.executions.at(-1)!.outcome, 'error');
    assert.equal(t.rec.executions.at(-1)!.time, T0);
  });

  it('mappings() refuses a route that is not "METHOD /path" and paths deeper than 4 levels', () => {
    t.engine.install({ source: src('function installed() { mappings({ "/status": h }) }\nfunction h() {}'), config: {} });
    t.engine.install({ source: src('function installed() { mappings({ "GET /a/b/c/d/e": h }) }\nfunction h() {}'), config: {} });
    assert.deepEqual(t.rec.errors.map((e) => e.message), [
      'mappings: "/status" is not a route; write "METHOD /path", e.g. "GET /status" or "PUT /switches/:id"',
      'mappings: "GET /a/b/c/d/e" is 5 levels deep; paths may be at most 4 levels deep',
    ]);
  });

  it('answers 400 for a path with a malformed %-escape, and decodes good ones', () => {
    const r = t.engine.callEndpoint(id, 'GET', '/switches/%E0%A4%A');
    assert.deepEqual(r, { status: 400, headers: { 'content-type': 'application/json' }, body: { error: true, type: 'BadRequest', message: '/switches/%E0%A4%A is not a valid path: it has a malformed %-escape' } });
    assert.deepEqual(t.engine.callEndpoint(id, 'GET', '/switches/lamp%32').body, { id: 'lamp2', value: 'off', verbose: false });
  });

  it('an unknown app id throws', () => {
    assert.throws(() => t.engine.callEndpoint('nope', 'GET', '/switches'), { message: `no installed app with id "nope"; installed: ${id}` });
  });
});
