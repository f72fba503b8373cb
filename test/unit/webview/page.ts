// A stand-in for the host page (src/editor/html.ts) for browser tests of the webview: the same CSP
// and markup, with acquireVsCodeApi stubbed by a script that records posted messages, answers
// 'ready' with an init message, and replies to edits (ok, or refused when __failEdits is set).
export const ORIGIN = 'http://mw.test';

export interface PageInit {
  readonly width: number;
  readonly height: number;
  /** JSON-able parts of the init message; semantic/instances start empty (all background), the semantic map 16-bit when config.semanticBits is 16. */
  readonly config: unknown;
  /** Image path under ORIGIN (default /img.png). */
  readonly image?: string;
  readonly readonly?: boolean;
  /** Answer requestPixels with RGBA bytes of a vertical split: left (r,g,b) = 10,20,30, right 220,210,200. */
  readonly rgbaFallback?: boolean;
  /** init.promptModel (null: no promptable model set) and init.helpUrl. */
  readonly promptModel?: string | null;
  readonly helpUrl?: string;
  /** init.notes: information shown as a notice. */
  readonly notes?: readonly string[];
}

export function pageHtml(init: PageInit): string {
  const csp = `default-src 'none'; img-src ${ORIGIN} blob: data:; style-src ${ORIGIN} 'nonce-N'; font-src ${ORIGIN}; script-src 'nonce-N' 'wasm-unsafe-eval'; worker-src blob:; connect-src ${ORIGIN};`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" nonce="N" href="${ORIGIN}/codicon.css"><link rel="stylesheet" nonce="N" href="${ORIGIN}/editor.css">
<script nonce="N">
(function () {
  const W = ${init.width}, H = ${init.height};
  window.__out = []; window.__failEdits = false; window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));
  let state = null;
  const send = (m) => setTimeout(() => window.postMessage(m, '*'), 1);
  window.acquireVsCodeApi = () => ({
    getState: () => state,
    setState: (s) => { state = s; },
    postMessage: (m) => {
      window.__out.push(m);
      if (m.type === 'ready') send({ type: 'init', fileName: 'img.png', width: W, height: H, image: { kind: 'url', url: '${ORIGIN}${init.image ?? '/img.png'}' },
        semantic: new ${(init.config as { semanticBits?: number } | null)?.semanticBits === 16 ? 'Uint16Array' : 'Uint8Array'}(W * H), instances: new Uint16Array(W * H), instanceInfo: [], config: ${JSON.stringify(init.config)},
        position: { index: 0, total: 1 }, warnings: [], readonly: ${init.readonly === true}${init.promptModel !== undefined ? `, promptModel: ${JSON.stringify(init.promptModel)}` : ''}${init.helpUrl ? `, helpUrl: ${JSON.stringify(init.helpUrl)}` : ''}${init.notes ? `, notes: ${JSON.stringify(init.notes)}` : ''} });
      if (m.type === 'requestPixels') {
        if (!${init.rgbaFallback === true}) { send({ type: 'reply', id: m.id, ok: false, error: 'no pixels (test)' }); return; }
        const px = new Uint8Array(W * H * 4);
        for (let i = 0; i < W * H; i++) px.set(i % W < W / 2 ? [10, 20, 30, 255] : [220, 210, 200, 255], i * 4);
        send({ type: 'reply', id: m.id, ok: true, result: px });
      }
      if (m.type === 'edit') send(window.__failEdits ? { type: 'reply', id: m.id, ok: false, error: 'disk full (test)' } : { type: 'reply', id: m.id, ok: true });
      if (m.type === 'command') send({ type: 'reply', id: m.id, ok: true });
    },
  });
})();
</script></head>
<body data-worker="${ORIGIN}/webviewWorker.js" data-opacity="0.5"><div id="root"></div><script nonce="N" src="${ORIGIN}/webview.js"></script></body></html>`;
}
