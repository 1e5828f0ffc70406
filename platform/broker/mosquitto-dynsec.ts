/**
 * Broker accounts on mosquitto's dynamic security plugin (mosquitto ≥ 2.0): JSON commands published
 * to `$CONTROL/dynamic-security/v1`, answered on `…/response`. Each Thing gets a client (user name
 * and client id = its id, password = its broker secret) holding a role of its own whose ACLs are
 * access.ts's rules for it; everything else is denied by the default ACL access that
 * setupMosquittoDynsec sets. Mosquitto 2.0's dynsec substitutes no %u/%c in ACL topics, hence one
 * role per Thing rather than one shared role.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import { accessRules, isThingUser, PLATFORM_USER, type Account } from './access';
import type { BrokerAccounts } from './broker-accounts';

export const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';
export const DYNSEC_RESPONSE_TOPIC = `${DYNSEC_TOPIC}/response`;
/** The role of the platform's own account, and the one an operator gives a tool's account (see docs/scale-out.md). */
export const PLATFORM_ROLE = 'smartplug-platform';
export const TOOL_ROLE = 'smartplug-tool';

export function thingRole(thingId: string): string {
  return `smartplug-thing-${thingId}`;
}

export interface DynsecAcl {
  acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribeLiteral' | 'subscribePattern' | 'unsubscribeLiteral' | 'unsubscribePattern';
  topic: string;
  allow: boolean;
}

/** What every account may do unless a role says otherwise: nothing but unsubscribe. */
export const DEFAULT_ACL_ACCESS = [
  { acltype: 'publishClientSend', allow: false },
  { acltype: 'publishClientReceive', allow: false },
  { acltype: 'subscribe', allow: false },
  { acltype: 'unsubscribe', allow: true },
] as const;

/**
 * access.ts's rules for an account as dynsec ACLs: each publish filter a publishClientSend, each
 * subscribe filter a subscribePattern (matched against the requested filter as access.ts does) and
 * a publishClientReceive (so nothing else is ever delivered to it). The platform, allowed
 * everything, also needs the plugin's control topics, which `#` does not match.
 */
export function dynsecAcls(account: Account): DynsecAcl[] {
  const rules = accessRules(account);
  const { publish, subscribe } = rules === 'everything' ? { publish: ['#', '$CONTROL/dynamic-security/#'], subscribe: ['#', '$CONTROL/dynamic-security/#'] } : rules;
  return [
    ...publish.map((topic): DynsecAcl => ({ acltype: 'publishClientSend', topic, allow: true })),
    ...subscribe.flatMap((topic): DynsecAcl[] => [
      { acltype: 'subscribePattern', topic, allow: true },
      { acltype: 'publishClientReceive', topic, allow: true },
    ]),
  ];
}

export type DynsecCommand = { command: string } & Record<string, unknown>;
export interface DynsecResponse {
  command: string;
  error?: string;
  data?: Record<string, unknown>;
}

export class DynsecError extends Error {}

/** Sends batches of dynsec commands over an MQTT connection and matches the answers by correlation data. */
export class DynsecControl {
  private readonly waiting = new Map<string, { responses: Array<DynsecResponse | undefined>; left: number; done: (r: DynsecResponse[]) => void }>();
  private subscribed: Promise<unknown> | undefined;

  constructor(
    private readonly mqtt: MqttClient,
    /** a batch's time to answer: base + per command (mosquitto 2.0 rewrites its whole JSON file after each command) */
    private readonly timeout = { baseMs: 10_000, perCommandMs: 50 },
  ) {
    mqtt.on('message', (topic, payload) => {
      if (topic === DYNSEC_RESPONSE_TOPIC) this.onResponse(payload);
    });
  }

  /** Runs the commands in order (in one message) and returns each one's response. */
  async run(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    if (commands.length === 0) return [];
    // Subscribed once; the client resubscribes by itself after a reconnect.
    this.subscribed ??= this.mqtt.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 }).then((granted) => {
      if (granted.some((g) => g.qos > 2)) throw new DynsecError(`the broker refused this account the subscription to ${DYNSEC_RESPONSE_TOPIC}: give it the role ${PLATFORM_ROLE} (docs/scale-out.md)`);
    });
    await this.subscribed.catch((e: unknown) => {
      this.subscribed = undefined;
      throw e;
    });
    const batch = randomUUID();
    const ms = this.timeout.baseMs + this.timeout.perCommandMs * commands.length;
    return new Promise<DynsecResponse[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(batch);
        reject(new DynsecError(`mosquitto's dynamic security plugin did not answer ${commands.length} commands within ${ms} ms: is the plugin loaded, and may this account (role ${PLATFORM_ROLE}) publish to ${DYNSEC_TOPIC}?`));
      }, ms);
      this.waiting.set(batch, {
        responses: new Array<DynsecResponse | undefined>(commands.length), left: commands.length,
        done: (r) => {
          clearTimeout(timer);
          this.waiting.delete(batch);
          resolve(r);
        },
      });
      const payload = JSON.stringify({ commands: commands.map((c, i) => ({ ...c, correlationData: `${batch}:${i}` })) });
      this.mqtt.publishAsync(DYNSEC_TOPIC, payload, { qos: 1 }).catch((e: Error) => {
        clearTimeout(timer);
        this.waiting.delete(batch);
        reject(new DynsecError(`could not send commands to mosquitto's dynamic security plugin: ${e.message}`));
      });
    });
  }

  private onResponse(payload: Buffer): void {
    let parsed: { responses?: Array<DynsecResponse & { correlationData?: unknown }> };
    try {
      parsed = JSON.parse(payload.toString('utf8')) as typeof parsed;
    } catch {
      return;
    }
    for (const r of parsed.responses ?? []) {
      if (typeof r.correlationData !== 'string') continue;
      const cut = r.correlationData.lastIndexOf(':');
      const wait = this.waiting.get(r.correlationData.slice(0, cut));
      const index = Number(r.correlationData.slice(cut + 1));
      if (!wait || wait.responses[index] !== undefined) continue;
      wait.responses[index] = { command: r.command, ...(r.error ? { error: r.error } : {}), ...(r.data ? { data: r.data } : {}) };
      if (--wait.left === 0) wait.done(wait.responses as DynsecResponse[]);
    }
  }
}

const ALREADY = /already exists/i;
const NOT_FOUND = /not found/i;

/** The platform's BrokerAccounts on mosquitto: made over the platform's own MQTT connection. */
export class MosquittoDynsecAccounts implements BrokerAccounts {
  readonly control: DynsecControl;

  constructor(mqttClient: MqttClient) {
    this.control = new DynsecControl(mqttClient);
  }

  /** Fails with a message that says what to set up when this connection cannot manage accounts. */
  async check(): Promise<void> {
    const [r] = await this.control.run([{ command: 'getRole', rolename: TOOL_ROLE }]);
    if (r.error) throw new DynsecError(`mosquitto's dynamic security has no role ${TOOL_ROLE} (${r.error}): run the platform once with SMARTPLUG_BROKER_ADMIN_USER and SMARTPLUG_BROKER_ADMIN_PASSWORD set, or see docs/scale-out.md`);
  }

  async addThings(things: Array<{ thingId: string; secret: string }>): Promise<void> {
    for (const t of things) if (!isThingUser(t.thingId)) throw new DynsecError(`"${t.thingId}" cannot be a Thing's broker account: the name is reserved or not a Thing id`);
    // Chunks keep each message and its wait bounded.
    for (let i = 0; i < things.length; i += 500) await this.addChunk(things.slice(i, i + 500));
  }

  private async addChunk(things: Array<{ thingId: string; secret: string }>): Promise<void> {
    const client = (t: { thingId: string; secret: string }) => ({ username: t.thingId, password: t.secret, clientid: t.thingId, roles: [{ rolename: thingRole(t.thingId) }] });
    const created = await this.control.run(things.flatMap((t) => [
      { command: 'createRole', rolename: thingRole(t.thingId), acls: dynsecAcls({ kind: 'thing', thingId: t.thingId }) },
      { command: 'createClient', ...client(t) },
    ]));
    // A Thing enrolled again (or an account left by an earlier run): its role gets the rules again,
    // its client the new secret, but only if the client is a Thing's (holds that Thing's role alone).
    const roleExists = things.filter((_, i) => created[2 * i].error !== undefined);
    const clientExists = things.filter((_, i) => created[2 * i + 1].error !== undefined);
    failOn(created.filter((r) => r.error && !ALREADY.test(r.error)));
    if (roleExists.length === 0 && clientExists.length === 0) return;
    const checked = await this.control.run([
      ...roleExists.map((t) => ({ command: 'modifyRole', rolename: thingRole(t.thingId), acls: dynsecAcls({ kind: 'thing', thingId: t.thingId }) })),
      ...clientExists.map((t) => ({ command: 'getClient', username: t.thingId })),
    ]);
    failOn(checked);
    const existing = checked.slice(roleExists.length);
    const foreign = clientExists.filter((t, i) => !isThingsClient(existing[i], t.thingId));
    if (foreign.length) {
      const madeForThem = foreign.filter((t) => !roleExists.includes(t)).map((t) => ({ command: 'deleteRole', rolename: thingRole(t.thingId) }));
      await this.control.run(madeForThem);
      throw new DynsecError(`the broker already has accounts that are not SmartPlug Things': ${foreign.map((t) => t.thingId).join(', ')}; enrol these Things under other ids`);
    }
    failOn(await this.control.run(clientExists.map((t) => ({ command: 'modifyClient', ...client(t) }))));
  }

  /** Deletes the Thing's client (mosquitto disconnects it) and its role; a client that is not a Thing's is left alone. */
  async removeThing(thingId: string): Promise<void> {
    if (!isThingUser(thingId)) return;
    const [found] = await this.control.run([{ command: 'getClient', username: thingId }]);
    const commands: DynsecCommand[] = [{ command: 'deleteRole', rolename: thingRole(thingId) }];
    if (!found.error && isThingsClient(found, thingId)) commands.unshift({ command: 'deleteClient', username: thingId });
    failOn((await this.control.run(commands)).filter((r) => r.error && !NOT_FOUND.test(r.error)));
  }
}

function isThingsClient(response: DynsecResponse, thingId: string): boolean {
  const client = response.data?.client as { roles?: Array<{ rolename: string }> } | undefined;
  const roles = client?.roles ?? [];
  return roles.length === 1 && roles[0].rolename === thingRole(thingId);
}

function failOn(responses: DynsecResponse[]): void {
  const failed = responses.filter((r) => r.error);
  if (failed.length) throw new DynsecError(`mosquitto's dynamic security refused ${failed.length} command(s): ${[...new Set(failed.map((r) => `${r.command}: ${r.error}`))].slice(0, 5).join('; ')}`);
}

export interface DynsecSetupOptions {
  brokerUrl: string;
  brokerCa?: Buffer;
  /** the plugin's admin account (the one `mosquitto_ctrl dynsec init` made) */
  adminUser: string;
  adminPassword: string;
  /** the password the platform's account (user smartplug-platform) gets */
  platformPassword: string;
}

/**
 * One-time (and repeatable) setup with the plugin's admin account: the platform's role and account,
 * the tool role, and a default ACL access that denies everything a role does not allow. Run again,
 * it sets the roles' ACLs to this version's and leaves connected replicas alone (mosquitto
 * disconnects every session of a client it modifies), changing the platform's password only when
 * it no longer works.
 */
export async function setupMosquittoDynsec(options: DynsecSetupOptions): Promise<void> {
  const connectOptions = { reconnectPeriod: 0, connectTimeout: 10_000, ...(options.brokerCa ? { ca: options.brokerCa } : {}) };
  const client = await mqtt.connectAsync(options.brokerUrl, { ...connectOptions, username: options.adminUser, password: options.adminPassword, clientId: `smartplug-setup-${randomUUID().slice(0, 8)}` });
  try {
    const control = new DynsecControl(client);
    const role = (rolename: string, account: Account): DynsecCommand[] => [
      { command: 'createRole', rolename, acls: dynsecAcls(account) },
      { command: 'modifyRole', rolename, acls: dynsecAcls(account) },
    ];
    const made = await control.run([
      ...role(PLATFORM_ROLE, { kind: 'platform' }),
      ...role(TOOL_ROLE, { kind: 'tool', scopes: ['read'] }),
      { command: 'setDefaultACLAccess', acls: DEFAULT_ACL_ACCESS },
      { command: 'createClient', username: PLATFORM_USER, password: options.platformPassword, roles: [{ rolename: PLATFORM_ROLE }] },
      { command: 'getClient', username: PLATFORM_USER },
    ]);
    // A create fails harmlessly when the thing exists; the modify after it sets what this version wants.
    failOn(made.filter((r) => r.error && !(r.command.startsWith('create') && ALREADY.test(r.error))));
    if (!made[5].error) return;
    const existing = made[6].data?.client as { roles?: Array<{ rolename: string }> } | undefined;
    const fixes: DynsecCommand[] = [];
    if (!existing?.roles?.some((r) => r.rolename === PLATFORM_ROLE)) fixes.push({ command: 'addClientRole', username: PLATFORM_USER, rolename: PLATFORM_ROLE });
    const works = await mqtt.connectAsync(options.brokerUrl, { ...connectOptions, username: PLATFORM_USER, password: options.platformPassword, clientId: `smartplug-setup-${randomUUID().slice(0, 8)}` }).then(
      (c) => c.endAsync().then(() => true),
      () => false,
    );
    if (!works) fixes.push({ command: 'setClientPassword', username: PLATFORM_USER, password: options.platformPassword });
    failOn(await control.run(fixes));
  } finally {
    await client.endAsync().catch(() => undefined);
  }
}
