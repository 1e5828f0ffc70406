/**
 * A fleet of simulated Things (`smartplug fleet`, and the fleet of `smartplug up`): each Thing is an
 * agent with its own devices, MQTT connection and apps, and the Things share a few worker processes
 * of one WorkerPool. Things not enrolled yet are enrolled through the platform's HTTP API (in one
 * batch), with the fleet's Template, and their credentials kept in the credentials file. Each Thing's
 * app state is kept beside it (app-state-files.ts), so a restarted fleet's apps come back with theirs.
 */
import * as path from 'node:path';
import { Thing } from '../../runtime/host/thing';
import { WorkerPool } from '../../runtime/host/worker-pool';
import { ThingAgent } from '../agent/thing-agent';
import { BundleFetcher } from '../agent/bundle-fetch';
import { ThingImages } from '../agent/load/thing-images';
import type { DownloadLimits } from '../load/http-download';
import { modelDevices } from './models';
import { readCredentials, writeCredentials, type CredentialFile } from './fleet-credentials';
import { AppStateFiles, APP_STATE_DIR, type SavedApps } from './app-state-files';

export interface FleetOptions {
  brokerUrl: string;
  brokerCa?: Buffer;
  platformUrl: string;
  /** an API token with the provision scope, to enrol Things */
  token: string;
  things: number;
  /** Thing ids are PREFIX-1 … PREFIX-N (default "thing") */
  prefix?: string;
  templateId?: string;
  model?: string;
  credentialsFile: string;
  /** Things per worker process (default 100: a worker's engine thread has a 256 MB heap, and a Thing of the `home` type with two apps takes about 1 MB) */
  thingsPerWorker?: number;
  /** where each Thing's app state is kept across restarts (default: fleet-state/ beside the credentials file) */
  stateDir?: string;
  /** how often changed app state is written while no Thing syncs (default 5000 ms; and always at a clean stop) */
  saveStateMs?: number;
  /** every this many ms one Thing's front door opens and closes again (0: never) */
  activityMs?: number;
  /** see AgentOptions.debugLeaseMs */
  debugLeaseMs?: number;
  /** where each Thing keeps what load actions installed (default: thing-images/ beside the credentials file) */
  imagesDir?: string;
  /** see AgentOptions.loadLimits */
  loadLimits?: DownloadLimits;
  log?: (line: string) => void;
}

/** Where each Thing's images are kept, beside the credentials file (one folder per Thing). */
const IMAGES_DIR = 'thing-images';
/** Workers a fleet starts at once (each filled with its Things before the next ones start). */
const WORKERS_STARTING_AT_ONCE = 4;
/** App state files written at once. */
const WRITES_AT_ONCE = 32;
/** How often a fleet writes the app state that changed, by default. */
const SAVE_STATE_MS = 5000;

export class Fleet {
  readonly agents: ThingAgent[] = [];
  private activity: NodeJS.Timeout | undefined;
  private saver: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  /** what was last written for each agent */
  private readonly written = new Map<ThingAgent, SavedApps>();

  private constructor(
    readonly pool: WorkerPool,
    readonly states: AppStateFiles,
    private readonly log?: (line: string) => void,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    const model = options.model ?? 'home';
    const devices = modelDevices(model);
    const prefix = options.prefix ?? 'thing';
    const ids = Array.from({ length: options.things }, (_, i) => `${prefix}-${i + 1}`);
    const creds = await enrollMissing(options, ids, model);
    const states = new AppStateFiles(options.stateDir ?? path.join(path.dirname(path.resolve(options.credentialsFile)), APP_STATE_DIR), options.log);
    // A spare worker: a crashed worker's Things are back as soon as they are restored (see PoolOptions.spareWorker).
    const pool = new WorkerPool({ thingsPerWorker: options.thingsPerWorker ?? 100, spareWorker: true });
    const fleet = new Fleet(pool, states, options.log);
    const fetcher = new BundleFetcher();
    try {
      // Things first (the workers start as they fill), then the connections, a few hundred at a time.
      // A few workers' worth of Things at once: a hundred workers starting together on two cores
      // miss their beats, and the pool takes them for hung.
      const things: Thing[] = [];
      const chunk = (options.thingsPerWorker ?? 100) * WORKERS_STARTING_AT_ONCE;
      for (let i = 0; i < ids.length; i += chunk) {
        things.push(...(await Promise.all(ids.slice(i, i + chunk).map(async (id) => {
          const thing = await pool.addThing(id, { clock: 'real' }, (tid, s, transport, newAppId) => new Thing(tid, s, transport, newAppId));
          for (const spec of devices) await thing.addDevice(spec);
          return thing;
        }))));
      }
      const imagesDir = options.imagesDir ?? path.join(path.dirname(path.resolve(options.credentialsFile)), IMAGES_DIR);
      const images = await Promise.all(ids.map((id) => ThingImages.open(path.join(imagesDir, id))));
      for (let i = 0; i < ids.length; i++) {
        const savedApps = states.read(ids[i]);
        const agent = new ThingAgent({
          thingId: ids[i], secret: creds[ids[i]].secret, shell: creds[ids[i]].shell, model, brokerUrl: options.brokerUrl, brokerCa: options.brokerCa, thing: things[i], pool, fetcher, savedApps, log: options.log, debugLeaseMs: options.debugLeaseMs,
          images: images[i], ...(options.loadLimits ? { loadLimits: options.loadLimits } : {}),
        });
        fleet.agents.push(agent);
        fleet.written.set(agent, savedApps);
      }
      // Not while Things sync: a fleet being provisioned has its CPU for that (the stop saves anyway).
      fleet.saver = setInterval(() => fleet.agents.some((a) => a.syncing) || void fleet.saveStates(), options.saveStateMs ?? SAVE_STATE_MS);
      fleet.saver.unref();
      for (let i = 0; i < fleet.agents.length; i += 250) await Promise.all(fleet.agents.slice(i, i + 250).map((a) => a.start()));
    } catch (e) {
      await fleet.close();
      throw e;
    }
    if (options.activityMs) fleet.startActivity(options.activityMs, devices.some((d) => d.id === 'front-door'));
    return fleet;
  }

  /** Resolves when every agent has no sync running. */
  async idle(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.idle()));
  }

  /** Resolves when every Thing runs the desired state it received (false after `timeoutMs`). */
  async converged(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.agents.every((a) => a.synced)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  agent(thingId: string): ThingAgent | undefined {
    return this.agents.find((a) => a.thingId === thingId);
  }

  private startActivity(ms: number, hasDoor: boolean): void {
    if (!hasDoor) return;
    this.activity = setInterval(() => {
      const agent = this.agents[Math.floor(Math.random() * this.agents.length)];
      if (!agent) return;
      const thing = agent.thing;
      void thing?.deviceEvent('front-door', 'contact', 'open').catch(() => undefined);
      setTimeout(() => void thing?.deviceEvent('front-door', 'contact', 'closed').catch(() => undefined), Math.min(ms / 2, 2000)).unref();
    }, ms);
    this.activity.unref();
  }

  /** Writes the app state of every Thing whose apps' snapshots changed since the last write (one round at a time). */
  saveStates(): Promise<void> {
    this.saving ??= this.saveChanged().finally(() => (this.saving = undefined));
    return this.saving;
  }

  private async saveChanged(): Promise<void> {
    const changed = this.agents.map((agent) => ({ agent, apps: agent.savedApps() })).filter(({ agent, apps }) => !sameSnapshots(apps, this.written.get(agent) ?? {}));
    for (let i = 0; i < changed.length; i += WRITES_AT_ONCE) {
      await Promise.all(changed.slice(i, i + WRITES_AT_ONCE).map(async ({ agent, apps }) => {
        try {
          await this.states.write(agent.thingId, apps);
          this.written.set(agent, apps);
        } catch (e) {
          this.log?.(`could not keep the app state of ${agent.thingId} in ${this.states.dir}: ${(e as Error).message}`);
        }
      }));
    }
  }

  async close(): Promise<void> {
    if (this.activity) clearInterval(this.activity);
    if (this.saver) clearInterval(this.saver);
    await Promise.all(this.agents.map((a) => a.stop()));
    // After the agents stopped (no sync changes the apps any more), after any round under way.
    await this.saving;
    await this.saveStates();
    await this.pool.close();
  }
}

async function enrollMissing(options: FleetOptions, ids: string[], model: string): Promise<CredentialFile> {
  const creds = readCredentials(options.credentialsFile);
  const missing = ids.filter((id) => !creds[id]);
  if (missing.length === 0) return creds;
  const response = await fetch(`${options.platformUrl}/api/things/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ things: missing.map((thingId) => ({ thingId, model, templateId: options.templateId ?? null })) }),
  });
  const body = (await response.json().catch(() => ({}))) as { things?: Array<{ thing: { thingId: string }; secrets: { broker: string; shell: string } }>; error?: { message: string } };
  if (!response.ok || !body.things) {
    throw new Error(`could not enrol ${missing.length} Things at ${options.platformUrl}: ${body.error?.message ?? `HTTP ${response.status}`}${response.status === 409 ? `; they are enrolled already, but ${options.credentialsFile} lacks their credentials: remove them from the platform or use another --prefix` : ''}`);
  }
  for (const e of body.things) creds[e.thing.thingId] = { secret: e.secrets.broker, shell: e.secrets.shell };
  writeCredentials(options.credentialsFile, creds);
  return creds;
}

/** Whether two sets of saved apps hold the same snapshots (a snapshot is replaced, never changed in place, when an app's state changes). */
function sameSnapshots(a: SavedApps, b: SavedApps): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k] !== undefined && a[k].snapshot === b[k].snapshot && a[k].config === b[k].config && a[k].version === b[k].version);
}
