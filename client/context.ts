/**
 * The extension's state and lifetimes (after rust-analyzer's ctx.ts): the "SmartPlug" output
 * channel, and the language client, which can be started, restarted and stopped while the
 * extension lives. Two disposal scopes: the extension's (context.subscriptions) and one client's
 * (disposed when that client stops or is replaced).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { AppTypesWriter } from './intellisense/app-types-writer';
import { createErrorHandler } from './language-client/error-handler';
import { createLanguageClient } from './language-client/language-client';
import { ServerStatus } from './language-client/server-status';

export class SmartPlugContext implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private clientScope: vscode.Disposable[] = [];
  /** Start, restart and stop run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The language status item; made when the server first starts (a workspace with no app has none). */
  private status: ServerStatus | undefined;
  /** A restart or stop of ours is under way: the client's Stopped state is not news then. */
  private stopping = false;
  /** The error handler gave up restarting a server that kept stopping. */
  private gaveUp = false;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('SmartPlug', { log: true });
    extension.subscriptions.push(this.log, this);
  }

  /** Lives as long as the extension. */
  pushExtCleanup(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  /** Lives as long as the current language client. */
  pushClientCleanup(...disposables: vscode.Disposable[]): void {
    this.clientScope.push(...disposables);
  }

  asAbsolutePath(relative: string): string {
    return this.extension.asAbsolutePath(relative);
  }

  /** The running language client; started first when there is none, or when it gave up. */
  ensureServer(): Promise<LanguageClient> {
    return this.serialized(async () => {
      if (this.client && this.client.state !== State.Stopped) return this.client;
      await this.stopClient();
      return this.startClient();
    });
  }

  /** "SmartPlug: Restart Language Server", and the Restart button after the client gave up. */
  restartServer(): Promise<LanguageClient> {
    return this.serialized(async () => {
      const restart = this.client !== undefined;
      if (restart) {
        this.log.info('Restarting the SmartPlug language server.');
        this.status?.show('restarting');
      }
      await this.stopClient();
      const client = await this.startClient(restart);
      if (restart) {
        this.log.info('The SmartPlug language server restarted.');
        this.extension.subscriptions.push(vscode.window.setStatusBarMessage('$(check) SmartPlug language server restarted', 5000));
      }
      return client;
    });
  }

  /** What the language status item shows now (undefined before the server first starts). */
  get serverState() {
    return this.status?.current;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  /**
   * Starts a client. A server that fails to start is the client's to restart (its error handler
   * does, within its budget, then gives up with a notification): the client is kept, not disposed,
   * and what needs a running server is attached when it first runs, whichever start that is.
   */
  private async startClient(restart = false): Promise<LanguageClient> {
    if (!this.status) {
      this.status = new ServerStatus();
      this.pushExtCleanup(this.status);
    }
    const status = this.status;
    status.show(restart ? 'restarting' : 'starting');
    this.gaveUp = false;
    const client = createLanguageClient({
      serverModule: this.asAbsolutePath(path.join('dist', 'server', 'main.js')),
      log: this.log,
      errorHandler: createErrorHandler({
        restart: () => void this.restartServer(),
        showOutput: () => this.log.show(),
        gaveUp: () => {
          this.gaveUp = true;
          status.show('failed', 'Restart it from here once the cause is fixed');
        },
      }),
    });
    this.client = client;
    let attached = false;
    this.pushClientCleanup(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) status.show('running');
        else if (e.newState === State.Starting && !this.stopping) status.show('starting');
        else if (e.newState === State.Stopped && !this.stopping && !this.gaveUp) status.show('stopped');
        if (e.newState !== State.Running || attached) return;
        attached = true;
        this.pushClientCleanup(new AppTypesWriter(client, this.log));
      }),
    );
    this.log.info('Starting the SmartPlug language server.');
    const started = Date.now();
    await client.start();
    this.log.info(`The SmartPlug language server is ready (${Date.now() - started} ms).`);
    return client;
  }

  private async stopClient(): Promise<void> {
    for (const d of this.clientScope.splice(0).reverse()) d.dispose();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    this.stopping = true;
    try {
      await client.dispose(2000);
    } catch (e) {
      // A client that never started or already gave up has nothing left to stop.
      this.log.debug(`Stopping the language server: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.stopping = false;
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): Promise<void> {
    return this.serialized(() => this.stopClient());
  }
}
