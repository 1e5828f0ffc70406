/**
 * The parts of the configuration guide's page as built in dist/guide/: its bundle, guide.css and
 * the codicons it uses (their font served from `fontUri`). Read once per process: they change only
 * with a new build. Plain Node, so the page tests assemble the page exactly as the extension does.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface GuidePageAssets {
  script: string;
  styles: string[];
}

const cache = new Map<string, { script: string; guideCss: string; codiconCss: string }>();

export function guidePageAssets(distGuideDir: string, fontUri: string): GuidePageAssets {
  let files = cache.get(distGuideDir);
  if (!files) {
    const read = (f: string) => readFileSync(path.join(distGuideDir, f), 'utf8');
    files = { script: read('page.js'), guideCss: read('guide.css'), codiconCss: read('codicons.css') };
    cache.set(distGuideDir, files);
  }
  return { script: files.script, styles: [files.codiconCss.replace('CODICON_FONT_URL', fontUri), files.guideCss] };
}
