/**
 * The rules of seed 002 ("Load Action and Manifest Properties") for load actions and image
 * manifests that a JSON Schema cannot say, each with a stable `load-…` code, the exact range and a
 * fix. Syntax problems stay in doc.problems and wrong JSON types are the schema's: callers combine
 * those with these. Nothing here throws on unexpected shapes; a rule that does not find the string
 * it checks says nothing.
 */
import type { SourceProblem } from '../errors';
import { properties, sortByPosition, type JsonDocument, type JsonNode } from '../app/json-tree';
import { suggestName } from '../suggest';
import { checkIntegrity } from './check-integrity';
import { checkImage, checkImgpwd, checkMethod, checkResponse, checkSwitchover, checkType, checkUrl } from './check-values';
import { atBrace, atNode, isGiven, stringOf, valueOf, type LoadContext } from './load-problems';
import { belongsIn, documentName, loadProperty, propertiesFor, type LoadDocumentKind } from './properties';
import { hasScheme } from './url-check';

export interface LoadCheckOptions {
  /** Epoch ms taken as the present, for "switchover is in the past"; defaults to Date.now(). */
  readonly now?: number;
}

/** Rules for an image manifest (the JSON object named "manifest" in the outer image). */
export function checkManifest(doc: JsonDocument, options: LoadCheckOptions = {}): SourceProblem[] {
  const root = doc.root;
  if (!root || root.type !== 'object') return [];
  return sortByPosition(checkObject(doc, root, 'manifest', options));
}

/**
 * Rules for a load action: its args object (a *.load.json file), or a whole do envelope
 * `{"action": "load", "args": {…}}`, recognised by its `action` or `args` key.
 */
export function checkLoadAction(doc: JsonDocument, options: LoadCheckOptions = {}): SourceProblem[] {
  const root = doc.root;
  if (!root || root.type !== 'object') return [];
  const keys = new Set(properties(root).map((p) => p.key));
  if (!keys.has('action') && !keys.has('args')) return sortByPosition(checkObject(doc, root, 'load', options));
  const problems: SourceProblem[] = [];
  const actionNode = valuePropertyOf(root, 'action');
  const action = stringOf(actionNode);
  if (actionNode && action !== undefined && action !== 'load') {
    problems.push(atNode(doc, actionNode, 'error', 'load-action-name', `this is checked as a load action, but action is ${JSON.stringify(action)}`, 'write "load"', '"load"'));
  }
  const args = valuePropertyOf(root, 'args');
  if (!args) {
    problems.push(atBrace(doc, root, 'error', 'load-required', 'the load action has no "args"', 'add "args": { "url": "https://…", "method": "native" }'));
  } else if (args.type === 'object') {
    problems.push(...checkObject(doc, args, 'load', options));
  }
  return sortByPosition(problems);
}

function valuePropertyOf(object: JsonNode, key: string): JsonNode | undefined {
  let found: JsonNode | undefined;
  for (const p of properties(object)) if (p.key === key) found = p.valueNode;
  return found;
}

function checkObject(doc: JsonDocument, object: JsonNode, kind: LoadDocumentKind, options: LoadCheckOptions): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const props = new Map<string, { keyNode: JsonNode; valueNode: JsonNode }>();
  for (const p of properties(object)) props.set(p.key, p);
  const ctx: LoadContext = { doc, kind, object, props, now: options.now ?? Date.now(), report: (p) => problems.push(p) };
  checkPlacement(ctx);
  checkRequired(ctx);
  checkCredentials(ctx);
  checkMethod(ctx);
  if (kind === 'load') checkUrl(ctx);
  else checkImage(ctx);
  checkIntegrity(ctx);
  checkType(ctx);
  checkSwitchover(ctx);
  checkResponse(ctx);
  checkImgpwd(ctx);
  return problems;
}

/** Properties of the other kind of document, and unknown ones (with a did-you-mean). */
function checkPlacement(ctx: LoadContext): void {
  const here = documentName(ctx.kind);
  const allowed = propertiesFor(ctx.kind).map((p) => p.name);
  for (const p of properties(ctx.object)) {
    const def = loadProperty(p.key);
    if (def && belongsIn(def, ctx.kind)) continue;
    if (def) {
      ctx.report(misplaced(ctx, p.key, p.keyNode));
      continue;
    }
    if (p.key === 'respond' && ctx.kind === 'load') {
      ctx.report(atNode(ctx.doc, p.keyNode, 'error', 'load-property-unknown', 'unknown property "respond": IAP import requests use "respond", but the load action\'s topic for its completion object is "response"', 'write "response"', '"response"'));
      continue;
    }
    const s = suggestName(p.key, allowed);
    const where = ctx.kind === 'load' ? 'custom data for the edge server goes in "flags"' : 'custom data goes in "flags"';
    ctx.report(
      atNode(
        ctx.doc,
        p.keyNode,
        'error',
        'load-property-unknown',
        `unknown ${here} property ${JSON.stringify(p.key)}${s ? `; did you mean ${JSON.stringify(s)}?` : ''}`,
        s ? `write ${JSON.stringify(s)}` : `remove it (${where}); the ${here} properties are ${allowed.join(', ')}`,
        s ? JSON.stringify(s) : undefined,
      ),
    );
  }
}

function misplaced(ctx: LoadContext, key: string, keyNode: JsonNode): SourceProblem {
  if (ctx.kind === 'manifest') {
    const code = 'load-property-load-only';
    const message = `"${key}" is a load action property, not a manifest property`;
    if (key === 'url') {
      const rename = !ctx.props.has('image');
      return atNode(ctx.doc, keyNode, 'error', code, message, 'a manifest names the image with "image" (a file in the outer archive, or its https URL); the CMS computes the url of the load action', rename ? '"image"' : undefined);
    }
    return atNode(ctx.doc, keyNode, 'error', code, message, `remove it from the manifest; set "${key}" in the load action when the load is issued`);
  }
  const code = 'load-property-manifest-only';
  const message = `"${key}" is a manifest property, not a load action property`;
  if (key === 'image') {
    const rename = !ctx.props.has('url');
    return atNode(ctx.doc, keyNode, 'error', code, message, 'a load action names the image with "url" (an http, https or iapmq URL of the file)', rename ? '"url"' : undefined);
  }
  return atNode(ctx.doc, keyNode, 'error', code, message, `move "${key}" to the image's manifest, where the CMS reads it`);
}

const REQUIRED_FIXES: Readonly<Record<string, string>> = {
  image: 'add "image": the name of the image file in the outer archive, or its https URL',
  method: 'add "method": "native" (or "hybrid", "setup", "system", or your edge server\'s own method)',
  url: 'add "url": the http or https URL of the image file',
};

function checkRequired(ctx: LoadContext): void {
  for (const def of propertiesFor(ctx.kind)) {
    if (!def.requiredIn.includes(ctx.kind) || ctx.props.has(def.name)) continue;
    ctx.report(atBrace(ctx.doc, ctx.object, 'error', 'load-required', `the ${documentName(ctx.kind)} has no "${def.name}", which is required`, REQUIRED_FIXES[def.name] ?? `add "${def.name}"`));
  }
}

/**
 * user and passwd go together for HTTP BasicAuth: a user without a password cannot authenticate
 * (error); a password without a user is ignored (warning). In a manifest they only serve a remote
 * image: for an archive member the CMS hosts the file and makes its own credentials.
 */
function checkCredentials(ctx: LoadContext): void {
  const user = ctx.props.get('user');
  const passwd = ctx.props.get('passwd');
  const hasUser = isGiven(user?.valueNode);
  const hasPasswd = isGiven(passwd?.valueNode);
  if (user && hasUser && !hasPasswd) {
    ctx.report(atNode(ctx.doc, user.keyNode, 'error', 'load-credentials-passwd-missing', '"user" is given without "passwd": HTTP BasicAuth needs both', 'add "passwd", or remove "user" if the server needs no login'));
  }
  if (passwd && hasPasswd && !hasUser) {
    ctx.report(atNode(ctx.doc, passwd.keyNode, 'warning', 'load-credentials-user-missing', '"passwd" is given without "user", so it is not used: HTTP BasicAuth needs both', 'add "user", or remove "passwd"'));
  }
  if (ctx.kind !== 'manifest' || !(hasUser || hasPasswd)) return;
  const image = stringOf(valueOf(ctx, 'image'));
  if (image !== undefined && image !== '' && !hasScheme(image)) {
    const first = (hasUser ? user : passwd)!;
    ctx.report(atNode(ctx.doc, first.keyNode, 'info', 'load-credentials-unused', `user and passwd serve only to fetch a remote image; "${image}" is a file in the outer archive, which the CMS hosts itself`, 'remove them, or make image the https URL of a remote image'));
  }
}
