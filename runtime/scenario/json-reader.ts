/**
 * Reading a JSON tree with every complaint placed at the node it concerns. The scenario parser's
 * modules share one Reader so all problems land in one list, in the file's terms.
 */
import { type Fix, lineColumnAt, literalFix, type SourceProblem } from '../errors';
import { describeValue, nodeValue, problemAt, properties, type JsonNode, type JsonProperty } from '../app/json-tree';
import { suggestName } from '../suggest';
import type { Pos } from './types';

export class Reader {
  readonly problems: SourceProblem[] = [];

  constructor(readonly doc: { readonly file: string; readonly text: string }) {}

  error(at: JsonNode, code: string, message: string, fix?: Fix): void {
    this.problems.push(problemAt(this.doc, at, 'error', code, message, fix));
  }

  warn(at: JsonNode, code: string, message: string, fix?: Fix): void {
    this.problems.push(problemAt(this.doc, at, 'warning', code, message, fix));
  }

  pos(node: JsonNode): Pos {
    return lineColumnAt(this.doc.text, node.offset);
  }

  /** The properties of an object node, or undefined after saying it must be an object. */
  object(node: JsonNode, what: string, fix?: string): JsonProperty[] | undefined {
    if (node.type === 'object') return properties(node);
    this.error(node, 'scenario-type', `${what} must be an object; got ${describeValue(nodeValue(node))}`, fix);
    return undefined;
  }

  /**
   * Properties by key, each unknown key reported (with a did-you-mean). An unknown key is an error:
   * a misspelt expectation that silently checks nothing would let a broken app pass.
   */
  keyed(props: JsonProperty[], known: readonly string[], where: string): Map<string, JsonProperty> {
    const out = new Map<string, JsonProperty>();
    for (const p of props) {
      if (known.includes(p.key)) out.set(p.key, p);
      else this.unknownKey(p, known, where);
    }
    return out;
  }

  unknownKey(p: JsonProperty, known: readonly string[], where: string): void {
    const s = suggestName(p.key, known);
    this.error(p.keyNode, 'scenario-unknown-key', `unknown key "${p.key}" in ${where}${s ? `; did you mean "${s}"?` : `; known keys are ${known.join(', ')}`}`, s ? literalFix(`rename it to "${s}"`, JSON.stringify(s)) : 'remove it');
  }

  string(node: JsonNode, what: string, options: { nonEmpty?: boolean } = {}): string | undefined {
    const v = nodeValue(node);
    if (typeof v === 'string' && (!options.nonEmpty || v.trim() !== '')) return v;
    this.error(node, 'scenario-type', `${what} must be a ${options.nonEmpty ? 'non-empty ' : ''}string; got ${v === '' ? 'an empty string' : describeValue(v)}`);
    return undefined;
  }

  number(node: JsonNode, what: string, check?: (n: number) => string | undefined): number | undefined {
    const v = nodeValue(node);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const fix = typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? `write ${v} (a number, no quotes)` : undefined;
      this.error(node, 'scenario-type', `${what} must be a number; got ${describeValue(v)}`, fix);
      return undefined;
    }
    const why = check?.(v);
    if (why) {
      this.error(node, 'scenario-value', `${what} ${why}; got ${v}`);
      return undefined;
    }
    return v;
  }

  boolean(node: JsonNode, what: string): boolean | undefined {
    const v = nodeValue(node);
    if (typeof v === 'boolean') return v;
    this.error(node, 'scenario-type', `${what} must be true or false; got ${describeValue(v)}`, v === 'true' || v === 'false' ? `write ${v} (no quotes)` : undefined);
    return undefined;
  }

  /** A step flag such as `"touch": true`: only true makes sense. */
  flag(node: JsonNode, what: string): boolean {
    const v = nodeValue(node);
    if (v === true) return true;
    this.error(node, 'scenario-value', `${what} takes the value true; got ${describeValue(v)}`, 'write true');
    return false;
  }

  array(node: JsonNode, what: string, fix?: string): JsonNode[] | undefined {
    if (node.type === 'array') return node.children ?? [];
    this.error(node, 'scenario-type', `${what} must be an array; got ${describeValue(nodeValue(node))}`, fix);
    return undefined;
  }
}
