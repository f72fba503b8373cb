// Test-only reference editor for the editor benchmark (test/bench/editor.js), side-loaded next to
// Maskwright as a second extensionDevelopmentPath: a read-only custom editor whose webview shows
// the image in an <img> with an empty <canvas> of the same size over it, and nothing else. Its
// frame rate and pointer-move count are what VS Code, code-server and the browser give any webview;
// Maskwright's rows are compared against it. The page sets body data-state="trivial-ready" once the
// image has loaded, under the same kind of nonce CSP as Maskwright.
'use strict';
const crypto = require('crypto');
const vscode = require('vscode');

function html(webview, uri) {
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
</script></body></html>`;
}

module.exports.activate = function activate(context) {
  context.subscriptions.push(vscode.window.registerCustomEditorProvider('mwbench.trivial', {
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    resolveCustomEditor: (doc, panel) => {
      panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(doc.uri, '..')] };
      panel.webview.html = html(panel.webview, doc.uri);
    },
  }, { webviewOptions: { retainContextWhenHidden: false } }));
};

module.exports.deactivate = function deactivate() {};
