import type { SourceProblem } from '../../runtime/errors';

/**
 * Problems that only follow from another one in the same document. A guide page that misspells
 * "timeout" as "timout" makes "timeout" an input on no page too; the misspelling's error already
 * names "timeout" and its quick fix puts it on the page, so the warning about "timeout" would only
 * be the same mistake said twice (and a second fix that adds it to a page a second time).
 */
export function withoutConsequences(problems: SourceProblem[], text: string): SourceProblem[] {
  const meant = new Set<string>();
  for (const p of problems) if (p.code === 'unknown-input' && p.replacement !== undefined) meant.add(nameOf(p.replacement));
  if (meant.size === 0) return problems;
  return problems.filter((p) => !(p.code === 'input-unreachable' && meant.has(writtenName(p, text) ?? '')));
}

function nameOf(replacement: string): string {
  try {
    const v: unknown = JSON.parse(replacement);
    return typeof v === 'string' ? v : replacement;
  } catch {
    return replacement;
  }
}

/** The name a problem is reported at (`input-unreachable` is at the input's key in "input"). */
function writtenName(p: SourceProblem, text: string): string | undefined {
  if (p.offset === undefined || p.length === undefined) return undefined;
  const written = text.slice(p.offset, p.offset + p.length);
  return written.startsWith('"') ? nameOf(written) : undefined;
}
