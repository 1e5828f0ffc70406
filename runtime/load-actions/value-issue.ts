/**
 * A problem inside a string value, at [index, index + length) of the decoded value. The value
 * checkers (URL, topic) know nothing of JSON; check-load maps these to file positions.
 */
export interface ValueIssue {
  readonly severity: 'error' | 'warning' | 'info';
  /** The full problem code, e.g. `load-url-scheme`. */
  readonly code: string;
  readonly index: number;
  readonly length: number;
  readonly message: string;
  readonly fix: string;
  /** Value text that fixes the problem when it replaces the range, when there is one. */
  readonly replacement?: string;
}
