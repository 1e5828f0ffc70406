/**
 * Members of a hybrid image (seed 002, "Load Action and Manifest Properties"; method "hybrid"):
 * each inner image is named after its load method, a period and a positive decimal sequence number
 * (`setup.1`, `native.2`), and they are applied in the numerical order of those numbers, which need
 * not be contiguous or start anywhere in particular, but must order the members unambiguously. The
 * JSON documents never list the members; the platform uses this when it unpacks a hybrid image, and
 * the checkers use `looksLikeMemberName` to catch a member name written where a method or an image
 * belongs.
 */
import { STANDARD_METHODS } from './properties';

export interface HybridMember {
  readonly name: string;
  readonly method: string;
  /** The sequence number as written (leading zeros kept). */
  readonly sequenceText: string;
  /** The sequence number; for numbers beyond 2^53 only approximate, ordering uses the text. */
  readonly sequence: number;
}

export type HybridIssueCode = 'hybrid-member-name' | 'hybrid-sequence' | 'hybrid-ambiguous-order' | 'hybrid-system';

export interface HybridIssue {
  readonly severity: 'error' | 'warning';
  readonly code: HybridIssueCode;
  readonly name: string;
  readonly message: string;
  readonly fix: string;
}

const POSITIVE_DECIMAL = /^[0-9]+$/;

/** The sequence number without leading zeros, for exact comparison of arbitrarily long numbers. */
function normalized(sequence: string): string {
  return sequence.replace(/^0+(?=.)/, '');
}

function compareSequences(a: string, b: string): number {
  const x = normalized(a);
  const y = normalized(b);
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/**
 * A member name split at its last period, or an issue saying what is wrong with it. The method
 * part may be non-standard (containing periods itself, as in `iox.ble.3`).
 */
export function parseHybridMemberName(name: string): HybridMember | HybridIssue {
  // A standard method is followed by the number alone (setup.1.5 is not setup.1 + 5); a
  // non-standard one may contain periods itself, so it ends at the last period.
  const std = /^(native|hybrid|setup|system)\.(.*)$/.exec(name);
  const dot = name.lastIndexOf('.');
  if (!std && dot <= 0) {
    return { severity: 'error', code: 'hybrid-member-name', name, message: `hybrid member ${JSON.stringify(name)} is not named <method>.<sequence number>`, fix: 'name it after its load method and a positive decimal number, e.g. setup.1 or native.2' };
  }
  const method = std ? std[1] : name.slice(0, dot);
  const sequenceText = std ? std[2] : name.slice(dot + 1);
  const standard = (STANDARD_METHODS as readonly string[]).includes(method);
  if (!standard && !method.includes('.')) {
    const example = POSITIVE_DECIMAL.test(sequenceText) ? sequenceText : '1';
    return { severity: 'error', code: 'hybrid-member-name', name, message: `hybrid member ${JSON.stringify(name)}: ${JSON.stringify(method)} is not a load method (standard methods are ${STANDARD_METHODS.join(', ')}; others contain a period)`, fix: `name it after its load method, e.g. native.${example}` };
  }
  if (!POSITIVE_DECIMAL.test(sequenceText) || normalized(sequenceText) === '0') {
    return { severity: 'error', code: 'hybrid-sequence', name, message: `hybrid member ${JSON.stringify(name)}: the sequence number ${JSON.stringify(sequenceText)} is not a positive decimal number`, fix: `write a number from 1 up, e.g. ${method}.1` };
  }
  return { name, method, sequenceText, sequence: Number(sequenceText) };
}

function isIssue(x: HybridMember | HybridIssue): x is HybridIssue {
  return 'code' in x;
}

/**
 * The members in the order they are applied, and what is wrong: names that are not member names,
 * sequence numbers that are not positive decimals or that two members share (equal in value, such
 * as setup.1 and native.01), and `system` members, which implementations do not support inside a
 * hybrid image.
 */
export function orderHybridMembers(names: readonly string[]): { members: HybridMember[]; issues: HybridIssue[] } {
  const members: HybridMember[] = [];
  const issues: HybridIssue[] = [];
  for (const name of names) {
    const parsed = parseHybridMemberName(name);
    if (isIssue(parsed)) issues.push(parsed);
    else members.push(parsed);
  }
  members.sort((a, b) => compareSequences(a.sequenceText, b.sequenceText));
  for (let i = 1; i < members.length; i++) {
    const a = members[i - 1];
    const b = members[i];
    if (compareSequences(a.sequenceText, b.sequenceText) === 0) {
      issues.push({ severity: 'error', code: 'hybrid-ambiguous-order', name: b.name, message: `hybrid members ${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} have the same sequence number, so their order is ambiguous`, fix: 'give each member a different number, in the order the members are to be applied' });
    }
  }
  for (const m of members) {
    if (m.method === 'system') {
      issues.push({ severity: 'warning', code: 'hybrid-system', name: m.name, message: `hybrid member ${JSON.stringify(m.name)}: system images inside hybrid images are not supported by all implementations`, fix: 'load the system image with its own load action, method "system"' });
    }
  }
  return { members, issues };
}

/**
 * `{method, sequenceText}` when a name has the shape of a member of a hybrid image with a standard
 * method (`setup.1`, `Native.02`, `system.0`), whether or not its number is valid; undefined
 * otherwise (`setup.py`, `iox.ble`).
 */
export function looksLikeMemberName(name: string): { method: string; sequenceText: string; validSequence: boolean } | undefined {
  const m = /^(native|hybrid|setup|system)\.([-+]?[0-9][0-9.]*)$/i.exec(name);
  if (!m) return undefined;
  const sequenceText = m[2];
  return { method: m[1].toLowerCase(), sequenceText, validSequence: POSITIVE_DECIMAL.test(sequenceText) && normalized(sequenceText) !== '0' };
}
