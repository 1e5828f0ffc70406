/**
 * What went wrong reaching an address, in the words "Test Connection" and the status bar use: the
 * name did not resolve, nothing listens there, TLS failed, the credentials were refused, or it did
 * not answer in time. Node's fetch hides the socket error in `cause`; mqtt.js passes it as is.
 */

export type FailureKind = 'dns' | 'refused' | 'tls' | 'credentials' | 'timeout' | 'protocol' | 'other';

export interface NetworkFailure {
  kind: FailureKind;
  /** says what failed and what to do, naming the address */
  message: string;
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL_|EPROTO$)/;

/** The innermost error with a code, following `cause` (fetch wraps socket errors in a TypeError). */
function rootCause(e: unknown): { code?: string; message: string } {
  let current: unknown = e;
  for (let depth = 0; depth < 5; depth++) {
    if (!(current instanceof Error)) break;
    const code = (current as NodeJS.ErrnoException).code;
    const cause = (current as Error & { cause?: unknown }).cause;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return { code, message: current.message };
    if (!cause) return { message: current.message };
    current = cause;
  }
  return { message: current instanceof Error ? current.message : String(current) };
}

/** Classifies an error thrown while connecting to `address` (a URL). */
export function classifyFailure(e: unknown, address: string): NetworkFailure {
  const { code, message } = rootCause(e);
  const host = hostOf(address);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return { kind: 'dns', message: `${address}: the name ${host} did not resolve (DNS: ${code}). Check the host name in the setting, or your network's DNS.` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: `${address}: the connection was refused: nothing listens on ${host} at that port. Is the platform (or broker) running, and is the port right?` };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ABORT_ERR' || /timed? ?out/i.test(message)) {
    return { kind: 'timeout', message: `${address}: no answer in time. A firewall may drop the packets, or the host is down.` };
  }
  if ((code && TLS_CODES.test(code)) || /certificate|ssl|tls/i.test(message)) {
    return { kind: 'tls', message: `${address}: TLS failed (${code ?? message}). The server's certificate is not trusted here, or names another host; or the server does not speak TLS on that port.` };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return { kind: 'protocol', message: `${address}: the server closed the connection (${code}). Is this the right port and protocol (http/https, mqtt/mqtts)?` };
  return { kind: 'other', message: `${address}: ${code ? `${code}: ` : ''}${message}` };
}

function hostOf(address: string): string {
  try {
    return new URL(address).hostname;
  } catch {
    return address;
  }
}
