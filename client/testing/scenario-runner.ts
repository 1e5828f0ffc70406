/**
 * Runs scenarios chosen in the Testing view through `smartplug test --format json` in child
 * processes (app code never runs in the extension host) and shows what the JSON lines say:
 * started, passed or failed with the duration, failures as expected/actual diffs at the failing
 * step. Cancelling kills the process group and ends the run.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startCli, type CliExit } from './cli-process';
import { matchScenario } from './discovery';
import { ResultMapper, type FailureMessage, type RunOutcome } from './results';
import { planRuns, type CliInvocation, type FileSelection } from './run-plan';
import type { ScenarioTree } from './scenario-tree';

interface FileRun {
  fileItem: vscode.TestItem;
  app: string | undefined;
  /** Everything in the file was chosen (so the whole file runs). */
  whole: boolean;
  scenarios: Set<vscode.TestItem>;
}

/** How long a killed run may take to close its pipes before the run is ended anyway. */
const KILL_GRACE_MS = 2000;

export class ScenarioRunner {
  constructor(
    private readonly tree: ScenarioTree,
    private readonly cliPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.tree.controller.createTestRun(request);
    const files = this.selection(request);
    const reported = new Set<vscode.TestItem>();
    try {
      for (const f of files.values()) for (const item of targets(f)) run.enqueued(item);
      this.noteUnsaved(run, files);
      const plan = planRuns([...files.entries()].map(([file, f]): FileSelection => ({
        file,
        app: f.app,
        ...(f.whole ? {} : { scenarios: [...f.scenarios].map((s) => this.nameOf(s)) }),
      })));
      for (const invocation of plan) {
        if (token.isCancellationRequested) break;
        const exit = await this.invoke(invocation, run, token, files, reported);
        for (const file of invocation.files) {
          for (const item of targets(files.get(file)!)) {
            if (reported.has(item)) continue;
            if (token.isCancellationRequested) run.skipped(item);
            else run.errored(item, new vscode.TestMessage(notReported(exit)));
            reported.add(item);
          }
        }
      }
      for (const f of files.values()) for (const item of targets(f)) if (!reported.has(item)) run.skipped(item);
    } finally {
      run.end();
    }
  }

  /** Which files, and which of their scenarios, the request asks for. */
  private selection(request: vscode.TestRunRequest): Map<string, FileRun> {
    const excluded = new Set(request.exclude ?? []);
    const files = new Map<string, FileRun>();
    const fileRun = (fileItem: vscode.TestItem, file: string, app: string | undefined) => {
      let f = files.get(file);
      if (!f) files.set(file, (f = { fileItem, app, whole: false, scenarios: new Set() }));
      return f;
    };
    const visit = (item: vscode.TestItem) => {
      if (excluded.has(item)) return;
      const d = this.tree.dataOf(item);
      if (!d) return;
      if (d.kind === 'app') item.children.forEach(visit);
      else if (d.kind === 'file') {
        const f = fileRun(item, d.file, d.app);
        const children: vscode.TestItem[] = [];
        item.children.forEach((c) => children.push(c));
        const chosen = children.filter((c) => !excluded.has(c));
        if (chosen.length === children.length) f.whole = true;
        for (const c of chosen) f.scenarios.add(c);
      } else {
        const fileItem = item.parent ?? this.tree.fileItem(d.file);
        if (fileItem) fileRun(fileItem, d.file, d.app).scenarios.add(item);
      }
    };
    if (request.include) request.include.forEach(visit);
    else this.tree.controller.items.forEach(visit);
    // A file whose scenarios were all chosen one by one runs whole too.
    for (const f of files.values()) if (!f.whole && f.scenarios.size === f.fileItem.children.size) f.whole = true;
    return files;
  }

  private async invoke(invocation: CliInvocation, run: vscode.TestRun, token: vscode.CancellationToken, files: Map<string, FileRun>, reported: Set<vscode.TestItem>): Promise<CliExit> {
    const mapper = new ResultMapper();
    const first = invocation.files[0];
    const cwd = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(first))?.uri.fsPath ?? path.dirname(first);
    const commandLine = `smartplug ${invocation.args.map(quote).join(' ')}`;
    this.log.debug(`Testing: ${commandLine} (in ${cwd})`);
    run.appendOutput(`$ ${commandLine}\r\n`);
    const child = startCli({
      execPath: process.execPath,
      cliPath: this.cliPath,
      args: invocation.args,
      cwd,
      onLine: (line) => {
        for (const outcome of mapper.push(line)) this.show(outcome, run, files, reported);
      },
    });
    let cancel: vscode.Disposable | undefined;
    // Once killed, the run ends even if the process is slow to close its pipes.
    const cancelled = new Promise<CliExit>((resolve) => {
      cancel = token.onCancellationRequested(() => {
        this.log.info('Testing: run cancelled; stopping the test process.');
        child.kill();
        setTimeout(() => resolve({ code: null, signal: 'SIGKILL', stderr: '' }), KILL_GRACE_MS);
      });
    });
    try {
      const exit = await Promise.race([child.done, cancelled]);
      if (exit.stderr.trim()) run.appendOutput(exit.stderr.replace(/\r?\n/g, '\r\n'));
      return exit;
    } finally {
      cancel?.dispose();
    }
  }

  private nameOf(item: vscode.TestItem): string {
    const d = this.tree.dataOf(item);
    return d?.kind === 'scenario' ? d.name : item.label;
  }

  private show(outcome: RunOutcome, run: vscode.TestRun, files: Map<string, FileRun>, reported: Set<vscode.TestItem>): void {
    if (outcome.type === 'output') {
      run.appendOutput(outcome.text + '\r\n');
      return;
    }
    const f = files.get(outcome.file);
    if (!f) return;
    if (outcome.type === 'file-failed') {
      const messages = outcome.failures.map(toMessage);
      for (const item of targets(f)) {
        if (reported.has(item)) continue;
        run.failed(item, messages);
        reported.add(item);
      }
      return;
    }
    const item = this.scenarioItem(f, outcome.scenario, outcome.line);
    if (!item) {
      run.appendOutput(`${path.basename(outcome.file)}: "${outcome.scenario}" (line ${outcome.line}) is not in the Testing view yet\r\n`);
      return;
    }
    switch (outcome.type) {
      case 'started':
        run.started(item);
        return;
      case 'passed':
        run.passed(item, outcome.durationMs);
        reported.add(item);
        return;
      case 'unsandboxed': {
        // Never quietly: errored, with why, and said in the run's output too.
        const why = `${outcome.message} (VS Code runs the tests with ${process.execPath}, Node ${process.versions.node}.)`;
        run.errored(item, new vscode.TestMessage(why), outcome.durationMs);
        run.appendOutput(`${outcome.scenario}: ${why}\r\n`, undefined, item);
        reported.add(item);
        return;
      }
      case 'failed':
        run.failed(item, outcome.failures.map(toMessage), outcome.durationMs);
        if (outcome.logs.length) run.appendOutput(`${outcome.scenario}: the app's log\r\n${outcome.logs.join('\r\n')}\r\n`, undefined, item);
        reported.add(item);
        return;
    }
  }

  private scenarioItem(f: FileRun, name: string, line: number): vscode.TestItem | undefined {
    const shown: { item: vscode.TestItem; name: string; line: number }[] = [];
    f.fileItem.children.forEach((item) => {
      const d = this.tree.dataOf(item);
      if (d?.kind === 'scenario') shown.push({ item, name: d.name, line: d.line });
    });
    return matchScenario(shown, name, line)?.item;
  }

  /** The CLI reads files from disk: say so when the editor holds unsaved changes of them. */
  private noteUnsaved(run: vscode.TestRun, files: Map<string, FileRun>): void {
    const folders = new Set([...files.values()].map((f) => f.app).filter((a): a is string => a !== undefined));
    for (const d of vscode.workspace.textDocuments) {
      if (!d.isDirty || d.uri.scheme !== 'file') continue;
      const p = d.uri.fsPath;
      if (files.has(p) || [...folders].some((folder) => p.startsWith(folder + path.sep))) {
        run.appendOutput(`note: ${vscode.workspace.asRelativePath(p)} has unsaved changes; the run uses the saved file\r\n`);
      }
    }
  }
}

/** The items that get a result: the file's chosen scenarios, or the file itself when it shows none. */
function targets(f: FileRun): vscode.TestItem[] {
  return f.scenarios.size ? [...f.scenarios] : [f.fileItem];
}

function toMessage(f: FailureMessage): vscode.TestMessage {
  const message = f.expected !== undefined && f.actual !== undefined ? vscode.TestMessage.diff(f.message, f.expected, f.actual) : new vscode.TestMessage(f.message);
  if (f.location) {
    message.location = new vscode.Location(vscode.Uri.file(f.location.file), new vscode.Position(Math.max(0, f.location.line - 1), Math.max(0, f.location.column - 1)));
  }
  return message;
}

function notReported(exit: CliExit): string {
  const how = exit.signal ? `was stopped (${exit.signal})` : `exited with status ${exit.code}`;
  const why = exit.stderr.trim().split(/\r?\n/).slice(-5).join('\n');
  return `The test process ${how} without reporting this scenario.${why ? `\n${why}` : ''}`;
}

function quote(arg: string): string {
  return /^[\w./=:@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
