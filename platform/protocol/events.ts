/** IAP timestamps and event objects as the platform and the agent make them. */
import { formatIapTimestamp } from '../../runtime/load-actions/timestamp';
import type { IapError } from './messages';

/** Now, as an IAP timestamp ("YYYY-MM-DD HH:mm:ss.SSS UTC"). */
export function iapNow(now = Date.now()): string {
  return formatIapTimestamp(now);
}

export function iapEvent(cat: IapError['cat'], message: string, source: string, topic: string, extra: { code?: string; data?: Record<string, unknown> | null; now?: number } = {}): IapError {
  const e: IapError = { cat, utc: iapNow(extra.now), message, source, topic };
  if (extra.code) e.code = extra.code;
  if (extra.data !== undefined) e.data = extra.data;
  return e;
}
