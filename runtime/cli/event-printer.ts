import type { HostEventMap } from '../host/runtime';
import type { RateBudget } from '../engine/records';
import { jsonText, terminalText } from './terminal-text';

/**
 * Turns runtime records into the lines `smartplug run` prints, one per thing that happened. Records
 * carry app-controlled text (messages, labels, values), so each line is escaped (terminal-text.ts)
 * before the colour codes are added: an app cannot forge a line or drive the terminal.
 */
export interface PrintOptions {
  json: boolean;
  color: boolean;
  write: (line: string) => void;
}

const COLORS = { dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', cyan: '\x1b[36m', magenta: '\x1b[35m', reset: '\x1b[0m' };

export function budgetText(b: RateBudget | undefined): string {
  if (!b) return '';
  return b.limit === null || !Number.isFinite(b.limit) ? `budget ${b.used}/∞` : `budget ${b.used}/${b.limit}`;
}

function time(t: number): string {
  return new Date(t).toISOString().slice(11, 23);
}

/** The line for a record, escaped; undefined for records `smartplug run` does not show. */
export function formatRecord<K extends keyof HostEventMap>(name: K, r: HostEventMap[K]): { text: string; color: keyof typeof COLORS } | undefined {
  const f = rawRecordLine(name, r);
  return f && { text: terminalText(f.text), color: f.color };
}

// Built from raw record fields: only ever returned through formatRecord, which escapes the line.
function rawRecordLine<K extends keyof HostEventMap>(name: K, r: HostEventMap[K]): { text: string; color: keyof typeof COLORS } | undefined {
  switch (name) {
    case 'deviceEvent': {
      const e = r as HostEventMap['deviceEvent'];
      const unit = e.unit ? ` ${e.unit}` : '';
      const why = e.causedBy ? ` (by ${e.causedBy})` : '';
      return { text: `${time(e.time)} event    ${e.deviceLabel} ${e.name} = ${JSON.stringify(e.value)}${unit}${e.isStateChange ? '' : ' (no change)'}${why}`, color: 'cyan' };
    }
    case 'command': {
      const c = r as HostEventMap['command'];
      const args = c.args.map((a) => JSON.stringify(a)).join(', ');
      return { text: `${time(c.time)} command  ${c.appId ?? 'user'} → ${c.deviceLabel}.${c.command}(${args})`, color: 'green' };
    }
    case 'log': {
      const l = r as HostEventMap['log'];
      const where = l.line ? ` (${l.file}:${l.line}:${l.column ?? 1})` : '';
      const budget = l.budget ? `  [${budgetText(l.budget)}]` : '';
      const tag = l.source === 'runtime' ? 'runtime' : 'log';
      return { text: `${time(l.time)} ${tag.padEnd(8)} ${l.level.toUpperCase().padEnd(5)} ${l.appLabel}: ${l.message}${where}${budget}`, color: l.level === 'error' ? 'red' : l.level === 'warn' ? 'yellow' : 'reset' };
    }
    case 'notification': {
      const n = r as HostEventMap['notification'];
      return { text: `${time(n.time)} notify   ${n.appLabel} → output ${n.outputId}: ${n.message}`, color: 'magenta' };
    }
    case 'locationEvent': {
      const l = r as HostEventMap['locationEvent'];
      return { text: `${time(l.time)} location ${l.name} = ${l.value}`, color: 'cyan' };
    }
    case 'app': {
      const a = r as HostEventMap['app'];
      return { text: `${time(a.time)} app      ${a.appLabel} (${a.appId}) ${a.change}`, color: 'dim' };
    }
    case 'worker': {
      const w = r as HostEventMap['worker'];
      const extra = [w.pid ? `pid ${w.pid}` : '', w.durationMs ? `${w.durationMs.toFixed(0)} ms` : '', w.permissionModel === false ? 'permission model OFF' : '', w.reason ?? ''].filter(Boolean).join(', ');
      return { text: `${time(w.time)} worker   ${w.change}${extra ? ` (${extra})` : ''}`, color: w.change === 'started' ? 'dim' : 'yellow' };
    }
    default:
      return undefined;
  }
}

export function printer(options: PrintOptions) {
  return <K extends keyof HostEventMap>(name: K, r: HostEventMap[K]) => {
    if (options.json) {
      if (name !== 'persist' && name !== 'execution' && name !== 'appError' && name !== 'job') options.write(jsonText({ type: name, ...r }));
      return;
    }
    const f = formatRecord(name, r);
    if (!f) return;
    options.write(options.color && f.color !== 'reset' ? `${COLORS[f.color]}${f.text}${COLORS.reset}` : f.text);
  };
}
