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
 * and fetches of the image, and 'wasm-unsafe-eval' so its pixel worker, which inherits this policy
 * through its blob: URL, can compile the embedded wasm SIMD kernels: it allows WebAssembly
 * compilation only, not eval); the failure page and the overview need none of it.
 */
export function csp(webview: vscode.Webview, n: string, full = true): string {
  const src = webview.cspSource;
  return [
    "default-src 'none'",
    ...(full ? [`img-src ${src} blob: data:`] : []),
    `style-src ${src} 'nonce-${n}'`,
    `font-src ${src}`,
    `script-src 'nonce-${n}'${full ? " 'wasm-unsafe-eval'" : ''}`,
    ...(full ? ['worker-src blob:', `connect-src ${src}`] : []),
  ].join('; ');
}

/** What differs between the extension's pages; the head, CSP and nonce are the same for all. */
export interface PageSpec {
  readonly title: string;
  /** Stylesheets under the extension, e.g. ['media', 'editor.css']. */
  readonly styles: readonly (readonly string[])[];
  /** The page's one script under the extension. */
  readonly script: readonly string[];
  /** The editor's CSP (images, worker, fetch, wasm compilation); other pages get the narrow one. */
  readonly fullCsp?: boolean;
  /** Attributes of <body>, already escaped; the body's content, already escaped. */
  readonly bodyAttrs: string;
  readonly body: string;
}

/** A webview page: nonce CSP, the given stylesheets and script only. `uri` maps extension paths to webview URIs. */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, spec: (uri: (...p: string[]) => string) => PageSpec): string {
  const n = nonce();
  const uri = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const s = spec(uri);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp(webview, n, s.fullCsp === true)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${s.styles.map((st) => `<link rel="stylesheet" nonce="${n}" href="${uri(...st)}">`).join('\n')}
<title>${escapeHtml(s.title)}</title>
</head>
<body ${s.bodyAttrs}>
${s.body}
<script nonce="${n}" src="${uri(...s.script)}"></script>
</body>
</html>`;
}

export function editorHtml(webview: vscode.Webview, extensionUri: vscode.Uri, opacity: number): string {
  return pageHtml(webview, extensionUri, (uri) => ({
    title: 'Mask Editor', fullCsp: true,
    styles: [['dist', 'codicon.css'], ['media', 'editor.css']], script: ['dist', 'webview.js'],
    bodyAttrs: `data-worker="${uri('dist', 'webviewWorker.js')}" data-opacity="${Number(opacity)}"`,
    body: '<div id="root"></div>',
  }));
}

/**
 * The one failure page, shown instead of the editor for anything that cannot be shown (corrupt,
 * truncated, too large, unsupported, unreadable): names the file and the reason, offers the default
 * editor and Previous / Next image (buttons, PageUp / PageDown; Alt+Left / Alt+Right are VS Code
 * keybindings). Its only script is media/failure.js under the same nonce CSP.
 */
export function failureHtml(webview: vscode.Webview, extensionUri: vscode.Uri, fileName: string, message: string, position?: { index: number; total: number }): string {
  const nav = position && position.total > 1;
  return pageHtml(webview, extensionUri, () => ({
    title: 'Mask Editor',
    styles: [['dist', 'codicon.css'], ['media', 'editor.css']], script: ['media', 'failure.js'],
    bodyAttrs: `data-state="error" data-file="${escapeHtml(fileName)}"`,
    body: `<div class="mw-load-error" role="alert">
<h2>${escapeHtml(fileName)} cannot be opened in the mask editor</h2>
<p class="mw-load-error-message">${escapeHtml(message)}</p>
<p>No mask file was read or written.</p>
<p class="mw-load-error-actions">
${nav ? '<button type="button" data-command="previousImage" title="Previous image (PageUp, Alt+Left)"><span class="codicon codicon-arrow-left"></span> Previous image</button>' : ''}
${nav ? '<button type="button" data-command="nextImage" title="Next image (PageDown, Alt+Right)">Next image <span class="codicon codicon-arrow-right"></span></button>' : ''}
<button type="button" data-command="openDefault">Open with the default editor</button>
</p>
${nav ? `<p class="mw-load-error-position">Image ${position.index + 1} of ${position.total} in this folder.</p>` : ''}
</div>`,
  }));
}
