// Helpers for the integration suite (runs inside the extension host): the extension's API, waiting,
// and two independent readers of the mask files on disk - the project's own PNG decoder (compiled
// to out/) and Debian's PIL through /usr/bin/python3 - plus a PIL writer for "external" changes.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');
const vscode = require('vscode');

const REPO = path.resolve(__dirname, '..', '..');
const EXT_ID = 'maskwright.maskwright';
const VIEW_TYPE = 'maskwright.maskEditor';
const PYTHON = process.env.MW_PYTHON || '/usr/bin/python3';

async function api() {
  const ext = vscode.extensions.getExtension(EXT_ID);
  assert.ok(ext, `extension ${EXT_ID} is loaded`);
  const a = await ext.activate();
  assert.ok(a && typeof a.receiveFromWebview === 'function', 'activate() returns the Maskwright API');
  return a;
}

function wsDir() {
  const f = vscode.workspace.workspaceFolders;
  assert.ok(f && f.length > 0, 'a workspace folder is open');
  return f[0].uri.fsPath;
}

const wsUri = (name) => vscode.Uri.file(path.join(wsDir(), name));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns truthy; throws with `what` after timeoutMs. */
async function until(fn, what, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Opens uri in the mask editor and waits for its panel to post 'ready'; returns the document handle. */
async function openEditor(a, uri, column) {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, column);
  await a.whenPanelReady(uri, 60000);
  const doc = a.documents().find((d) => d.uri.toString() === uri.toString());
  assert.ok(doc, `a mask document is open for ${path.basename(uri.fsPath)}`);
  return doc;
}

/** Closes every editor without save prompts (unsaved edits are reverted first). */
async function closeAll() {
  for (let i = 0; i < 30 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const left = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    if (left.length > 0 && !vscode.window.tabGroups.activeTabGroup.activeTab) {
      await vscode.window.tabGroups.close(left.filter((t) => !t.isDirty));
    }
  }
}

/** The workbench's tabs for uri (the extension host learns of dirty state through them). */
function tabsOf(uri) {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString());
}

/** Waits until the workbench shows every tab of uri as dirty (or clean): the edit reached VS Code's undo stack. */
function untilTabsDirty(uri, dirty = true) {
  return until(() => tabsOf(uri).length > 0 && tabsOf(uri).every((t) => t.isDirty === dirty), `the workbench to mark ${path.basename(uri.fsPath)} ${dirty ? 'dirty' : 'clean'}`);
}

let nextId = 1000;
/** A one-patch semantic edit that fills the rectangle with classId (before = current values). */
function fillEdit(doc, x, y, w, h, classId, label = 'test stroke') {
  const before = new Uint8Array(w * h), after = new Uint8Array(w * h).fill(classId);
  for (let r = 0; r < h; r++) before.set(doc.maps.semantic.subarray((y + r) * doc.maps.width + x, (y + r) * doc.maps.width + x + w), r * w);
  return { type: 'edit', id: nextId++, edit: { label, patches: [{ layer: 'semantic', x, y, w, h, before, after }] } };
}

/** Counts pixels of a width-wide id array inside / outside a rectangle that equal `id`. */
function countIn(ids, width, rect, id) {
  let inside = 0, outside = 0;
  for (let i = 0; i < ids.length; i++) {
    const x = i % width, y = (i / width) | 0;
    const inRect = x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h;
    if (ids[i] === id) { if (inRect) inside++; else outside++; }
  }
  return { inside, outside };
}

/** The project's own decoder (src/algorithms/codecs, compiled to out/ by the harness). */
function readIdsProject(file) {
  const { decodePng } = require(path.join(REPO, 'out', 'src', 'algorithms', 'codecs', 'pngDecode.js'));
  const d = decodePng(new Uint8Array(fs.readFileSync(file)), (data, max) => zlib.inflateSync(data, { maxOutputLength: max }));
  return { width: d.header.width, height: d.header.height, colorType: d.header.colorType, bitDepth: d.header.bitDepth, ids: d.data, palette: d.palette };
}

/** Debian's PIL: np.array(Image.open(file)) - what training code sees. */
function readIdsPil(file) {
  const code = [
    'import sys, base64, json, numpy as np',
    'from PIL import Image',
    'im = Image.open(sys.argv[1]); a = np.array(im)',
    'print(json.dumps({"mode": im.mode, "width": im.width, "height": im.height, "dtype": str(a.dtype), "shape": list(a.shape), "data": base64.b64encode(a.astype(np.uint8).tobytes()).decode()}))',
  ].join('\n');
  const out = JSON.parse(execFileSync(PYTHON, ['-c', code, file], { maxBuffer: 1 << 28, encoding: 'utf8' }));
  return { mode: out.mode, width: out.width, height: out.height, dtype: out.dtype, shape: out.shape, ids: new Uint8Array(Buffer.from(out.data, 'base64')) };
}

/** Writes an 8-bit palette PNG with PIL: zeros, with rect filled by id (a "foreign" program's write). */
function writeMaskPil(file, width, height, rect, id) {
  const code = [
    'import sys, numpy as np',
    'from PIL import Image',
    'w, h, x, y, rw, rh, v = map(int, sys.argv[2:9])',
    'a = np.zeros((h, w), np.uint8); a[y:y+rh, x:x+rw] = v',
    'im = Image.fromarray(a, "P"); im.putpalette([0,0,0, 128,0,0, 0,128,0] + [0]*(253*3))',
    'im.save(sys.argv[1] + ".tmp.png"); import os; os.replace(sys.argv[1] + ".tmp.png", sys.argv[1])',
  ].join('\n');
  execFileSync(PYTHON, ['-c', code, file, width, height, rect.x, rect.y, rect.w, rect.h, id].map(String));
}

module.exports = { tabsOf, untilTabsDirty, api, wsDir, wsUri, sleep, until, openEditor, closeAll, fillEdit, countIn, readIdsProject, readIdsPil, writeMaskPil, REPO, VIEW_TYPE, EXT_ID };
