/** The Testing view for `*.scenario.json`: one controller, its tree, a Run and a Debug profile. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SmartPlugContext } from '../context';
import { debugScenarios } from './debug-scenario';
import { ScenarioRunner } from './scenario-runner';
import { ScenarioTree } from './scenario-tree';

export function createScenarioTesting(ctx: SmartPlugContext): vscode.Disposable {
  const controller = vscode.tests.createTestController('smartplug.scenarios', 'SmartPlug Scenarios');
  const tree = new ScenarioTree(controller);
  const runner = new ScenarioRunner(tree, ctx.asAbsolutePath(path.join('dist', 'runtime', 'cli.js')), ctx.log);
  const profile = controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => runner.run(request, token), true);
  const debug = controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => debugScenarios(tree, request, token), true);
  tree.discover().catch((e) => ctx.log.error(`Testing: finding scenario files failed: ${e instanceof Error ? e.message : String(e)}`));
  return vscode.Disposable.from(profile, debug, tree, controller);
}
