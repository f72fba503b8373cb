// Test-only reference editors for the editor benchmark (test/bench/editor.js), side-loaded next to
// Maskwright as a second extensionDevelopmentPath: read-only custom editors whose webview shows the
// image in an <img> with a <canvas> of the same size over it. 'mwbench.trivial' draws nothing: its
// frame rate and pointer-move count are what VS Code, code-server and the browser give any webview,
// and Maskwright's rows are compared against it. 'mwbench.trivialDraw' draws a 6x6 dot on the
// canvas at each pointer move and nothing else: what the least visible change per move costs. The
// page sets body data-state="trivial-ready" once the image has loaded, under a nonce CSP.
'use strict';
const crypto = require('crypto');
const vscode = require('vscode');

function html(webview, uri, draw) {
  const n = crypto.randomBytes(16).toString('base64').replace(/[+/=]/g, '');
  const src = webview.asWebviewUri(uri).toString();
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src 'nonce-${n}'; script-src 'nonce-${n}'">
<style nonce="${n}">html,body{margin:0;height:100%;overflow:hidden;background:#1e1e1e}
#stage{position:relative;width:100%;height:100%}
img,canvas{position:absolute;inset:0;width:100%;height:100%;object-fit:contain;touch-action:none}</style>
</head><body data-state="loading"><div id="stage"><img id="img" alt="" src="${src}"><canvas id="c"></canvas></div>
<script nonce="${n}">
const img = document.getElementById('img');
const done = () => { document.body.dataset.state = img.naturalWidth ? 'trivial-ready' : 'error'; };
if (img.complete) done(); else { img.addEventListener('load', done); img.addEventListener('error', done); }
${draw ? `const c = document.getElementById('c');
c.width = c.clientWidth; c.height = c.clientHeight;
const ctx = c.getContext('2d');
ctx.fillStyle = '#ff0';
c.addEventListener('pointermove', (e) => { if (e.buttons) ctx.fillRect(e.offsetX - 3, e.offsetY - 3, 6, 6); });` : ''}
</script></body></html>`;
}

module.exports.activate = function activate(context) {
  for (const [viewType, draw] of [['mwbench.trivial', false], ['mwbench.trivialDraw', true]]) {
    context.subscriptions.push(vscode.window.registerCustomEditorProvider(viewType, {
      openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
      resolveCustomEditor: (doc, panel) => {
        panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(doc.uri, '..')] };
        panel.webview.html = html(panel.webview, doc.uri, draw);
      },
    }, { webviewOptions: { retainContextWhenHidden: false } }));
  }
};

module.exports.deactivate = function deactivate() {};
