/** The platform's MQTT protocol: topics, payload types and their validation (docs/protocol.md). */
export * from './topics';
export type * from './messages';
export { parsePayload, checkPayload, MAX_PAYLOAD_BYTES, type PayloadKind, type PayloadKinds, type Parsed } from './validate';
export { iapNow, iapEvent } from './events';
