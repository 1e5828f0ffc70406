/**
 * Collating elements a BRE may name in [.x.] and [=x=]. In the POSIX locale every collating
 * element is a single character, and glibc's regcomp in the C locale rejects multi-character
 * names such as [.space.], so only single characters are accepted.
 */

/** The code point a collating element stands for, or undefined when it names none. */
export function collatingElement(name: string): number | undefined {
  const cp = name.codePointAt(0);
  return cp !== undefined && name.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}
