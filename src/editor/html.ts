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

function csp(webview: vscode.Webview, n: string): string {
  const src = webview.cspSource;
  return [
    "default-src 'none'",
    `img-src ${src} blob: data:`,
    `style-src ${src} 'nonce-${n}'`,
    `font-src ${src}`,
    `script-src 'nonce-${n}'`,
    'worker-src blob:',
    `connect-src ${src}`,
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

/** Shown instead of the editor when the image itself cannot be opened. No script at all. */
export function errorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, fileName: string, message: string): string {
  const n = nonce();
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'editor.css')).toString();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${n}';">
<link rel="stylesheet" nonce="${n}" href="${css}">
<title>Mask Editor</title>
</head>
<body data-state="error">
<div class="mw-load-error" role="alert">
<h2>${escapeHtml(fileName)} cannot be opened in the mask editor</h2>
<p class="mw-load-error-message">${escapeHtml(message)}</p>
<p>No mask file was read or written. Use "Reopen Editor With..." to view the file with another editor.</p>
</div>
</body>
</html>`;
}
