/**
 * A real LSP client for the tests: starts the bundled server as a process and speaks JSON-RPC to it
 * over stdio, the way an editor does.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

import { SERVER_NODE_FLAGS } from '../../server/node-flags';
import { assertFreshDist } from '../support/fresh-dist';

export const SERVER = path.resolve(__dirname, '..', '..', 'dist', 'server', 'main.js');

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private readonly versions = new Map<string, number>();
  initializeResult!: InitializeResult;

  private constructor(private readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === p.uri && (w.version === undefined || p.version === undefined || p.version >= w.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.listen();
  }

  static async start(rootDir = process.cwd()): Promise<LspClient> {
    assertFreshDist(['server/main']);
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const client = new LspClient(child);
    client.initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(rootDir).href, name: 'root' }],
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  static uri(file: string): string {
    return pathToFileURL(path.resolve(file)).href;
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(uri: string, text: string, languageId = 'json'): Promise<PublishDiagnosticsParams> {
    this.versions.set(uri, 1);
    const waiting = this.nextDiagnostics(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return waiting;
  }

  /** Replaces the whole text; resolves with the diagnostics of the new version. */
  async change(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const waiting = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return waiting;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  nextDiagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} (version ${version}) within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      /* the server may already be gone */
    }
    this.connection.dispose();
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => { this.child.kill('SIGKILL'); resolve(); }, 2000);
      this.child.once('exit', () => { clearTimeout(timer); resolve(); });
    });
  }
}
