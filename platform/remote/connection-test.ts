/**
 * "Test Connection": each address the IDE needs, tried in turn, and for each one whether it worked
 * or how it failed (DNS, refused, TLS, credentials, time-out), in words that name the address.
 */
import mqtt from 'mqtt';
import { randomBytes } from 'node:crypto';
import { TOOL_USER } from '../broker/access';
import { PlatformApi, PlatformApiError } from './platform-api';
import { classifyFailure, type FailureKind } from './network-failure';

export interface ConnectionCheck {
  /** what was tried: "platform", "token", "broker" */
  step: 'platform' | 'token' | 'broker';
  address: string;
  ok: boolean;
  kind?: FailureKind;
  /** success: what answered; failure: what went wrong and what to do */
  message: string;
  ms: number;
}

export interface ConnectionTarget {
  platformUrl: string;
  brokerUrl: string;
  token: string;
  brokerCa?: Buffer;
  timeoutMs?: number;
}

export async function testConnection(target: ConnectionTarget): Promise<ConnectionCheck[]> {
  const timeoutMs = target.timeoutMs ?? 5000;
  const api = new PlatformApi({ url: target.platformUrl, token: target.token, timeoutMs });
  const checks: ConnectionCheck[] = [];
  const timed = async (step: ConnectionCheck['step'], address: string, attempt: () => Promise<string>): Promise<boolean> => {
    const t0 = performance.now();
    try {
      const message = await attempt();
      checks.push({ step, address, ok: true, message, ms: Math.round(performance.now() - t0) });
      return true;
    } catch (e) {
      const { kind, message } = describe(e, address);
      checks.push({ step, address, ok: false, kind, message, ms: Math.round(performance.now() - t0) });
      return false;
    }
  };
  const reached = await timed('platform', api.url, async () => {
    const health = await api.health();
    return `the platform answered (store ${health.store}, replica ${health.replica})`;
  });
  if (reached) {
    await timed('token', api.url, async () => {
      const apps = await api.apps();
      return `the token was accepted (${apps.length} app${apps.length === 1 ? '' : 's'} in the App Store)`;
    });
  }
  await timed('broker', target.brokerUrl, async () => {
    const client = await mqtt.connectAsync(target.brokerUrl, {
      username: TOOL_USER, password: target.token, clientId: `smartplug-ide-test-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: 0, connectTimeout: timeoutMs, protocolVersion: 4, ...(target.brokerCa ? { ca: target.brokerCa } : {}),
    });
    await client.endAsync(true);
    return 'the broker accepted the token';
  });
  return checks;
}

function describe(e: unknown, address: string): { kind: FailureKind; message: string } {
  if (e instanceof PlatformApiError) {
    if (e.status === 401 || e.status === 403) return { kind: 'credentials', message: e.message };
    if (e.status !== 0) return { kind: 'protocol', message: `${e.message}. Is ${address} a SmartPlug platform?` };
    return { kind: e.code as FailureKind, message: e.message };
  }
  // mqtt.js: CONNACK 4 (bad user name or password) and 5 (not authorised) are the broker's refusal.
  const code = (e as { code?: unknown }).code;
  if (code === 4 || code === 5 || /not authori[sz]ed|bad user ?name or password/i.test((e as Error).message ?? '')) {
    return { kind: 'credentials', message: `${address}: the broker refused the token (${(e as Error).message}). A remote platform's token is set again with "SmartPlug: Connect to Remote Platform…".` };
  }
  return classifyFailure(e, address);
}
