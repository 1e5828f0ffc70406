/**
 * Rules on single property values of a load action or manifest that a JSON Schema cannot say:
 * method names and hybrid member names, the `type` BRE, the switchover timestamp, the image URL,
 * the response topic and imgpwd. Values of the wrong JSON type are the schema's to report; every
 * rule here looks only at strings.
 */
import type { JsonNode } from '../app/json-tree';
import { suggestName } from '../suggest';
import { looksLikeMemberName } from './hybrid';
import { atNode, fromValueIssue, inString, stringOf, valueOf, type LoadContext } from './load-problems';
import { checkPosixBre } from './posix-bre';
import { STANDARD_METHODS } from './properties';
import { checkResponseTopic } from './response-topic';
import { parseIapTimestamp, type TimestampProblemCode } from './timestamp';
import { checkImageUrl, hasScheme, urlBasename } from './url-check';

const isStandardMethod = (m: string): boolean => (STANDARD_METHODS as readonly string[]).includes(m);

export function checkMethod(ctx: LoadContext): void {
  const node = valueOf(ctx, 'method');
  const v = stringOf(node);
  if (node === undefined || v === undefined || isStandardMethod(v)) return;
  const standard = STANDARD_METHODS.join(', ');
  if (v.trim() === '') {
    ctx.report(atNode(ctx.doc, node, 'error', 'load-method-unknown', 'method is empty', `write one of ${standard}`));
    return;
  }
  const member = looksLikeMemberName(v);
  if (member) {
    const number = member.validSequence ? '' : ` (whose numbers are positive decimals: ${member.method}.1, ${member.method}.2, …)`;
    ctx.report(
      atNode(
        ctx.doc,
        node,
        'error',
        'load-method-member-name',
        `${JSON.stringify(v)} is how a member inside a hybrid image is named${number}, not a load method`,
        `write "${member.method}" to load this image with the ${member.method} method, or "hybrid" for a hybrid image that contains ${member.method} members`,
        JSON.stringify(member.method),
      ),
    );
    return;
  }
  // Non-standard methods of specific edge servers contain a period ("iox.", "iox.ble").
  if (v.includes('.')) return;
  const lower = v.trim().toLowerCase();
  if (isStandardMethod(lower)) {
    ctx.report(atNode(ctx.doc, node, 'error', 'load-method-unknown', `method names are case-sensitive and written in lower case: ${JSON.stringify(lower)}`, `write ${JSON.stringify(lower)}`, JSON.stringify(lower)));
    return;
  }
  const s = suggestName(v, STANDARD_METHODS);
  if (s) {
    ctx.report(atNode(ctx.doc, node, 'error', 'load-method-unknown', `unknown method ${JSON.stringify(v)}; did you mean ${JSON.stringify(s)}?`, `write ${JSON.stringify(s)}`, JSON.stringify(s)));
    return;
  }
  ctx.report(
    atNode(
      ctx.doc,
      node,
      'error',
      'load-method-unknown',
      `${JSON.stringify(v)} is not a standard method (${standard}), and non-standard methods contain a period`,
      `use a standard method, or your edge server's own method identifier, which contains a period (such as "${v}." or "${v}.ble")`,
    ),
  );
}

/**
 * A reference (manifest image, load url) whose file is named like a hybrid member (`native.2`):
 * with method hybrid it must be the hybrid image itself, not one of its members; with another
 * standard method, a member of a different method suggests a mix-up.
 */
function checkMemberLikeReference(ctx: LoadContext, node: JsonNode, reference: string, property: string): void {
  const method = stringOf(valueOf(ctx, 'method'));
  const base = urlBasename(reference);
  const member = looksLikeMemberName(base);
  if (!member || method === undefined) return;
  const at = reference.lastIndexOf(base);
  const [index, length] = at >= 0 ? [at, base.length] : [0, reference.length];
  if (method === 'hybrid') {
    const system = member.method === 'system' ? '; besides, system images inside hybrid images are not supported by all implementations' : '';
    ctx.report(
      inString(
        ctx.doc,
        node,
        index,
        length,
        'warning',
        'load-image-member-name',
        `${JSON.stringify(base)} is how a member inside a hybrid image is named; with method "hybrid", ${property} must be the hybrid image itself, which holds such members${system}`,
        `name the hybrid image file here, or set method to "${member.method}" to load this file on its own`,
      ),
    );
  } else if (isStandardMethod(method) && method !== member.method) {
    ctx.report(
      inString(ctx.doc, node, index, length, 'warning', 'load-image-member-name', `${JSON.stringify(base)} is named like a ${member.method} member of a hybrid image, but method is ${JSON.stringify(method)}`, `check method (should it be "${member.method}"?) and the file name`),
    );
  }
}

export function checkUrl(ctx: LoadContext): void {
  const node = valueOf(ctx, 'url');
  const v = stringOf(node);
  if (node === undefined || v === undefined) return;
  for (const issue of checkImageUrl(v, 'url')) ctx.report(fromValueIssue(ctx.doc, node, issue));
  checkMemberLikeReference(ctx, node, v, 'url');
}

/** A manifest's image: an archive member's name, or a remote reference checked like a url. */
export function checkImage(ctx: LoadContext): void {
  const node = valueOf(ctx, 'image');
  const v = stringOf(node);
  if (node === undefined || v === undefined) return;
  if (hasScheme(v)) for (const issue of checkImageUrl(v, 'image')) ctx.report(fromValueIssue(ctx.doc, node, issue));
  checkMemberLikeReference(ctx, node, v, 'image');
}

export function checkType(ctx: LoadContext): void {
  const node = valueOf(ctx, 'type');
  const v = stringOf(node);
  if (node === undefined || v === undefined) return;
  if (v === '') {
    ctx.report(atNode(ctx.doc, node, 'warning', 'load-type-empty', 'an empty type matches every device type', 'remove type, or write a pattern such as ^8000010203040506$'));
    return;
  }
  const r = checkPosixBre(v);
  for (const w of r.warnings) ctx.report(inString(ctx.doc, node, w.index, w.length, 'warning', `load-type-${w.code}`, w.message, w.fix, w.replacement));
  if (!r.ok) {
    ctx.report(inString(ctx.doc, node, r.index, r.length, 'error', 'load-type-regex', `type is not a valid POSIX basic regular expression: ${r.message}`, r.fix, r.replacement));
    return;
  }
  if (!v.startsWith('^')) {
    ctx.report(atNode(ctx.doc, node, 'info', 'load-type-unanchored', 'type is not anchored with ^, so it matches device types that contain it anywhere', `write ^${v} to match types that start with it${v.endsWith('$') ? '' : `, or ^${v}$ for exactly this type`}`));
  }
}

const TIMESTAMP_CODES: Record<TimestampProblemCode, string> = {
  format: 'load-switchover-format',
  range: 'load-switchover-range',
  precision: 'load-switchover-precision',
  zone: 'load-switchover-zone',
};

export function checkSwitchover(ctx: LoadContext): void {
  const node = valueOf(ctx, 'switchover');
  const v = stringOf(node);
  if (node === undefined || v === undefined) return;
  const r = parseIapTimestamp(v);
  for (const p of r.problems) {
    const message = p.severity === 'error' ? `switchover is not an IAP timestamp: ${p.message}` : p.message;
    ctx.report(inString(ctx.doc, node, p.index, p.length, p.severity, TIMESTAMP_CODES[p.code], message, p.fix, p.replacement));
  }
  const at = r.value?.epochMs;
  if (at !== undefined && at <= ctx.now) {
    ctx.report(atNode(ctx.doc, node, 'info', 'load-switchover-past', 'switchover is in the past, so the targets switch to the new image as soon as it is ready', 'write a future time, or remove switchover to switch at once'));
  }
}

export function checkResponse(ctx: LoadContext): void {
  const node = valueOf(ctx, 'response');
  const v = stringOf(node);
  if (node === undefined || v === undefined) return;
  for (const issue of checkResponseTopic(v)) ctx.report(fromValueIssue(ctx.doc, node, issue));
}

/**
 * imgpwd decompresses a ZIP archive. setup, system and hybrid images are archives by definition;
 * for other methods a url or image that does not end in .zip suggests the password is not needed.
 */
export function checkImgpwd(ctx: LoadContext): void {
  const entry = ctx.props.get('imgpwd');
  const pwd = stringOf(entry?.valueNode);
  if (!entry || pwd === undefined || pwd === '') return;
  const method = stringOf(valueOf(ctx, 'method'));
  if (method === 'setup' || method === 'system' || method === 'hybrid') return;
  const property = ctx.kind === 'load' ? 'url' : 'image';
  const reference = stringOf(valueOf(ctx, property));
  if (reference === undefined) return;
  const base = urlBasename(reference);
  if (/\.zip$/i.test(base)) return;
  ctx.report(
    atNode(ctx.doc, entry.keyNode, 'info', 'load-imgpwd-not-zip', `imgpwd is only used to decompress a ZIP archive, and the ${property} ${JSON.stringify(base)} does not look like one`, 'remove imgpwd unless the image is a password-protected ZIP archive'),
  );
}
