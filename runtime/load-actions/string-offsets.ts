/**
 * Where a character of a JSON string value sits in the file. The checkers find problems at an index
 * of the decoded value (the bad character of a regular expression, the bad field of a timestamp);
 * the editor needs the offset in the text, and escapes such as \u00e9 or \" make the two differ.
 */
import type { JsonNode } from '../app/json-tree';

export interface TextRange {
  /** 0-based offset in the file. */
  readonly offset: number;
  readonly length: number;
}

const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Offsets in the file of each UTF-16 unit of the string node's value, plus one entry for the end
 * (the closing quote), so `[offsets[i], offsets[i + n])` covers value units i … i+n-1.
 * Undefined when the node is not a string or its text is not a complete string literal.
 */
export function valueUnitOffsets(text: string, node: JsonNode): number[] | undefined {
  if (node.type !== 'string') return undefined;
  const start = node.offset;
  const end = node.offset + node.length;
  if (text[start] !== '"' || end - start < 2 || text[end - 1] !== '"') return undefined;
  const offsets: number[] = [];
  let i = start + 1;
  while (i < end - 1) {
    if (text[i] !== '\\') {
      offsets.push(i);
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      offsets.push(i);
      i += 6;
    } else if (e !== undefined && SIMPLE_ESCAPES.has(e)) {
      offsets.push(i);
      i += 2;
    } else {
      // A malformed escape is a syntax error the parser already reports; count it as one unit.
      offsets.push(i);
      i += 2;
    }
  }
  offsets.push(end - 1);
  return offsets;
}

/**
 * The file range of value units [index, index + length) of a string node. Falls back to the whole
 * node when the mapping is unavailable, so a problem still points somewhere sensible.
 */
export function valueRange(text: string, node: JsonNode, index: number, length: number): TextRange {
  const offsets = valueUnitOffsets(text, node);
  if (!offsets) return { offset: node.offset, length: node.length };
  const last = offsets.length - 1;
  const from = Math.max(0, Math.min(index, last));
  const to = Math.max(from, Math.min(index + length, last));
  return { offset: offsets[from], length: offsets[to] - offsets[from] };
}
