/** Rollouts: the dry-run diff, staged rollouts, their progress, pause, resume and cancel. */
import { HttpError, readJson, type Router } from './http-kit';
import { parsePlan, planDiff } from './plans';
import type { RolloutDriver } from './rollout-driver';
import type { ServiceContext } from './service-context';

export function addRolloutRoutes(router: Router, ctx: ServiceContext, driver: RolloutDriver): void {
  const { store, auth } = ctx;

  router.post('/api/rollouts/diff', async (req) => {
    await auth.requireToken(req, 'read');
    const body = await readJson(req, 16 * 1024 * 1024);
    const diff = await planDiff(store, await parsePlan(store, body.plan, 'POST /api/rollouts/diff'));
    const count = (k: 'gain' | 'lose' | 'change') => diff.reduce((n, d) => n + d[k].length, 0);
    return { status: 200, body: { things: diff, summary: { things: diff.length, gain: count('gain'), lose: count('lose'), change: count('change') } } };
  });

  router.post('/api/rollouts', async (req) => {
    await auth.requireToken(req, 'provision');
    const body = await readJson(req, 16 * 1024 * 1024);
    const where = 'POST /api/rollouts';
    const plan = await parsePlan(store, body.plan, where);
    const int = (key: string, fallback: number, min: number) => {
      const v = body[key] ?? fallback;
      if (!Number.isInteger(v) || (v as number) < min) throw new HttpError(400, 'bad_input', `${where}: "${key}" must be a whole number of at least ${min}`);
      return v as number;
    };
    const rollout = await driver.create(plan, {
      batchSize: int('batchSize', 10, 1), failureThreshold: int('failureThreshold', 0, 0), ackTimeoutMs: int('ackTimeoutMs', 60_000, 100),
      ...(typeof body.rolloutId === 'string' ? { rolloutId: body.rolloutId } : {}),
    });
    return { status: 201, body: rollout };
  });

  router.get('/api/rollouts', async (req) => {
    await auth.requireToken(req, 'read');
    return { status: 200, body: { rollouts: await store.listRollouts() } };
  });

  router.get('/api/rollouts/:rolloutId', async (req, p) => {
    await auth.requireToken(req, 'read');
    const rollout = await store.getRollout(p.rolloutId);
    return { status: 200, body: { ...rollout, things: await store.rolloutThings(p.rolloutId) } };
  });

  router.post('/api/rollouts/:rolloutId/:command', async (req, p) => {
    await auth.requireToken(req, 'provision');
    const r = await store.getRollout(p.rolloutId);
    if (p.command === 'cancel') await driver.cancel(p.rolloutId);
    else if (p.command === 'pause' || p.command === 'resume') {
      const from = p.command === 'pause' ? 'running' : 'paused';
      if (r.state !== from) throw new HttpError(409, 'conflict', `rollout ${p.rolloutId} is ${r.state}: only a ${from} rollout can be ${p.command}d`);
      await store.setRolloutState(p.rolloutId, p.command === 'pause' ? 'paused' : 'running');
      driver.kick();
    } else throw new HttpError(404, 'not_found', `no command "${p.command}" on a rollout; use pause, resume or cancel`);
    return { status: 200, body: await store.getRollout(p.rolloutId) };
  });
}
