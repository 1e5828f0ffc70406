/**
 * `integrity` and `checksum`: the algorithm must be one the edge server knows, and the checksum
 * must be hex of that algorithm's length, or it can never match and the load fails after the whole
 * download. A checksum without an algorithm is never checked, which is worth a warning.
 */
import type { JsonNode } from '../app/json-tree';
import { CHECKSUM_HEX_DIGITS, canonicalIntegrity, type IntegrityValue } from './properties';
import { atNode, inString, isGiven, stringOf, valueOf, type LoadContext } from './load-problems';
import { suggestName } from '../suggest';

/** The spellings the documents use: the seed's and the IAP toolkit's. Other cases get a warning. */
const DOCUMENTED_SPELLINGS = new Set(['MD5', 'SHA256', 'SHA512', 'md5', 'sha256', 'sha512', 'none']);
const ALGORITHMS = ['MD5', 'SHA256', 'SHA512'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

/** The algorithm the integrity property selects; 'invalid' when it is a string we reported. */
function integrityOf(ctx: LoadContext): IntegrityValue | 'invalid' | undefined {
  const node = valueOf(ctx, 'integrity');
  const v = stringOf(node);
  if (node === undefined || v === undefined) return undefined;
  const canon = canonicalIntegrity(v);
  if (canon && DOCUMENTED_SPELLINGS.has(v)) return canon;
  if (canon) {
    ctx.report(atNode(ctx.doc, node, 'warning', 'load-integrity-value', `integrity ${JSON.stringify(v)} is not in a documented spelling`, `write ${JSON.stringify(canon)}`, JSON.stringify(canon)));
    return canon;
  }
  if (v.toLowerCase() === 'null') {
    ctx.report(atNode(ctx.doc, node, 'error', 'load-integrity-value', 'integrity is the string "null", not null', 'write null without quotes (no integrity check)', 'null'));
    return 'invalid';
  }
  const squeezed = canonicalIntegrity(v.replace(/[^A-Za-z0-9]/g, ''));
  const suggestion = squeezed && squeezed !== 'none' ? squeezed : suggestName(v, ALGORITHMS);
  const supported = 'integrity is MD5, SHA256 or SHA512, or null for no check';
  ctx.report(
    atNode(
      ctx.doc,
      node,
      'error',
      'load-integrity-value',
      `integrity ${JSON.stringify(v)} is not supported${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ''}`,
      suggestion ? `write ${JSON.stringify(suggestion)}` : supported,
      suggestion ? JSON.stringify(suggestion) : undefined,
    ),
  );
  return 'invalid';
}

/** The algorithm whose checksum has this many hex digits. */
function algorithmForLength(n: number): Algorithm | undefined {
  return ALGORITHMS.find((a) => CHECKSUM_HEX_DIGITS[a] === n);
}

export function checkIntegrity(ctx: LoadContext): void {
  const algorithm = integrityOf(ctx);
  const integrityNode = valueOf(ctx, 'integrity');
  const checksumNode = valueOf(ctx, 'checksum');
  const checksum = stringOf(checksumNode);

  if (checksumNode === undefined || checksum === undefined) {
    if (!isGiven(checksumNode) && integrityNode && (algorithm === 'MD5' || algorithm === 'SHA256' || algorithm === 'SHA512')) {
      ctx.report(atNode(ctx.doc, integrityNode, 'warning', 'load-checksum-missing', `integrity is ${algorithm}, but there is no checksum to check the image against`, `add "checksum" with the ${algorithm} of the image (${CHECKSUM_HEX_DIGITS[algorithm]} hex digits), or set integrity to null`));
    }
    return;
  }

  const hexDigits = checkHexDigits(ctx, checksumNode, checksum);
  if (algorithm === 'MD5' || algorithm === 'SHA256' || algorithm === 'SHA512') {
    const expected = CHECKSUM_HEX_DIGITS[algorithm];
    if (hexDigits !== expected) {
      const fits = algorithmForLength(hexDigits);
      const fix = fits ? `this is the length of a ${fits} checksum: set integrity to ${JSON.stringify(fits)}, or write the ${algorithm} of the image` : `write the ${algorithm} of the image: ${expected} hex digits`;
      ctx.report(atNode(ctx.doc, checksumNode, 'error', 'load-checksum-length', `${algorithm} checksums are ${expected} hex digits; this one has ${hexDigits}`, fix));
    }
  } else {
    const why = integrityNode === undefined ? 'there is no "integrity"' : integrityNode.type === 'null' ? 'integrity is null' : algorithm === 'none' ? 'integrity is "none"' : undefined;
    if (why === undefined) return;
    const fits = algorithmForLength(hexDigits);
    const verb = integrityNode === undefined ? 'add "integrity":' : 'set integrity to';
    const fix = fits ? `${verb} ${JSON.stringify(fits)} (the checksum has the length of a ${fits} checksum)` : `${verb} the checksum's algorithm: "MD5", "SHA256" or "SHA512"`;
    ctx.report(atNode(ctx.doc, checksumNode, 'warning', 'load-checksum-unchecked', `the checksum will not be checked: ${why}`, fix));
  }
}

/** Reports runs of characters that are not hex digits; returns how many hex digits there are. */
function checkHexDigits(ctx: LoadContext, node: JsonNode, checksum: string): number {
  let hexDigits = 0;
  let reported = 0;
  const re = /[^0-9A-Fa-f]+/g;
  for (let m = re.exec(checksum); m; m = re.exec(checksum)) {
    if (reported++ >= 3) break;
    const run = m[0];
    const index = m.index;
    if (index === 1 && /^[xX]$/.test(run) && checksum[0] === '0') {
      ctx.report(inString(ctx.doc, node, 0, 2, 'error', 'load-checksum-hex', 'checksum starts with "0x"; it is written as bare hex digits', 'remove the 0x', ''));
    } else if (/^[\s:\-]+$/.test(run)) {
      ctx.report(inString(ctx.doc, node, index, run.length, 'error', 'load-checksum-hex', `checksum contains the separator ${JSON.stringify(run)}; it is written as bare hex digits`, 'remove the separators', ''));
    } else {
      ctx.report(inString(ctx.doc, node, index, run.length, 'error', 'load-checksum-hex', `${JSON.stringify(run)} ${run.length === 1 ? 'is not a hex digit' : 'are not hex digits'}`, 'a checksum is written with the hex digits 0-9 and a-f only'));
    }
  }
  for (const c of checksum) if (/[0-9A-Fa-f]/.test(c)) hexDigits++;
  // The "0" of a 0x prefix is not part of the checksum.
  if (/^0[xX]/.test(checksum)) hexDigits--;
  return hexDigits;
}
