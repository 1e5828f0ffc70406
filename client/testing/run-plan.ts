/**
 * Which `smartplug test` processes a run needs. Whole files share one process (one start-up for
 * "run all"); a file run for some of its scenarios gets its own, with `--scenario` for each, since
 * names are only unique within a file. Pure (no vscode).
 */
export interface FileSelection {
  /** Absolute path of the scenario file. */
  file: string;
  /** The app folder it tests, so the sandboxed run may read it wherever it is. */
  app?: string;
  /** The scenarios to run, by name; undefined for all of them. */
  scenarios?: readonly string[];
}

export interface CliInvocation {
  /** Arguments after the CLI script: `test --format json FILE… [--scenario=NAME…] [--allow-read=DIR…]`. */
  args: string[];
  files: string[];
}

export function planRuns(selection: readonly FileSelection[]): CliInvocation[] {
  const whole = selection.filter((s) => s.scenarios === undefined);
  const partial = selection.filter((s) => s.scenarios !== undefined && s.scenarios.length > 0);
  const runs: CliInvocation[] = [];
  if (whole.length) runs.push(invocation(whole, []));
  for (const s of partial) runs.push(invocation([s], [...new Set(s.scenarios)]));
  return runs;
}

function invocation(files: readonly FileSelection[], scenarios: readonly string[]): CliInvocation {
  const apps = [...new Set(files.map((f) => f.app).filter((a): a is string => a !== undefined))];
  // `--name=value`: a scenario name may start with "-", which a separate argument would make an option.
  return {
    args: [
      'test', '--format', 'json',
      ...files.map((f) => f.file),
      ...scenarios.map((n) => `--scenario=${n}`),
      ...apps.map((a) => `--allow-read=${a}`),
    ],
    files: files.map((f) => f.file),
  };
}
