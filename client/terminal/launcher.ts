/**
 * The `smartplug` launcher the integrated terminal finds on its PATH: a script that runs the
 * extension's own CLI bundle with the Node that runs the extension. In desktop VS Code that is
 * Electron, run as Node (ELECTRON_RUN_AS_NODE=1, set in the script only, never in the terminal).
 * Node only (no vscode): the tests write a launcher and run it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface LauncherOptions {
  /** The folder to write it into (it is created); this folder goes on the PATH. */
  dir: string;
  /** The Node (or Electron) binary. */
  execPath: string;
  /** The CLI bundle: dist/runtime/cli.js of the installed extension. */
  cliPath: string;
  platform?: NodeJS.Platform;
}

/** Writes the launcher (again: VS Code's binary moves with every update); returns its path. */
export function writeLauncher(o: LauncherOptions): string {
  mkdirSync(o.dir, { recursive: true });
  if ((o.platform ?? process.platform) === 'win32') {
    const file = path.join(o.dir, 'smartplug.cmd');
    // setlocal: the variable stays in the launcher, not in the user's cmd session.
    writeFileSync(file, `@echo off\r\nsetlocal\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${o.execPath}" "${o.cliPath}" %*\r\n`);
    return file;
  }
  const file = path.join(o.dir, 'smartplug');
  writeFileSync(file, `#!/bin/sh\n# Written by the SmartPlug Apps extension: its smartplug command, run by VS Code's own Node.\nELECTRON_RUN_AS_NODE=1 exec ${shellQuote(o.execPath)} ${shellQuote(o.cliPath)} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A POSIX shell word that is exactly `s`, whatever it holds. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
