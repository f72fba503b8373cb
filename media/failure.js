// The failure page's only script (src/editor/html.ts failureHtml): its buttons and PageUp/PageDown
// post commands to the host, which validates them like every other webview message.
/* global document, window, acquireVsCodeApi */
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  let id = 1;
  const send = (command) => vscode.postMessage({ type: 'command', id: id++, command });
  for (const b of document.querySelectorAll('button[data-command]')) b.addEventListener('click', () => send(b.dataset.command));
  window.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    if (e.key === 'PageDown') { send('nextImage'); e.preventDefault(); }
    if (e.key === 'PageUp') { send('previousImage'); e.preventDefault(); }
  });
  const first = document.querySelector('button[data-command="nextImage"]') || document.querySelector('button');
  if (first) first.focus();
})();
