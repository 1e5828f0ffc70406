/**
 * The configuration guide's HTML under a strict Content Security Policy: the page's bundle and
 * styles travel inline, each allowed by this page load's nonce (a fetch through the webview's
 * service worker costs far more than their bytes); the codicon font is the one thing loaded, and
 * only from the extension's own files (`resourceOrigin`: the webview's cspSource). No other
 * script or style runs, inline or not. The extension and the page tests serve this same HTML.
 */
import type { ExtensionMessage } from './messages';

export interface GuidePageParts {
  /** Where the page may load the codicon font from: the webview's `cspSource`. */
  resourceOrigin: string;
  /** A fresh random value for each page load (at least 128 bits, base64 or hex). */
  nonce: string;
  /** The page's bundle (dist/guide/page.js). */
  script: string;
  /** Its stylesheets, in order. */
  styles: readonly string[];
  title: string;
  /**
   * Messages the page applies before it first draws, so it shows the guide at once instead of
   * after a round trip to the extension. Carried as a JSON data block, which is never run.
   */
  initial?: readonly ExtensionMessage[];
}

/** JSON that cannot end its <script> element or open a comment in it, whatever strings it holds. */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export const INITIAL_MESSAGES_ID = 'guide-initial';

export function guideContentSecurityPolicy(resourceOrigin: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${resourceOrigin} data:`, `font-src ${resourceOrigin}`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function guidePageHtml(p: GuidePageParts): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(p.nonce)) throw new Error('the page nonce must be at least 16 base64 or hex characters');
  // Inline code must not end its own element early.
  if (/<\/script/i.test(p.script)) throw new Error('the page bundle contains "</script": it cannot be inlined');
  if (p.styles.some((css) => /<\/style/i.test(css))) throw new Error('a page stylesheet contains "</style": it cannot be inlined');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(guideContentSecurityPolicy(p.resourceOrigin, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.styles.map((css) => `<style nonce="${p.nonce}">\n${css}</style>`).join('\n')}
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<div id="guide-root"></div>
${p.initial ? `<script type="application/json" id="${INITIAL_MESSAGES_ID}">${jsonForScriptElement(p.initial)}</script>\n` : ''}<script nonce="${p.nonce}">${p.script}</script>
</body>
</html>
`;
}
