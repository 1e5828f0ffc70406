/**
 * The session the e2e test files share: one code-server, one browser and one window on a copy of
 * the sample workspace (test/e2e/samples), started by the first `before` that asks for it and
 * stopped after the whole mocha run (a root-level `after` hook, registered when this module loads).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E2E, RESULTS, ROOT, SAMPLE_WORKSPACE, type Window } from './harness';

/** test/fixtures/apps/debuggee: copied into the workspace as door-debug. */
const DEBUGGEE_APP = path.join(ROOT, 'test', 'fixtures', 'apps', 'debuggee');

export interface Session {
  e2e: E2E;
  /** The window on the copy of test/e2e/samples. */
  samples: Window;
  /** Where that copy is. */
  workspace: string;
}

let started: Promise<Session> | undefined;

async function startSession(): Promise<Session> {
  // This run's artifacts only.
  fs.rmSync(RESULTS, { recursive: true, force: true });
  const extensionFolder = process.env.SMARTPLUG_E2E_EXTENSION_FOLDER; // an unpacked extension, for working on the harness
  const e2e = await E2E.start(extensionFolder ? { extensionFolder } : {});
  try {
    const workspace = e2e.copyWorkspace(SAMPLE_WORKSPACE);
    // The app the debugging test debugs is the debug adapter's own test app (one copy of it in the source).
    fs.cpSync(DEBUGGEE_APP, path.join(workspace, 'door-debug'), { recursive: true });
    const samples = await e2e.open(workspace);
    await samples.screenshot('00-workbench');
    return { e2e, samples, workspace };
  } catch (e) {
    await e2e.stop();
    throw e;
  }
}

export interface SessionGetter {
  (): Session;
  /** The session, or undefined when it did not start (for cleanup hooks: the first failure says why). */
  peek(): Session | undefined;
}

/** Registers a `before` that gives the describe block the shared session; returns its getter. */
export function useSession(): SessionGetter {
  let session: Session | undefined;
  before(async function () {
    this.timeout(180_000);
    started ??= startSession();
    session = await started;
  });
  // What the screen showed when a test failed: a screenshot of every window.
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !session) return;
    const name = this.currentTest.title.slice(0, 60);
    for (const [i, w] of session.e2e.windows.entries()) await w.screenshot(`FAILED-${name}${i ? `-window${i + 1}` : ''}`).catch(() => {});
  });
  const get = () => {
    if (!session) throw new Error('the e2e session did not start (see the first failure)');
    return session;
  };
  return Object.assign(get, { peek: () => session });
}

after(async function () {
  this.timeout(60_000);
  if (!started) return;
  const s = await started.catch(() => undefined);
  await s?.e2e.stop();
});

/** Screenshots named "<NN>-<prefix>-<step>.png" (NN: the order they were taken in). */
export function shots(win: () => Window, prefix: string): (step: string) => Promise<string> {
  return (step) => win().screenshot(`${prefix}-${step}`);
}

/**
 * Puts a sample app back as it is in test/e2e/samples (after a test whose edits VS Code saved,
 * e.g. a rename's changes to files that were not open: files.refactoring.autoSave).
 */
export function restoreSample(s: Session, app: string): void {
  fs.cpSync(path.join(SAMPLE_WORKSPACE, app), path.join(s.workspace, app), { recursive: true, force: true });
}
