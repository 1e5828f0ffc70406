/**
 * Validation of what arrives over MQTT, against schemas/platform/*.schema.json (ajv, compiled once
 * per process). Both the platform service and the agent parse every payload through here, so a
 * malformed message is refused with a message saying what is wrong and where, never half-applied.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import aboutSchema from '../../schemas/platform/about.schema.json';
import changeSchema from '../../schemas/platform/change.schema.json';
import connectionSchema from '../../schemas/platform/connection.schema.json';
import desiredStateSchema from '../../schemas/platform/desired-state.schema.json';
import devicesSchema from '../../schemas/platform/devices.schema.json';
import endpointReplySchema from '../../schemas/platform/endpoint-reply.schema.json';
import endpointRequestSchema from '../../schemas/platform/endpoint-request.schema.json';
import eventSchema from '../../schemas/platform/event.schema.json';
import imagesSchema from '../../schemas/platform/images.schema.json';
import loadCompletionSchema from '../../schemas/platform/load-completion.schema.json';
import shellRequestSchema from '../../schemas/platform/shell-request.schema.json';
import shellResponseSchema from '../../schemas/platform/shell-response.schema.json';
import statusSchema from '../../schemas/platform/status.schema.json';
import type { AboutMessage, ChangeNotice, ConnectionMessage, DesiredStateMessage, DevicesMessage, EndpointReply, EndpointRequest, IapError, ImagesMessage, LoadCompletionMessage, ShellRequest, ShellResponse, StatusMessage } from './messages';

export interface PayloadKinds {
  desired: DesiredStateMessage;
  status: StatusMessage;
  connection: ConnectionMessage;
  loadCompletion: LoadCompletionMessage;
  event: IapError;
  about: AboutMessage;
  shellRequest: ShellRequest;
  shellResponse: ShellResponse;
  change: ChangeNotice;
  devices: DevicesMessage;
  images: ImagesMessage;
  endpointRequest: EndpointRequest;
  endpointReply: EndpointReply;
}
export type PayloadKind = keyof PayloadKinds;

const SCHEMA_OF: Record<PayloadKind, { $id: string }> = {
  desired: desiredStateSchema,
  status: statusSchema,
  connection: connectionSchema,
  loadCompletion: loadCompletionSchema,
  event: eventSchema,
  about: aboutSchema,
  shellRequest: shellRequestSchema,
  shellResponse: shellResponseSchema,
  change: changeSchema,
  devices: devicesSchema,
  images: imagesSchema,
  endpointRequest: endpointRequestSchema,
  endpointReply: endpointReplySchema,
};

/** Payloads above this are refused unread (a Thing's desired state with 256 apps is ~100 KB). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

let validators: Map<PayloadKind, ValidateFunction> | undefined;

function validatorOf(kind: PayloadKind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    for (const schema of Object.values(SCHEMA_OF)) ajv.addSchema(schema);
    validators = new Map(Object.entries(SCHEMA_OF).map(([k, s]) => [k as PayloadKind, ajv.getSchema(s.$id) as ValidateFunction]));
  }
  return validators.get(kind)!;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses and checks one payload; the error names the topic, the place in the payload and the schema. */
export function parsePayload<K extends PayloadKind>(kind: K, payload: Buffer | string, topic: string): Parsed<PayloadKinds[K]> {
  if (payload.length > MAX_PAYLOAD_BYTES) return { ok: false, error: `${topic}: the payload is ${payload.length} bytes, over the limit of ${MAX_PAYLOAD_BYTES}` };
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (e) {
    return { ok: false, error: `${topic}: the payload is not JSON (${(e as Error).message}); send a JSON object as schemas/platform/${schemaFile(kind)} describes` };
  }
  return checkPayload(kind, value, topic);
}

/** Checks a value already parsed (the HTTP API's bodies, the tests' own messages). */
export function checkPayload<K extends PayloadKind>(kind: K, value: unknown, topic: string): Parsed<PayloadKinds[K]> {
  const validate = validatorOf(kind);
  if (validate(value)) return { ok: true, value: value as PayloadKinds[K] };
  return { ok: false, error: `${topic}: ${describe(validate.errors?.[0])}; see schemas/platform/${schemaFile(kind)}` };
}

function describe(e: ErrorObject | undefined): string {
  if (!e) return 'the payload does not match its schema';
  const where = e.instancePath ? `at ${e.instancePath}` : 'the payload';
  if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'required') return `${where} lacks "${(e.params as { missingProperty: string }).missingProperty}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

function schemaFile(kind: PayloadKind): string {
  return SCHEMA_OF[kind].$id.split('/').pop()!;
}
