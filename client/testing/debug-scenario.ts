/**
 * The Testing view's Debug profile: "Debug Test" on a scenario runs it under the `smartplug`
 * debugger (the adapter runs the scenario itself, debugger/app-debugger.ts), and the session's exit
 * code is the test's result: 0 passed, anything else failed (the Debug Console says which step).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScenarioTree } from './scenario-tree';

export async function debugScenarios(tree: ScenarioTree, request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
  const run = tree.controller.createTestRun(request, 'Debug', false);
  try {
    for (const item of request.include ?? []) {
      if (token.isCancellationRequested) break;
      const data = tree.dataOf(item);
      if (data?.kind !== 'scenario') {
        run.skipped(item);
        run.appendOutput(`${item.label}: Debug Test debugs one scenario at a time; choose a scenario of the file.\r\n`);
        continue;
      }
      if (!data.app) {
        run.errored(item, new vscode.TestMessage(`${path.basename(data.file)} is not in an app folder (no app.json above it): there is no app to debug.`));
        continue;
      }
      run.started(item);
      const t0 = Date.now();
      const code = await debugOne({ type: 'smartplug', request: 'launch', name: `Debug ${data.name}`, app: data.app, scenario: data.file, scenarioName: data.name }, token);
      if (code === 0) run.passed(item, Date.now() - t0);
      else {
        const message = new vscode.TestMessage(code === undefined ? 'the debug session ended before the scenario finished' : 'the scenario failed: see the Debug Console for the step that failed');
        message.location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
        run.failed(item, message, Date.now() - t0);
      }
    }
  } finally {
    run.end();
  }
}

/** Starts a session and resolves with its exit code (undefined: stopped before an exit). */
function debugOne(config: vscode.DebugConfiguration, token: vscode.CancellationToken): Promise<number | undefined> {
  return new Promise((resolve) => {
    let exitCode: number | undefined;
    let session: vscode.DebugSession | undefined;
    const disposables: vscode.Disposable[] = [];
    const done = () => {
      disposables.forEach((d) => d.dispose());
      resolve(exitCode);
    };
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('smartplug', {
        createDebugAdapterTracker: (s) => (s.configuration.name === config.name && s.configuration.scenario === config.scenario
          ? { onDidSendMessage: (m: { type?: string; event?: string; body?: { exitCode?: number } }) => {
              if (m.type === 'event' && m.event === 'exited') exitCode = m.body?.exitCode;
            } }
          : undefined),
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.configuration.name === config.name && s.configuration.scenario === config.scenario) session = s;
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s === session) done();
      }),
      token.onCancellationRequested(() => {
        if (session) void vscode.debug.stopDebugging(session);
      }),
    );
    void vscode.debug.startDebugging(undefined, config).then((started) => {
      if (!started) done();
    });
  });
}
