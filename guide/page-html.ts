/**
 * The configuration guide's HTML: a shell that loads the page's bundle and styles under a strict
 * Content Security Policy. Nothing may load from anywhere but the extension's own files
 * (`resourceOrigin`: the webview's cspSource), scripts run only with this page's nonce, and no
 * inline style or script is allowed. The extension and the page tests serve this same HTML.
 */
export interface GuidePageUris {
  /** Where the page may load resources from: the webview's `cspSource`. */
  resourceOrigin: string;
  /** A fresh random value for each page load (at least 128 bits, base64 or hex). */
  nonce: string;
  script: string;
  style: string;
  codicons: string;
  title: string;
}

export function guideContentSecurityPolicy(resourceOrigin: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${resourceOrigin} data:`, `font-src ${resourceOrigin}`, `style-src ${resourceOrigin}`, `script-src 'nonce-${nonce}'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function guidePageHtml(u: GuidePageUris): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(u.nonce)) throw new Error('the page nonce must be at least 16 base64 or hex characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(guideContentSecurityPolicy(u.resourceOrigin, u.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(u.codicons)}">
<link rel="stylesheet" href="${escapeAttr(u.style)}">
<title>${escapeAttr(u.title)}</title>
</head>
<body>
<div id="guide-root"></div>
<script nonce="${u.nonce}" src="${escapeAttr(u.script)}"></script>
</body>
</html>
`;
}
