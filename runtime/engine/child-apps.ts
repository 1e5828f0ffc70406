/**
 * The limit on child apps (issue 13): each is a context re-created, top level and all, at every
 * restore, so an app may not add children without end.
 */
import type { InstalledApp } from './installed-app';

/** Child apps per app the user installed, children of children included. */
export const MAX_CHILD_APPS = 20;

/** Throws addChildApp's error when the family `parent` belongs to already has MAX_CHILD_APPS children. */
export function checkChildLimit(parent: InstalledApp, apps: ReadonlyMap<string, InstalledApp>): void {
  const root = rootOf(parent, apps);
  if (descendantCount(root, apps) < MAX_CHILD_APPS) return;
  const who = root === parent ? 'this app already has' : `"${root.label}", the app this one belongs to, already has`;
  throw new Error(`addChildApp: ${who} ${MAX_CHILD_APPS} child apps (their own children count too); the limit is ${MAX_CHILD_APPS}. Delete one with deleteChildApp(id) first, or reuse one (getChildAppByLabel)`);
}

/** The app the user installed, at the top of this app's family. */
function rootOf(app: InstalledApp, apps: ReadonlyMap<string, InstalledApp>): InstalledApp {
  let root = app;
  for (let p = apps.get(root.parentId ?? ''); p; p = apps.get(p.parentId ?? '')) root = p;
  return root;
}

function descendantCount(app: InstalledApp, apps: ReadonlyMap<string, InstalledApp>): number {
  let n = 0;
  for (const id of app.children) {
    const child = apps.get(id);
    if (child) n += 1 + descendantCount(child, apps);
  }
  return n;
}
