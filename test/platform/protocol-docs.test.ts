/** docs/protocol.md names every topic, route and payload schema the code declares. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EVENT_CATEGORIES, topics, checkPayload, iapNow } from '../../platform/protocol';
import { addAppRoutes } from '../../platform/service/app-routes';
import { Router } from '../../platform/service/http-kit';
import type { ServiceContext } from '../../platform/service/service-context';
import { addThingRoutes } from '../../platform/service/thing-routes';
import { addRolloutRoutes } from '../../platform/service/rollout-routes';
import { addLoadRoutes } from '../../platform/service/load-routes';
import { addEndpointRoutes } from '../../platform/service/endpoint-routes';
import type { EndpointReplies } from '../../platform/service/endpoint-replies';
import type { LoadRequests } from '../../platform/service/load-requests';
import type { RolloutDriver } from '../../platform/service/rollout-driver';

const ROOT = path.resolve(__dirname, '..', '..');
const doc = readFileSync(path.join(ROOT, 'docs', 'protocol.md'), 'utf8');

describe('docs/protocol.md', () => {
  it('lists every MQTT topic', () => {
    for (const [name, make] of Object.entries(topics)) {
      const placeholders: Record<string, string[]> = { deviceDo: ['{SID}', '{protocol}', '{handle}'], hostedImage: ['{SID}', '{name}'] };
      const topic =
        typeof make === 'string'
          ? make
          : name === 'event'
            ? (topics.event('{SID}', 'error') as string).replace('/error', '/{debug,info,warning,error}')
            : (make as (...args: string[]) => string)(...(placeholders[name] ?? ['{SID}']));
      assert.ok(doc.includes('`' + topic + '`'), `docs/protocol.md does not list ${name}: ${topic}`);
    }
    for (const c of EVENT_CATEGORIES) assert.ok(doc.includes(c));
  });

  it('lists every HTTP route', () => {
    const router = new Router();
    // Registering routes touches nothing of the context.
    addAppRoutes(router, {} as ServiceContext);
    addThingRoutes(router, {} as ServiceContext);
    addRolloutRoutes(router, {} as ServiceContext, {} as RolloutDriver);
    addLoadRoutes(router, {} as ServiceContext, {} as LoadRequests);
    addEndpointRoutes(router, {} as ServiceContext, {} as EndpointReplies);
    const routes = [{ method: 'GET', pattern: '/api/health' }, ...router.list()];
    assert.ok(routes.length > 20);
    for (const r of routes) assert.ok(doc.includes('`' + `${r.method} ${r.pattern}` + '`'), `docs/protocol.md does not list ${r.method} ${r.pattern}`);
  });

  it('names every payload schema, and the schemas accept what the code sends', () => {
    for (const file of readdirSync(path.join(ROOT, 'schemas', 'platform'))) assert.ok(doc.includes(file), `docs/protocol.md does not name ${file}`);
    assert.equal(checkPayload('connection', { connected: true, mru: iapNow() }, 't').ok, true);
    const refused = checkPayload('connection', { connected: 'yes', mru: iapNow() }, 'glp/0/x/fb/=agent/connection');
    assert.equal(refused.ok, false);
    assert.match((refused as { error: string }).error, /^glp\/0\/x\/fb\/=agent\/connection: at \/connected must be boolean; see schemas\/platform\/connection.schema.json$/);
  });
});
