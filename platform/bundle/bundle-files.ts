/**
 * Which files of an app folder a bundle holds.
 *
 * A bundle holds app.json, app.js, and manifest.json and README.md when present: what a Thing
 * runs and what describes it. It never holds instance.json (one installation's config: the
 * platform sends config objects with the Thing's desired state), devices.json and scenarios (the
 * author's simulated world and tests), node_modules, or .smartplug/ (the local platform's state).
 */
import { APP_JSON, APP_SCRIPT, MANIFEST } from '../../runtime/app/load-app';

export { APP_JSON, APP_SCRIPT, MANIFEST };
export const README = 'README.md';

/** The files a bundle holds, each at the zip's root; the first two are required. */
export const BUNDLED_FILES = [APP_JSON, APP_SCRIPT, MANIFEST, README] as const;

/** The scripts a bundle holds, whose names a later version may not change (seed 000). */
export const SCRIPT_FILES = [APP_SCRIPT] as const;
