/**
 * An app's web-service routes (seed 001's `mappings`), reached over HTTP through the platform
 * (issue 19): the platform takes `/things/{SID}/apps/{installation_id}/…`, checks the caller's token
 * and the rate, and asks the Thing on its endpoint do topic, which only the platform may publish to.
 * The agent hands the request to the app's route in the runtime (one execution of the app, counted
 * against its rate limit like any other) and answers the app's response on the request's respond
 * topic. A request it cannot take gets an error status, never silence.
 */
import { isEndpointRespondTopic, parsePayload, type EndpointReply, type EndpointRequest } from '../protocol';
import type { Thing } from '../../runtime/host/thing';

export interface EndpointServiceOptions {
  thingId: string;
  thing: Thing;
  /** the runtime app id of an installation, or undefined when the Thing does not run it */
  appOf: (installationId: number) => string | undefined;
  publish: (topic: string, payload: string) => void;
  /** a call answered (recordings of the app take it as an input) */
  onCall?: (appId: string, method: string, path: string, body: unknown, status: number) => void;
}

export class EndpointService {
  constructor(private readonly options: EndpointServiceOptions) {}

  async receive(payload: Buffer, topic: string): Promise<void> {
    const parsed = parsePayload('endpointRequest', payload, topic);
    // A malformed request names no respond topic that can be trusted: it is dropped (only the
    // platform can publish here, so this is a bug of the platform's, not a caller's).
    if (!parsed.ok || !isEndpointRespondTopic(this.options.thingId, parsed.value.respond)) return;
    const reply = await this.answer(parsed.value).catch((e: Error): EndpointReply => error(500, 'SmartAppException', `the Thing could not call the endpoint: ${e.message}`));
    this.options.publish(parsed.value.respond, JSON.stringify(reply));
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

function error(status: number, type: string, message: string): EndpointReply {
  return { status, headers: { 'content-type': 'application/json' }, body: { error: true, type, message } };
}
