// The extension loads in a real VS Code (code-server's extension host) and registers its commands.
'use strict';
/* global suite, test */
const assert = require('assert');
const vscode = require('vscode');
const { api, EXT_ID } = require('./helpers');

suite('activation', () => {
  test('the extension activates and returns its API', async () => {
    const a = await api();
    assert.ok(vscode.extensions.getExtension(EXT_ID).isActive);
    for (const f of ['documents', 'activeDocument', 'whenPanelReady', 'receiveFromWebview', 'sentToWebview']) {
      assert.strictEqual(typeof a[f], 'function', `API has ${f}()`);
    }
  });

  test('its commands are registered', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    for (const c of ['maskwright.openInMaskEditor', 'maskwright.nextImage', 'maskwright.previousImage']) {
      assert.ok(all.includes(c), `command ${c} is registered`);
    }
  });
});
