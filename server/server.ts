import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type Connection,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { completeAppFile } from './features/app-file-completion';
import { codeActions } from './features/code-actions';
import { completeSubscribe } from './features/subscribe-completion';
import { doComplete } from './features/completion';
import type { FeatureContext } from './features/context';
import { formatDocument } from './features/formatting';
import { foldingRanges, selectionRanges } from './features/json-structure';
import { doHover } from './features/hover';
import {
  doRename,
  findDefinition,
  findReferences,
  pairFromScript,
  prepareRename,
  scriptDefinition,
  scriptPrepareRename,
  scriptReferences,
  scriptRename,
} from './features/navigation';
import { documentSymbols } from './features/symbols';
import { toDiagnostic, uriToPath } from './lsp-convert';
import { AppTypesRequest, ValidateFilesRequest } from './protocol';
import { checkAppFile } from './service/app-file-check';
import { appFileKindFromName, type AppFileKind } from './service/app-file-kind';
import { appTypes } from './service/app-types';
import { checkFiles, countProblems } from './service/check-files';
import { documentKind } from './service/document-kind';
import { parseDocument, type ParsedDocument, rememberAppJsonParse } from './service/parsed-document';
import { editorFiles } from './service/editor-files';
import { checkScript } from './service/script-check';
import { validateDocument } from './service/validation';

/** Characters beyond which a document is checked only after a pause in the typing. */
const LARGE_DOCUMENT = 256 * 1024;

/**
 * The language server: wires the LSP connection to the protocol-free service in service/ and
 * features/. Handlers only look the document up and translate; the work is done elsewhere.
 */
export class SmartPlugServer {
  private readonly documents = new TextDocuments(TextDocument);
  /** One parse per document version, shared by every feature. */
  private readonly parsed = new Map<string, ParsedDocument>();
  private readonly pendingValidation = new Map<string, NodeJS.Timeout>();
  /** The client's folding limit (LSP foldingRange.rangeLimit). */
  private foldingRangeLimit: number | undefined;

  constructor(private readonly connection: Connection) {}

  start(): void {
    const { connection, documents } = this;
    connection.onInitialize((params): InitializeResult => {
      this.foldingRangeLimit = params.capabilities.textDocument?.foldingRange?.rangeLimit;
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          completionProvider: { triggerCharacters: ['"', ':', ' '], resolveProvider: false },
          hoverProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          renameProvider: { prepareProvider: true },
          documentSymbolProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          documentFormattingProvider: true,
          foldingRangeProvider: true,
          selectionRangeProvider: true,
        },
        serverInfo: { name: 'smartplug-language-server', version: '0.1.0' },
      };
    });
    documents.onDidOpen((e) => this.scheduleValidation(e.document));
    documents.onDidChangeContent((e) => this.scheduleValidation(e.document));
    documents.onDidClose((e) => {
      this.parsed.delete(e.document.uri);
      const pending = this.pendingValidation.get(e.document.uri);
      if (pending) clearTimeout(pending);
      this.pendingValidation.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    connection.onCompletion((p) =>
      this.withScript(p.textDocument.uri, (_pair, ctx) => completeSubscribe(ctx.document, uriToPath(p.textDocument.uri), ctx.document.offsetAt(p.position), ctx.readFile) ?? null) ??
      this.withAppFile(p.textDocument.uri, (kind, ctx) => completeAppFile(kind, ctx.document, uriToPath(p.textDocument.uri), ctx.document.offsetAt(p.position), editorFiles(ctx.readFile))) ??
      this.withDocument(p.textDocument.uri, (parsed, ctx) => doComplete(parsed, ctx.document.offsetAt(p.position), ctx)) ?? null);
    connection.onHover((p) => this.withDocument(p.textDocument.uri, (parsed, ctx) => doHover(parsed, ctx.document.offsetAt(p.position), ctx)) ?? null);
    // Navigation works from app.json and from app.js (settings.X) alike.
    connection.onDefinition((p) =>
      this.withScript(p.textDocument.uri, (pair, ctx) => scriptDefinition(pair, ctx.document.offsetAt(p.position))) ??
      this.withDocument(p.textDocument.uri, (parsed, ctx) => findDefinition(parsed, ctx.document.offsetAt(p.position), ctx)) ?? null);
    connection.onReferences((p) =>
      this.withScript(p.textDocument.uri, (pair, ctx) => scriptReferences(pair, ctx.document.offsetAt(p.position), p.context.includeDeclaration)) ??
      this.withDocument(p.textDocument.uri, (parsed, ctx) => findReferences(parsed, ctx.document.offsetAt(p.position), ctx, p.context.includeDeclaration)) ?? null);
    connection.onPrepareRename((p) =>
      this.withScript(p.textDocument.uri, (pair, ctx) => scriptPrepareRename(pair, ctx.document.offsetAt(p.position))) ??
      this.withDocument(p.textDocument.uri, (parsed, ctx) => prepareRename(parsed, ctx.document.offsetAt(p.position), ctx)) ?? null);
    connection.onRenameRequest((p) =>
      this.withScript(p.textDocument.uri, (pair, ctx) => scriptRename(pair, ctx.document.offsetAt(p.position), p.newName)) ??
      this.withDocument(p.textDocument.uri, (parsed, ctx) => doRename(parsed, ctx.document.offsetAt(p.position), p.newName, ctx)) ?? null);
    connection.onDocumentSymbol((p) => this.withDocument(p.textDocument.uri, (parsed) => documentSymbols(parsed)) ?? null);
    connection.onCodeAction((p) =>
      this.withScript(p.textDocument.uri, (_pair, ctx) => codeActions(undefined, p.range, p.context.diagnostics, ctx)) ??
      this.withAppFile(p.textDocument.uri, (_kind, ctx) => codeActions(undefined, p.range, p.context.diagnostics, ctx)) ??
      this.withDocument(p.textDocument.uri, (parsed, ctx) => codeActions(parsed, p.range, p.context.diagnostics, ctx)) ?? null);
    connection.onDocumentFormatting((p) => this.withDocument(p.textDocument.uri, (parsed, ctx) => formatDocument(parsed, p.options, ctx)) ?? null);
    connection.onFoldingRanges((p) => this.withDocument(p.textDocument.uri, (_parsed, ctx) => foldingRanges(ctx.document, this.foldingRangeLimit)) ?? null);
    connection.onSelectionRanges((p) => this.withDocument(p.textDocument.uri, (parsed, ctx) => selectionRanges(parsed, ctx.document, p.positions)) ?? null);
    connection.onRequest(AppTypesRequest.type, (p) => appTypes(uriToPath(p.uri), (file) => this.readFile(file)));
    connection.onRequest(ValidateFilesRequest.type, (p) => this.validateFiles(p.uris));
    documents.listen(connection);
    connection.listen();
  }

  /** Checks files that need not be open, and publishes their diagnostics (Validate Workspace). */
  private validateFiles(uris: string[]): { files: number; errors: number; warnings: number } {
    const checked = checkFiles(uris.map((uri) => ({ uri, path: uriToPath(uri) })), (file) => this.readFile(file));
    for (const file of checked) {
      // An open document has its own, newer diagnostics: leave those alone.
      if (this.documents.get(file.uri)) continue;
      const document = TextDocument.create(file.uri, 'json', 0, file.text);
      void this.connection.sendDiagnostics({ uri: file.uri, diagnostics: file.problems.map((p) => toDiagnostic(document, p)) });
    }
    return countProblems(checked);
  }

  /** Runs a feature on the document's current parse; undefined when it is none of our formats. */
  private withDocument<T>(uri: string, feature: (parsed: ParsedDocument, ctx: FeatureContext) => T): T | undefined {
    const document = this.documents.get(uri);
    const parsed = this.parsedOf(uri);
    if (!document || !parsed) return undefined;
    return feature(parsed, { document, readFile: (path) => this.readFile(path) });
  }

  /** Runs a feature on an app.js that has an app.json beside it. */
  private withScript<T>(uri: string, feature: (pair: NonNullable<ReturnType<typeof pairFromScript>>, ctx: FeatureContext) => T): T | undefined {
    const document = this.documents.get(uri);
    const scriptPath = uriToPath(uri);
    if (!document || path.basename(scriptPath) !== 'app.js') return undefined;
    const ctx: FeatureContext = { document, readFile: (p) => this.readFile(p) };
    const pair = pairFromScript(uri, scriptPath, ctx);
    return pair ? feature(pair, ctx) : undefined;
  }

  /** Runs a feature on a scenario, instance or devices file. */
  private withAppFile<T>(uri: string, feature: (kind: AppFileKind, ctx: FeatureContext) => T): T | undefined {
    const document = this.documents.get(uri);
    const kind = appFileKindFromName(uriToPath(uri));
    if (!document || !kind) return undefined;
    return feature(kind, { document, readFile: (p) => this.readFile(p) });
  }

  /** An open editor buffer wins over the file on disk (the user's unsaved work is what counts). */
  private readFile(path: string): string | undefined {
    const open = this.documents.get(pathToFileURL(path).href);
    if (open) return open.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The parse of the document's current version, or undefined when it is none of our formats. */
  parsedOf(uri: string): ParsedDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const cached = this.parsed.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const path = uriToPath(uri);
    const kind = documentKind(path, doc.getText());
    if (!kind) return undefined;
    const parsed = parseDocument(uri, path, doc.version, kind, doc.getText());
    this.parsed.set(uri, parsed);
    // app.js's requests read this app.json: they reuse this parse rather than parse it again.
    rememberAppJsonParse(parsed);
    return parsed;
  }

  /**
   * Typing fast yields many versions: validate only the newest. A large document (hundreds of ms
   * to check) waits for a pause in the typing, so every keystroke does not queue a full check and
   * requests about other files are answered in between.
   */
  private scheduleValidation(doc: TextDocument): void {
    const previous = this.pendingValidation.get(doc.uri);
    if (previous) clearTimeout(previous);
    const delay = doc.getText().length > LARGE_DOCUMENT ? 300 : 0;
    this.pendingValidation.set(
      doc.uri,
      setTimeout(() => {
        this.pendingValidation.delete(doc.uri);
        this.validate(doc.uri);
      }, delay),
    );
  }

  private validate(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const filePath = uriToPath(uri);
    const appFile = appFileKindFromName(filePath);
    if (appFile) {
      const problems = checkAppFile(appFile, filePath, doc.getText(), editorFiles((file) => this.readFile(file))) ?? [];
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics: problems.map((p) => toDiagnostic(doc, p)) });
    } else if (path.basename(filePath) === 'app.js') this.validateScript(doc, filePath);
    else {
      const parsed = this.parsedOf(uri);
      if (!parsed) return;
      const diagnostics = validateDocument(parsed, (file) => this.readFile(file)).map((p) => toDiagnostic(doc, p));
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
      // app.js reads app.json's inputs: its diagnostics follow every change of app.json.
      if (parsed.kind === 'app') {
        const script = this.documents.get(pathToFileURL(path.join(path.dirname(filePath), 'app.js')).href);
        if (script) this.scheduleValidation(script);
      }
    }
    this.revalidateDependents(uri, appFile);
  }

  /**
   * Scenarios read the app (app.json, app.js), devices and instance files; instance files read
   * app.json and devices.json; app.json's selector filters read the devices.json beside it. Their
   * open documents are checked again when one of those changes.
   */
  private revalidateDependents(uri: string, changed: AppFileKind | undefined): void {
    if (changed === 'scenario') return;
    const besideAppJson = changed === 'devices' ? pathToFileURL(path.join(path.dirname(uriToPath(uri)), 'app.json')).href : undefined;
    for (const doc of this.documents.all()) {
      if (doc.uri === uri) continue;
      const kind = appFileKindFromName(uriToPath(doc.uri));
      if (kind === 'scenario' || (kind === 'instance' && changed !== 'instance') || doc.uri === besideAppJson) this.scheduleValidation(doc);
    }
  }

  private validateScript(doc: TextDocument, scriptPath: string): void {
    const problems = checkScript(scriptPath, doc.getText(), (file) => this.readFile(file)) ?? [];
    void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: problems.map((p) => toDiagnostic(doc, p)) });
  }
}
