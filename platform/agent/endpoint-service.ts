/**
 * An app's web-service routes (seed 001's `mappings`), reached over HTTP through the platform
 * (issue 19): the platform takes `/things/{SID}/apps/{installation_id}/…`, checks the caller's token
 * and the rate, and asks the Thing on its endpoint do topic, which only the platform may publish to.
 * The agent hands the request to the app's route in the runtime (one execution of the app, counted
 * against its rate limit like any other) and answers the app's response on the request's respond
 * topic. A request it cannot take gets an error status, never silence: a malformed one a 400 on
 * its respond topic, and one without a respond topic of this Thing's an error event on the Thing's
 * own channel.
 */
import { isEndpointRespondTopic, MAX_PAYLOAD_BYTES, parsePayload, topics, type EndpointReply, type EndpointRequest } from '../protocol';
import type { Thing } from '../../runtime/host/thing';

export interface EndpointServiceOptions {
  thingId: string;
  thing: Thing;
  /** the runtime app id of an installation, or undefined when the Thing does not run it */
  appOf: (installationId: number) => string | undefined;
  publish: (topic: string, payload: string) => void;
  /** an error event on the Thing's own channel (a request it could not answer at all) */
  event: (message: string, code: string) => void;
  /** a call answered (recordings of the app take it as an input) */
  onCall?: (appId: string, method: string, path: string, body: unknown, status: number) => void;
}

export class EndpointService {
  constructor(private readonly options: EndpointServiceOptions) {}

  async receive(payload: Buffer, topic: string): Promise<void> {
    const parsed = parsePayload('endpointRequest', payload, topic);
    const respond = parsed.ok ? parsed.value.respond : respondOf(payload);
    // Only a respond topic of this Thing's is answered: any other would let a request make the
    // Thing publish where it should not. Without one, the Thing says so on its own channel.
    if (respond === undefined || !isEndpointRespondTopic(this.options.thingId, respond)) {
      const shown = respond === undefined ? 'it names none' : `${JSON.stringify(respond.slice(0, 200))} is not a topic under ${topics.endpointReplies(this.options.thingId).slice(0, -1)}`;
      const why = parsed.ok ? '' : `${parsed.error}; `;
      this.options.event(`refused an endpoint request on ${topic}: ${why}its respond topic: ${shown}; it was not answered`, 'endpoint-respond');
      return;
    }
    // Malformed but answerable (only the platform publishes here, so a bug of the platform's): the
    // caller gets a 400 that says what was wrong, not a 504 after the timeout.
    if (!parsed.ok) {
      this.options.publish(respond, JSON.stringify(error(400, 'BadRequest', `the Thing refused the request: ${parsed.error}`)));
      return;
    }
    const reply = await this.answer(parsed.value).catch((e: Error): EndpointReply => error(500, 'SmartAppException', `the Thing could not call the endpoint: ${e.message}`));
    this.options.publish(respond, JSON.stringify(reply));
  }

  private async answer(request: EndpointRequest): Promise<EndpointReply> {
    const { installation_id: installationId, method, path, body } = request.args;
    const appId = this.options.appOf(installationId);
    if (appId === undefined) return error(404, 'NotFound', `${this.options.thingId} runs no app of installation ${installationId}`);
    const response = await this.options.thing.callEndpoint(appId, method, path, body ?? undefined);
    this.options.onCall?.(appId, method, path, body ?? null, response.status);
    return { status: response.status, headers: response.headers, body: response.body ?? null };
  }
}

/** The respond topic of a payload that is not a valid request, if it is a JSON object naming one. */
function respondOf(payload: Buffer): string | undefined {
  if (payload.length > MAX_PAYLOAD_BYTES) return undefined;
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    const respond = value !== null && typeof value === 'object' ? (value as { respond?: unknown }).respond : undefined;
    return typeof respond === 'string' ? respond : undefined;
  } catch {
    return undefined;
  }
}

function error(status: number, type: string, message: string): EndpointReply {
  return { status, headers: { 'content-type': 'application/json' }, body: { error: true, type, message } };
}
