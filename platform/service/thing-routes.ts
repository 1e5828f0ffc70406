/** Things, Templates, bulk actions and API tokens. Every change that alters what a Thing should run publishes its desired state. */
import { isThingId } from '../protocol';
import type { ThingAppView, ThingView } from '../protocol/api-types';
import type { EnrollInput, PlatformStore, Thing } from '../store';
import { SCOPES } from './auth';
import { idParam } from './app-routes';
import { HttpError, readJson, stringField, type Router } from './http-kit';
import { bulkApps, desiredStatesOf, parseBulk } from './plans';
import { instanceInput, instanceList, type ServiceContext } from './service-context';

export function addThingRoutes(router: Router, ctx: ServiceContext): void {
  const { store, auth } = ctx;

  // A broker that keeps its own accounts (see broker-accounts.ts) gets the new Things'. If it
  // refuses, the enrolment is undone: a Thing without an account could never connect, and its
  // secret, shown only in this answer, would be lost with the error.
  async function addBrokerAccounts(things: Array<{ thingId: string; secret: string }>): Promise<void> {
    const accounts = ctx.brokerAccounts;
    if (!accounts) return;
    try {
      await accounts.addThings(things);
    } catch (e) {
      for (const t of things) {
        await store.removeThing(t.thingId).catch(() => undefined);
        await accounts.removeThing(t.thingId).catch(() => undefined);
      }
      ctx.thingsChanged();
      throw new HttpError(502, 'broker', `the broker did not make the Things' accounts, so nothing was enrolled: ${(e as Error).message}`);
    }
  }

  router.get('/api/things', async (req, _p, url) => {
    await auth.requireToken(req, 'read');
    const templateId = url.searchParams.get('template') ?? undefined;
    const things = await store.listThings(templateId ? { templateId } : undefined);
    return { status: 200, body: { things: await thingViews(store, things) } };
  });

  router.get('/api/things/:thingId', async (req, p) => {
    await auth.requireToken(req, 'read');
    const [view] = await thingViews(store, [await store.getThing(p.thingId)]);
    return { status: 200, body: view };
  });

  // Enrols one Thing; its secrets are in this answer only (the store keeps their hashes).
  router.post('/api/things', async (req) => {
    await auth.requireToken(req, 'provision');
    const input = enrollInput(await readJson(req), 'POST /api/things');
    const enrolled = await store.enrollThing(input);
    await addBrokerAccounts([{ thingId: enrolled.thing.thingId, secret: enrolled.secrets.broker }]);
    ctx.thingsChanged();
    await ctx.provision([await store.desiredState(enrolled.thing.thingId)]);
    return { status: 201, body: enrolled };
  });

  router.post('/api/things/batch', async (req) => {
    await auth.requireToken(req, 'provision');
    const body = await readJson(req, 16 * 1024 * 1024);
    if (!Array.isArray(body.things)) throw new HttpError(400, 'bad_input', 'POST /api/things/batch: "things" must be an array of {thingId, model, templateId?}');
    const inputs = body.things.map((t, i) => enrollInput(t, `POST /api/things/batch things[${i}]`));
    const enrolled = await store.enrollThings(inputs);
    await addBrokerAccounts(enrolled.map((e) => ({ thingId: e.thing.thingId, secret: e.secrets.broker })));
    ctx.thingsChanged();
    await ctx.provision(await store.listDesiredStates(enrolled.map((e) => e.thing.thingId)));
    return { status: 201, body: { things: enrolled } };
  });

  router.delete('/api/things/:thingId', async (req, p) => {
    await auth.requireToken(req, 'provision');
    await store.removeThing(p.thingId);
    await ctx.brokerAccounts?.removeThing(p.thingId);
    ctx.thingsChanged();
    auth.forgetThing(p.thingId);
    await ctx.unprovision(p.thingId);
    return { status: 204 };
  });

  // A Thing's own apps: replace all, add one, remove one (an inherited one is refused by the store).
  router.put('/api/things/:thingId/apps', async (req, p) => {
    await auth.requireToken(req, 'provision');
    const body = await readJson(req);
    const state = await store.setThingApps(p.thingId, await instanceList(store, body.apps, `PUT /api/things/${p.thingId}/apps`));
    await ctx.provision([state]);
    return { status: 200, body: state };
  });

  router.post('/api/things/:thingId/apps', async (req, p) => {
    await auth.requireToken(req, 'provision');
    const instance = await store.addThingApp(p.thingId, await instanceInput(store, await readJson(req), `POST /api/things/${p.thingId}/apps`));
    await ctx.provision([await store.desiredState(p.thingId)]);
    return { status: 201, body: instance };
  });

  router.delete('/api/things/:thingId/apps/:installationId', async (req, p) => {
    await auth.requireToken(req, 'provision');
    await store.removeThingApp(p.thingId, idParam(p.installationId, 'installation'));
    await ctx.provision([await store.desiredState(p.thingId)]);
    return { status: 204 };
  });

  router.get('/api/templates', async (req) => {
    await auth.requireToken(req, 'read');
    return { status: 200, body: { templates: await store.listTemplates() } };
  });

  router.get('/api/templates/:templateId', async (req, p) => {
    await auth.requireToken(req, 'read');
    const template = await store.getTemplate(p.templateId);
    const things = (await store.listThings({ templateId: p.templateId })).map((t) => t.thingId);
    return { status: 200, body: { ...template, things } };
  });

  // Saving a Template provisions every Thing of it (seed 000: save and provision).
  router.put('/api/templates/:templateId', async (req, p) => {
    await auth.requireToken(req, 'provision');
    const body = await readJson(req);
    const where = `PUT /api/templates/${p.templateId}`;
    const name = body.name === undefined ? p.templateId : stringField(body, 'name', where);
    const { template, thingIds } = await store.saveTemplate({ templateId: p.templateId, name, apps: await instanceList(store, body.apps ?? [], where) });
    await ctx.provision(await store.listDesiredStates(thingIds));
    ctx.log(`saved Template ${p.templateId} (revision ${template.revision}): ${thingIds.length} Things provisioned`);
    return { status: 200, body: { template, things: thingIds } };
  });

  router.delete('/api/templates/:templateId', async (req, p) => {
    await auth.requireToken(req, 'provision');
    await store.removeTemplate(p.templateId);
    return { status: 204 };
  });

  // Bulk actions over chosen Things (seed 000): provision an app, remove it, or update it to its latest version.
  router.post('/api/bulk', async (req) => {
    await auth.requireToken(req, 'provision');
    const plan = await parseBulk(store, await readJson(req, 16 * 1024 * 1024), 'POST /api/bulk');
    const states = await desiredStatesOf(store, plan.thingIds, 'POST /api/bulk');
    const updated = await store.setManyThingApps(states.map((s) => ({ thingId: s.thingId, apps: bulkApps(s, plan) })));
    await ctx.provision(updated);
    return { status: 200, body: { things: updated.map((s) => ({ thingId: s.thingId, revision: s.revision })) } };
  });

  router.post('/api/tokens', async (req) => {
    await auth.requireToken(req, 'admin');
    const body = await readJson(req);
    const name = stringField(body, 'name', 'POST /api/tokens');
    const scopes = body.scopes ?? ['read'];
    if (!Array.isArray(scopes) || scopes.some((s) => !SCOPES.includes(s as never))) throw new HttpError(400, 'bad_input', `POST /api/tokens: "scopes" is a list of ${SCOPES.join(', ')}`);
    return { status: 201, body: await store.createToken({ name, scopes: scopes as string[] }) };
  });

  router.get('/api/tokens', async (req) => {
    await auth.requireToken(req, 'admin');
    return { status: 200, body: { tokens: await store.listTokens() } };
  });

  router.delete('/api/tokens/:tokenId', async (req, p) => {
    await auth.requireToken(req, 'admin');
    await store.revokeToken(p.tokenId);
    auth.forgetTokens();
    return { status: 204 };
  });
}

function enrollInput(raw: unknown, where: string): EnrollInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'bad_input', `${where}: a Thing is {thingId, model, templateId?}`);
  const o = raw as Record<string, unknown>;
  const thingId = stringField(o, 'thingId', where);
  if (!isThingId(thingId)) throw new HttpError(400, 'bad_input', `${where}: "${thingId}" is not a Thing id: use letters, digits, ".", "-" and "_", starting with a letter or digit (it is the Thing's IAP SID)`);
  const model = stringField(o, 'model', where);
  const templateId = o.templateId === undefined || o.templateId === null ? null : stringField(o, 'templateId', where);
  return { thingId, model, templateId };
}

/** Things as the API lists them: the Thing, its live state and what it should run, each app with where it comes from and its status. */
async function thingViews(store: PlatformStore, things: Thing[]): Promise<ThingView[]> {
  const ids = things.map((t) => t.thingId);
  const [states, desired] = await Promise.all([store.listThingStates(ids), store.listDesiredStates(ids)]);
  const stateOf = new Map(states.map((s) => [s.thingId, s]));
  const desiredOf = new Map(desired.map((d) => [d.thingId, d]));
  return things.map((t) => {
    const s = stateOf.get(t.thingId);
    const d = desiredOf.get(t.thingId);
    const apps = (d?.apps ?? []).map((a): ThingAppView => ({ ...a, status: s?.apps[String(a.installation_id)] ?? { state: 'pending' } }));
    return {
      ...t,
      connected: s?.connected ?? false,
      reachedRevision: s?.reachedRevision ?? 0,
      inSync: (s?.reachedRevision ?? 0) === t.desiredRevision,
      apps: apps.filter((a) => a.source.kind === 'thing'),
      inherited: apps.filter((a) => a.source.kind === 'template'),
    };
  });
}
