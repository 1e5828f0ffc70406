/** Shared by the runtime/load-actions checker tests: documents, and exact positions of text in them. */
import assert from 'node:assert/strict';
import type { SourceProblem } from '../../../runtime/errors';
import { parseJsonDocument } from '../../../runtime/app/json-tree';
import { checkLoadAction, checkManifest } from '../../../runtime/load-actions';

/** 2030-01-01 00:00 UTC: the present for every test, so switchover times are stable. */
export const NOW = Date.UTC(2030, 0, 1);

export function manifestProblems(text: string, now = NOW): SourceProblem[] {
  return checkManifest(parseJsonDocument(text, 'manifest', { allowComments: false }), { now });
}

export function loadProblems(text: string, now = NOW): SourceProblem[] {
  return checkLoadAction(parseJsonDocument(text, 'image.load.json', { allowComments: false }), { now });
}

/** JSON text of an object, two-space indented as people write it. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export interface Place {
  line: number;
  column: number;
  offset: number;
  length: number;
}

/** Where the `occurrence`-th `needle` is in `text`, shifted by `shift`, covering `length` (default: the needle). */
export function placeOf(text: string, needle: string, opts: { occurrence?: number; shift?: number; length?: number } = {}): Place {
  let offset = -1;
  for (let i = 0; i < (opts.occurrence ?? 1); i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  }
  offset += opts.shift ?? 0;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1, offset, length: opts.length ?? needle.length - (opts.shift ?? 0) };
}

/** The problems with this code. */
export function withCode(problems: readonly SourceProblem[], code: string): SourceProblem[] {
  return problems.filter((p) => p.code === code);
}

/** The one problem with this code, asserting there is exactly one. */
export function one(problems: readonly SourceProblem[], code: string): SourceProblem {
  const found = withCode(problems, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(problems, null, 1)}`);
  return found[0];
}

/** Asserts the problem's severity and exact place (line, column, offset, length). */
export function assertAt(p: SourceProblem, severity: string, place: Place): void {
  assert.deepEqual({ severity: p.severity, line: p.line, column: p.column, offset: p.offset, length: p.length }, { severity, ...place }, p.message);
}

/** The text a problem's range covers. */
export function covered(text: string, p: SourceProblem): string {
  return text.slice(p.offset!, p.offset! + p.length!);
}

export const CHECKSUM_SHA256 = '708662ee8cc7b7129bdd75b731d61a784608a8067cfb7d26c1c15d4d8dc2863a';

/** The seed's manifest example, as JSON: no problem at all. */
export const GOOD_MANIFEST = {
  version: '1.02.003',
  issuer: 'Example Corporation',
  description: 'Bug fixes and performance improvements',
  readme: 'http://www.example.com/assets/readme.html',
  method: 'native',
  imgpwd: null,
  integrity: 'SHA256',
  checksum: CHECKSUM_SHA256,
  image: 'top900_v12_2.bin',
  protocol: 'lt',
  type: '^8000010203040506$',
  flags: null,
};

/** A load action with every property: no problem at all. */
export const GOOD_LOAD = {
  url: 'http://www.acme.com/downloads/sc/321.zip',
  method: 'setup',
  user: 'loader',
  passwd: 's3cret',
  imgpwd: 'zip-pass',
  integrity: 'SHA256',
  checksum: CHECKSUM_SHA256,
  protocol: 'lt',
  type: '^80000102030405',
  flags: { 'myProtocol.proxy': '123.213.132.231:321' },
  switchover: '2031-09-28 12:00:00.000 UTC',
  response: 'glp/0/seg1/ev/=cms/response/load',
};
