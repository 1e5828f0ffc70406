/** LSP positions and ranges against a test's own text (lines split on \n, characters in UTF-16). */
export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export function offsetAt(text: string, p: LspPosition): number {
  const lines = text.split('\n');
  return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
}

export function positionAt(text: string, offset: number): LspPosition {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** The text a range covers. */
export function covered(text: string, range: LspRange): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/** The position right after the first `needle` in the text. */
export function positionAfter(text: string, needle: string): LspPosition {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  return positionAt(text, at + needle.length);
}

/** The text with LSP edits applied (ranges refer to the original text; applied from the end). */
export function applyEdits(text: string, edits: readonly { range: LspRange; newText: string }[]): string {
  const placed = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of placed) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
