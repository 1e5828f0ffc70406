/**
 * `smartplug load THING FILE`: sends the load action of a *.load.json file (its args object, or a
 * whole do envelope) to a Thing through the platform, as a CMS does (seed 002): the file is checked
 * by the language server's rules, the platform shows the image's manifest, the user is asked to
 * proceed (unless --yes), then the completion object is printed. Exit code 0 only when the load
 * completed without error.
 */
import { readFileSync } from 'node:fs';
import { getNodeValue } from 'jsonc-parser';
import { createInterface } from 'node:readline/promises';
import { parseJsonDocument } from '../../runtime/app/json-tree';
import { checkLoadAction } from '../../runtime/load-actions';
import type { LoadCompletionMessage } from '../protocol';
import type { ImageInspection } from '../protocol/api-types';
import { PlatformApi, PlatformApiError } from '../remote/platform-api';

export interface LoadCommandOptions {
  thingId: string;
  file: string;
  device?: string;
  yes: boolean;
  waitS: number;
  platformUrl: string;
  token: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** asks a yes/no question (default: on the terminal) */
  ask?: (question: string) => Promise<boolean>;
}

/** The args object of a load action file, or the problems that make it unusable, each with its place. */
export function readLoadFile(file: string, text: string): { args: Record<string, unknown> } | { problems: string[] } {
  const doc = parseJsonDocument(text, file, { allowComments: true });
  const problems = [...doc.problems, ...checkLoadAction(doc)].filter((p) => p.severity === 'error');
  if (problems.length) return { problems: problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ''}`) };
  const value = (doc.root ? getNodeValue(doc.root) : {}) as Record<string, unknown>;
  const args = 'args' in value || 'action' in value ? (value.args as Record<string, unknown>) : value;
  return { args };
}

/** The manifest as a few lines to read before proceeding. */
export function describeInspection(i: ImageInspection): string[] {
  const lines = [`${i.name}: ${i.size} bytes, SHA256 ${i.sha256}${i.integrity === 'checked' ? ' (integrity checked)' : ''}`];
  if (!i.manifest) return [...lines, 'no manifest: the url leads to the image itself'];
  const m = i.manifest;
  for (const [k, v] of [['version', m.version], ['issuer', m.issuer], ['description', m.description], ['readme', m.readme], ['method', m.method], ['type', m.type], ['protocol', m.protocol]] as const) {
    if (v !== undefined) lines.push(`  ${k.padEnd(11)} ${v}`);
  }
  if (m.flags) lines.push(`  ${'flags'.padEnd(11)} ${JSON.stringify(m.flags)}`);
  lines.push(`  ${'image'.padEnd(11)} ${m.image}${i.image?.inArchive ? ` (in the archive, ${i.image.size} bytes)` : ' (a remote image)'}`);
  return lines;
}

/** The completion object in words. */
export function describeCompletion(c: LoadCompletionMessage): string {
  if (c.error === null) return `loaded: ${String(c.url)} (${String(c.method)}) completed without error`;
  return `the load failed at ${c.error.code ?? 'an unknown stage'}: ${c.error.message}`;
}

export async function loadCommand(o: LoadCommandOptions): Promise<number> {
  let text: string;
  try {
    text = readFileSync(o.file, 'utf8');
  } catch (e) {
    o.err(`smartplug load: cannot read ${o.file}: ${(e as Error).message}`);
    return 2;
  }
  const read = readLoadFile(o.file, text);
  if ('problems' in read) {
    for (const p of read.problems) o.err(p);
    o.err(`smartplug load: ${o.file} is not a load action that can be sent; nothing was sent`);
    return 1;
  }
  const api = new PlatformApi({ url: o.platformUrl, token: o.token });
  try {
    const inspection = await api.inspectLoad(read.args);
    for (const line of describeInspection(inspection)) o.out(line);
    const target = o.device ? `device ${o.device} of ${o.thingId}` : o.thingId;
    if (!o.yes && !(await (o.ask ?? askOnTerminal)(`Load it onto ${target}? [y/N] `))) {
      o.out('nothing was sent');
      return 1;
    }
    o.out(`sending the load action to ${target}…`);
    const answer = await api.sendLoad(o.thingId, read.args, { waitS: o.waitS, ...(o.device ? { device: o.device } : {}) });
    if (!answer.completion) {
      o.out(answer.message ?? 'no completion yet');
      return 3;
    }
    const line = describeCompletion(answer.completion);
    if (answer.completion.error) {
      o.err(line);
      return 1;
    }
    o.out(line);
    return 0;
  } catch (e) {
    o.err(`smartplug load: ${e instanceof PlatformApiError ? e.message : (e as Error).message}`);
    return 1;
  }
}

async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
