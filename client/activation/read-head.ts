/**
 * Reads only the start of a file: deciding whether a file is ours must not read a multi-megabyte
 * file whole, and nothing on the extension host reads files synchronously.
 */
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { HEAD_BYTES } from './app-detection';

/** The first `bytes` of a file as text; undefined when it cannot be read. */
export async function readHead(uri: vscode.Uri, bytes = HEAD_BYTES): Promise<string | undefined> {
  try {
    if (uri.scheme === 'file') {
      const file = await open(uri.fsPath, 'r');
      try {
        const buffer = Buffer.alloc(bytes);
        const { bytesRead } = await file.read(buffer, 0, bytes, 0);
        return buffer.toString('utf8', 0, bytesRead);
      } finally {
        await file.close();
      }
    }
    // Other file systems offer no partial read.
    const data = await vscode.workspace.fs.readFile(uri);
    return Buffer.from(data.buffer, data.byteOffset, Math.min(bytes, data.byteLength)).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The start of an open document (its unsaved text: what the user sees is what counts). */
export function documentHead(document: vscode.TextDocument, chars = HEAD_BYTES): string {
  return document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(chars)));
}

/** The head of a file, from its open editor buffer when there is one. */
export async function headOf(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? documentHead(open) : readHead(uri);
}
