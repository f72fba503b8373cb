// The webview's HTML: strict CSP with a per-load nonce, only the extension's dist/ and media/ and the
// image's folder as resources, no inline script or style.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return crypto.randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The strict CSP of every Maskwright webview: nothing by default, styles and scripts only under the
 * page's nonce, fonts from the extension. `full` adds what the editor needs (its images, worker
 * and fetches of the image); the failure page and the overview need none of it.
 */
export function csp(webview: vscode.Webview, n: string, full = true): string {
  const src = webview.cspSource;
  return [
    "default-src 'none'",
    ...(full ? [`img-src ${src} blob: data:`] : []),
    `style-src ${src} 'nonce-${n}'`,
    `font-src ${src}`,
    `script-src 'nonce-${n}'`,
    ...(full ? ['worker-src blob:', `connect-src ${src}`] : []),
  ].join('; ');
}

export function editorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, opacity: number): string {
  const n = nonce();
  const uri = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp(webview, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" nonce="${n}" href="${uri('dist', 'codicon.css')}">
<link rel="stylesheet" nonce="${n}" href="${uri('media', 'editor.css')}">
<title>Mask Editor</title>
</head>
<body data-worker="${uri('dist', 'webviewWorker.js')}" data-opacity="${Number(opacity)}">
<div id="root"></div>
<script nonce="${n}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/**
 * The one failure page, shown instead of the editor for anything that cannot be shown (corrupt,
 * truncated, too large, unsupported, unreadable): names the file and the reason, offers the default
 * editor and Previous / Next image (buttons, PageUp / PageDown; Alt+Left / Alt+Right are VS Code
 * keybindings). Its only script is media/failure.js under the same nonce CSP.
 */
export function failureHtml(webview: vscode.Webview, extensionUri: vscode.Uri, fileName: string, message: string, position?: { index: number; total: number }): string {
  const n = nonce();
  const uri = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const nav = position && position.total > 1;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp(webview, n, false)}">
<link rel="stylesheet" nonce="${n}" href="${uri('dist', 'codicon.css')}">
<link rel="stylesheet" nonce="${n}" href="${uri('media', 'editor.css')}">
<title>Mask Editor</title>
</head>
<body data-state="error" data-file="${escapeHtml(fileName)}">
<div class="mw-load-error" role="alert">
<h2>${escapeHtml(fileName)} cannot be opened in the mask editor</h2>
<p class="mw-load-error-message">${escapeHtml(message)}</p>
<p>No mask file was read or written.</p>
<p class="mw-load-error-actions">
${nav ? '<button type="button" data-command="previousImage" title="Previous image (PageUp, Alt+Left)"><span class="codicon codicon-arrow-left"></span> Previous image</button>' : ''}
${nav ? `<button type="button" data-command="nextImage" title="Next image (PageDown, Alt+Right)">Next image <span class="codicon codicon-arrow-right"></span></button>` : ''}
<button type="button" data-command="openDefault">Open with the default editor</button>
</p>
${nav ? `<p class="mw-load-error-position">Image ${position.index + 1} of ${position.total} in this folder.</p>` : ''}
</div>
<script nonce="${n}" src="${uri('media', 'failure.js')}"></script>
</body>
</html>`;
}
