/** How app ids are written: the package name as a slug, then a number ("door-light-1"). */

/** The package name in lower case, runs of other characters as one "-": "Door light!" → "door-light". */
export function appSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'app';
}

/** Numbers ids in one sequence across every name, so each id is given once. */
export function appIdSequence(): (name: string) => string {
  let n = 0;
  return (name) => `${appSlug(name)}-${++n}`;
}

/** The id the Thing's JS Shell context has in records: no app id can be it (ids are slugs). */
export const SHELL_CONTEXT_ID = '=shell';
