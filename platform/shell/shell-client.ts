/**
 * The caller's side of the JS Shell: connects to the broker with a tool account (an API token),
 * sends requests to Things' glp/0/{SID}/rq/=shell/do and reads their answers on respond topics of
 * its own (glp/0/{SID}/ev/=shell/{client id}/{n}). A request is an async iterable of its responses
 * (output chunks, then the final one) with `final` for the last; a Thing that does not answer in
 * time (offline, or the credential is wrong: it then answers nothing) rejects with a ShellTimeout.
 * Used by the tests, the bench and the IDE.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { TOOL_USER } from '../broker/access';
import { GLP, parsePayload, topics, type ShellAction, type ShellCancelArgs, type ShellCdpArgs, type ShellDebugArgs, type ShellDetachArgs, type ShellRecordArgs, type ShellEvalArgs, type ShellLogsArgs, type ShellResponse } from '../protocol';

export interface ShellClientOptions {
  brokerUrl: string;
  /** an API token: the broker account of tools */
  token: string;
  brokerCa?: Buffer;
  /** ms to wait for a Thing's first answer (default 5000) */
  timeoutMs?: number;
}

export type ShellArgs = { eval: ShellEvalArgs; apps: undefined; logs: ShellLogsArgs | undefined; cancel: ShellCancelArgs; restart: undefined; debug: ShellDebugArgs; cdp: ShellCdpArgs; detach: ShellDetachArgs; record: ShellRecordArgs };

/** No answer came in time: the Thing is offline, busy past the limit, or the credential is wrong. */
export class ShellTimeout extends Error {
  constructor(thingId: string, ms: number) {
    super(`no answer from ${thingId}'s JS Shell within ${ms} ms: is it online, and is the shell credential its own? (a Thing does not answer a request with a wrong credential)`);
    this.name = 'ShellTimeout';
  }
}

/** The answer of one request: its responses as they come, and the final one. */
export interface ShellCall extends AsyncIterable<ShellResponse> {
  readonly respond: string;
  /** the response with `done: true` */
  readonly final: Promise<ShellResponse>;
}

interface Pending {
  thingId: string;
  queue: ShellResponse[];
  wake: (() => void) | undefined;
  error: Error | undefined;
  finished: boolean;
  timer: NodeJS.Timeout | undefined;
  resolveFinal(r: ShellResponse): void;
  rejectFinal(e: Error): void;
}

export class ShellClient {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  private constructor(
    private readonly client: MqttClient,
    private readonly clientId: string,
    private readonly timeoutMs: number,
  ) {
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  static async connect(options: ShellClientOptions): Promise<ShellClient> {
    const clientId = `shell-${randomBytes(6).toString('hex')}`;
    const client = await mqtt.connectAsync(options.brokerUrl, {
      clientId, username: TOOL_USER, password: options.token, clean: true, reconnectPeriod: 0, connectTimeout: 10_000,
      ...(options.brokerCa ? { ca: options.brokerCa } : {}),
    });
    (client.stream as Socket | undefined)?.setNoDelay?.(true);
    await client.subscribeAsync(`${GLP}/+/ev/=shell/${clientId}/#`, { qos: 1 });
    return new ShellClient(client, clientId, options.timeoutMs ?? 5000);
  }

  /** Sends one request; its responses come through the returned call. */
  request<A extends ShellAction>(thingId: string, credential: string, action: A, args?: ShellArgs[A], options: { meta?: unknown; respond?: string; timeoutMs?: number } = {}): ShellCall {
    const respond = options.respond ?? `${GLP}/${thingId}/ev/=shell/${this.clientId}/${++this.seq}`;
    let resolveFinal!: (r: ShellResponse) => void;
    let rejectFinal!: (e: Error) => void;
    const final = new Promise<ShellResponse>((resolve, reject) => {
      resolveFinal = resolve;
      rejectFinal = reject;
    });
    final.catch(() => undefined); // the caller may read only the iterator
    const p: Pending = { thingId, queue: [], wake: undefined, error: undefined, finished: false, timer: undefined, resolveFinal, rejectFinal };
    const ms = options.timeoutMs ?? this.timeoutMs;
    p.timer = setTimeout(() => this.finish(respond, p, new ShellTimeout(thingId, ms)), ms);
    this.pending.set(respond, p);
    const body = { action, ...(args !== undefined ? { args } : {}), respond, meta: options.meta ?? null, auth: credential };
    this.client.publish(topics.shellRequest(thingId), JSON.stringify(body), { qos: 1 }, (e) => {
      if (e) this.finish(respond, p, e);
    });
    const iterate = async function* (): AsyncGenerator<ShellResponse> {
      for (;;) {
        if (p.queue.length > 0) {
          yield p.queue.shift()!;
          continue;
        }
        if (p.error) throw p.error;
        if (p.finished) return;
        await new Promise<void>((wake) => (p.wake = wake));
      }
    };
    return { respond, final, [Symbol.asyncIterator]: iterate };
  }

  /**
   * Sends a request that gets no answer of its own (a debug session's `cdp`: the inspector answers
   * on the session's stream), in order with this client's other requests.
   */
  send<A extends ShellAction>(thingId: string, credential: string, action: A, args: ShellArgs[A], respond: string): void {
    this.client.publish(topics.shellRequest(thingId), JSON.stringify({ action, args, respond, meta: null, auth: credential }), { qos: 1 });
  }

  /** Evaluates an expression (in the app of installation `app`, or the Thing's shell context); resolves with the final response. */
  eval(thingId: string, credential: string, expression: string, app?: number): Promise<ShellResponse> {
    return this.request(thingId, credential, 'eval', app === undefined ? { expression } : { expression, app }).final;
  }

  /** Ends a stream (a logs follow) of this client. */
  cancel(thingId: string, credential: string, call: ShellCall): Promise<ShellResponse> {
    return this.request(thingId, credential, 'cancel', { respond: call.respond }).final;
  }

  async close(): Promise<void> {
    for (const [respond, p] of this.pending) this.finish(respond, p, new Error('the shell client was closed'));
    await this.client.endAsync().catch(() => undefined);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const p = this.pending.get(topic);
    if (!p) return;
    const parsed = parsePayload('shellResponse', payload, topic);
    if (!parsed.ok) return this.finish(topic, p, new Error(`${p.thingId} answered with a malformed response: ${parsed.error}`));
    // The Thing answered: from here on a stream (a logs follow) may last as long as it is wanted.
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    p.queue.push(parsed.value);
    if (parsed.value.done) {
      p.resolveFinal(parsed.value);
      this.finish(topic, p);
    }
    p.wake?.();
  }

  private finish(respond: string, p: Pending, error?: Error): void {
    if (p.timer) clearTimeout(p.timer);
    this.pending.delete(respond);
    if (p.finished) return;
    p.finished = true;
    if (error) {
      p.error = error;
      p.rejectFinal(error);
    }
    p.wake?.();
  }
}
