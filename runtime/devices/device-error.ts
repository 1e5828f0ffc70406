/**
 * Errors from simulated devices (unknown command, bad argument, bad reported value, …). A distinct
 * class so callers can tell a user mistake about devices from a bug in the runtime.
 */
export type DeviceErrorCode =
  | 'unknown-capability'
  | 'unknown-device'
  | 'unknown-function'
  | 'unknown-attribute'
  | 'unknown-command'
  | 'bad-argument'
  | 'bad-value'
  | 'bad-device'
  | 'duplicate-device'
  | 'duplicate-function';

export class DeviceError extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    /** What the user should do about it, when there is something better than "fix the name". */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'DeviceError';
  }
}
