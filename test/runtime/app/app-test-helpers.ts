/** Shared by the runtime/app tests: exact positions of text in a fixture, and a test catalogue. */
import type { SourceProblem } from '../../../runtime/errors';
import type { CatalogueDevice, CatalogueFunction, SelectorCatalogue } from '../../../runtime/app';

/** 1-based line and column of the `occurrence`-th `needle` in `text` (plus `shift` characters). */
export function positionOf(text: string, needle: string, occurrence = 1, shift = 0): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" occurs fewer than ${occurrence} times`);
  }
  offset += shift;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** `line:column severity code`, the part of a problem most assertions are about. */
export function where(p: SourceProblem): string {
  return `${p.line}:${p.column} ${p.severity} ${p.code}`;
}

export function at(text: string, needle: string, severity: string, code: string, occurrence = 1, shift = 0): string {
  const { line, column } = positionOf(text, needle, occurrence, shift);
  return `${line}:${column} ${severity} ${code}`;
}

/** The problems with this code. */
export function withCode<T extends { code: string }>(problems: readonly T[], code: string): T[] {
  return problems.filter((p) => p.code === code);
}

const FUNCTIONS: CatalogueFunction[] = [
  { id: 9, deviceId: 'thermo', type: 'temperature', meta: { room: 'hall' } },
  { id: 12, deviceId: 'thermo2', type: 'temperature', meta: { room: 'attic' } },
  { id: 4456, deviceId: 'lamp', type: 'switch', meta: { room: 'hall' } },
  { id: 'lamp.level', deviceId: 'lamp', type: 'dimmer', meta: { room: 'hall' } },
];
const DEVICES: CatalogueDevice[] = [
  { id: 'lamp', type: 'light', meta: { room: 'hall' } },
  { id: 'thermo', type: 'sensor', meta: { room: 'hall' } },
];

/** Ids compare strictly here (12 is not "12") so the checker's own 12 ↔ "12" fallback is tested. */
export function testCatalogue(notifications?: (string | number)[]): SelectorCatalogue {
  return {
    functionById: (id) => FUNCTIONS.find((f) => f.id === id),
    deviceById: (id) => DEVICES.find((d) => d.id === id),
    functionIds: () => FUNCTIONS.map((f) => f.id),
    deviceIds: () => DEVICES.map((d) => d.id),
    matches: (filter, subject) =>
      Object.entries(filter).every(([k, v]) => (k === 'type' ? subject.type === v : subject.meta?.[k] === v)),
    ...(notifications ? { notificationOutputIds: () => notifications } : {}),
  };
}
