/**
 * The same end-to-end checks in a desktop VS Code, through the VS Code API, with
 * `@vscode/test-electron` — for machines that can download VS Code (it fetches it into
 * `.vscode-test/`). Not part of `npm test`: where VS Code cannot be downloaded (these machines),
 * the code-server suite (test/e2e/*.test.ts) is the one that runs.
 *
 *   node --import tsx test/e2e/electron/run-tests.ts      (npm run test:electron)
 *   VSCODE_VERSION=1.100.0 …                               a given VS Code (default: stable)
 *
 * It builds the extension first (`npm run build`), bundles the in-editor suite (suite/) with
 * esbuild into test/e2e/electron/out/, opens a copy of test/e2e/samples with the extension under
 * development and every other extension disabled, and exits with the suite's status.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const OUT = path.join(__dirname, 'out');

async function main(): Promise<void> {
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
  fs.rmSync(OUT, { recursive: true, force: true });
  // Inside VS Code the suite is plain CommonJS; mocha is loaded from the repo's node_modules (out/ is inside the repo).
  await build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts'), path.join(__dirname, 'suite', 'extension.vscode.ts')],
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smartplug-electron-'));
  const workspace = path.join(tmp, 'samples');
  fs.cpSync(path.join(__dirname, '..', 'samples'), workspace, { recursive: true });
  try {
    await runTests({
      ...(process.env.VSCODE_VERSION ? { version: process.env.VSCODE_VERSION } : {}),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(OUT, 'index.js'),
      extensionTestsEnv: { SMARTPLUG_E2E_WORKSPACE: workspace },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(tmp, 'user-data')],
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
