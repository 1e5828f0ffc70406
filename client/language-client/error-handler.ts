/**
 * What happens when the language server crashes or is killed: it is restarted, and the output
 * channel says so each time, at most 4 times in 3 minutes; then the client gives up and asks the
 * user (Restart, Show Output) instead of looping. The language client logs each message given here
 * to the "SmartPlug" channel; `handled: true` keeps it from adding notifications of its own.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult } from 'vscode-languageclient/node';
import { RestartBudget } from './restart-budget';

export interface GiveUpActions {
  restart(): void;
  showOutput(): void;
  /** Told once the handler stops restarting (the status item shows it). */
  gaveUp?(): void;
}

export function createErrorHandler(actions: GiveUpActions, budget = new RestartBudget()): ErrorHandler {
  const window = `${budget.windowMs / 60_000} minutes`;
  return {
    error(error: Error, _message, count): ErrorHandlerResult {
      // A few broken messages in a row are survivable; a stream that keeps failing is not.
      if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, message: `The connection to the SmartPlug language server failed: ${error.message}`, handled: true };
      return { action: ErrorAction.Shutdown, message: `The connection to the SmartPlug language server keeps failing (${error.message}); stopping it.`, handled: true };
    },
    closed(): CloseHandlerResult {
      const decision = budget.recordStop();
      if (decision.restart) {
        return {
          action: CloseAction.Restart,
          message: `The SmartPlug language server stopped unexpectedly; restarting it (restart ${decision.stops} of at most ${budget.max} in ${window}).`,
          handled: true,
        };
      }
      const message = `The SmartPlug language server stopped ${decision.stops} times in ${window} and will not be restarted.`;
      actions.gaveUp?.();
      void vscode.window.showErrorMessage(message, 'Restart', 'Show Output').then((choice) => {
        if (choice === 'Restart') actions.restart();
        else if (choice === 'Show Output') actions.showOutput();
      });
      return { action: CloseAction.DoNotRestart, message, handled: true };
    },
  };
}
