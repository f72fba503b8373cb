// Webview entry: waits for the host's init, decodes the image, builds the editor, routes messages
// and keys. Posts 'ready' on load; sets body[data-state] to 'ready' once image and masks are drawn.
import { validatePatch } from '../src/shared/maskModel';
import { parseEdit, type HostToWebview, type InitMessage, type WebviewCommand } from '../src/shared/protocol';
import { fitView, stepScale, zoomTo } from './core/viewport';
import { Editor, type ToolName } from './editor';
import { awaitReply, handleReply, loadView, log, newId, post } from './host';
import { loadImage } from './image';
import { unpackCompare, unpackMaps } from './wire';
import { handleKey } from './keys';
import { Renderer } from './render';
import { isTyping, Tools } from './tools';
import { Layout } from './ui/layout';
import { CompareView } from './compareLayer';
import { el, registerToolkit } from './ui/toolkit';
import { PixelWorker } from './workerClient';

const root = document.getElementById('root') ?? document.body.appendChild(el('div'));
let editor: Editor | null = null;
let layout: Layout | null = null;
let tools: Tools | null = null;
let compare: CompareView | null = null;
let worker: PixelWorker | null = null;
let queue: HostToWebview[] | null = null;
/** Aborted when a new init replaces the editor: drops the old one's window listeners and observer. */
let lifetime: AbortController | null = null;

function fail(message: string): void {
  if (layout) layout.showError(message);
  else {
    root.textContent = '';
    const b = el('div', 'mw-banner mw-fatal', message);
    b.setAttribute('role', 'alert');
    root.appendChild(b);
  }
  log('error', message);
}

async function requestRgba(): Promise<Uint8Array> {
  const id = newId();
  post({ type: 'requestPixels', id });
  const r = await awaitReply(id);
  if (!r.ok || !(r.result instanceof Uint8Array)) throw new Error(`the host could not send the image pixels: ${r.error ?? 'no RGBA bytes in the reply'}`);
  return r.result;
}

async function start(init: InitMessage): Promise<void> {
  queue = [];
  document.body.dataset.state = 'loading';
  worker?.dispose();
  lifetime?.abort();
  const life = (lifetime = new AbortController());
  const tLoad = performance.now();
  const [img, maps] = await Promise.all([loadImage(init.image, init.width, init.height, requestRgba), unpackMaps(init, init.width, init.height, init.config.semanticBits)]);
  post({ type: 'perf', name: 'imageDecode', ms: performance.now() - tLoad });
  const stage = el('div', 'mw-stage');
  const renderer = new Renderer(stage, init.width, init.height, img.bitmap, life.signal);
  const opacity = Number(document.body.dataset.opacity ?? '0.5');
  const ed = new Editor({ ...init, ...maps, packed: undefined }, renderer, Number.isFinite(opacity) ? opacity : 0.5);
  // The worker gets its own ImageBitmap of the image (a new handle on the decoded pixels) and reads them there.
  worker = new PixelWorker(document.body.dataset.worker ?? '', async () => ({ bitmap: await createImageBitmap(img.bitmap), width: init.width, height: init.height }));
  const cmd = (command: WebviewCommand): void => {
    const id = newId();
    post({ type: 'command', id, command });
    void awaitReply(id).then((r) => { if (!r.ok) fail(`${command}: ${r.error ?? 'failed'}`); });
  };
  const zoomStep = (d: 1 | -1): void => { const s = renderer.size; ed.setView(zoomTo(ed.view, stepScale(ed.view.scale, d), s.w / 2, s.h / 2)); };
  const actual = (): void => { const s = renderer.size; ed.setView(zoomTo(ed.view, 1, s.w / 2, s.h / 2)); };
  const setTool = (t: ToolName): void => { ed.setUi({ tool: t }); tl.toolChanged(); };
  const ly = new Layout(root, ed, {
    tool: setTool, command: cmd, zoom: zoomStep, fit: () => ed.fit(), actual,
    newInstance: () => ed.newInstance(), deleteInstance: () => void tl.deleteSelectedInstance(),
  }, stage);
  const tl = new Tools(ed, renderer.canvas, worker, life.signal);
  ly.tools = tl;
  ed.onChange = () => ly.refresh();
  ed.onError = (m) => fail(m);
  // The status bar follows a hovering pointer once a frame, a dragging one at most every 100 ms:
  // its text change costs the page a style, layout and paint pass each time.
  let statusFrame = 0, statusTimer = 0, statusShown = -Infinity;
  const showStatus = (): void => { statusFrame = statusTimer = 0; statusShown = performance.now(); ly.refreshStatus(); };
  tl.onHover = (dragging) => {
    if (!dragging) { statusFrame ||= requestAnimationFrame(showStatus); return; }
    if (!statusTimer) statusTimer = window.setTimeout(showStatus, Math.max(0, statusShown + 100 - performance.now()));
  };
  // Segment anything without a promptable model says so at once, with the way to add one.
  let samNotice: HTMLElement | undefined;
  tl.onToolChanged = (t) => {
    if (t !== 'sam' || init.promptModel !== null) { if (t !== 'sam' && samNotice) { ly.hideNotice(samNotice); samNotice = undefined; } return; }
    samNotice = ly.showNotice('Segment anything needs a promptable (SAM-family) model, and none is set.', [{ label: 'Add model...', run: () => cmd('addModel') }],
      init.helpUrl ? { text: 'How to export one', href: init.helpUrl } : undefined);
  };
  editor = ed; layout = ly; tools = tl;
  compare = new CompareView(root, ed);

  const size = renderer.resize();
  const saved = loadView();
  if (saved && saved.file === init.fileName) {
    ed.view = { scale: saved.scale, tx: saved.tx, ty: saved.ty };
    ed.autoFit = false;
  } else ed.view = fitView(init.width, init.height, size.w, size.h);
  const ro = new ResizeObserver(() => {
    renderer.resize();
    if (ed.autoFit) ed.fit(); else ed.requestDraw();
    ly.refreshStatus();
  });
  ro.observe(stage);
  life.signal.addEventListener('abort', () => ro.disconnect());
  const tDraw = performance.now();
  ed.drawNow();
  const drawn = performance.now();
  post({ type: 'perf', name: 'firstDraw', ms: drawn - tDraw });
  post({ type: 'perf', name: 'firstPaint', ms: drawn });
  for (const w of init.warnings) fail(w);
  if (init.notes?.length) ly.showNotice(init.notes.join(' '), []);
  tl.toolChanged();
  ly.refresh();
  const pending = queue;
  queue = null;
  for (const m of pending) onMessage(m);
  document.body.dataset.file = init.fileName;
  document.body.dataset.state = 'ready';
}

function onMessage(msg: HostToWebview): void {
  if (handleReply(msg)) return;
  if (msg.type === 'init') {
    start(msg).catch((e: Error) => {
      queue = null;
      document.body.dataset.state = 'error';
      fail(`The editor could not open ${msg.fileName}: ${e.message}`);
    });
    return;
  }
  if (queue) { queue.push(msg); return; }
  const ed = editor;
  if (!ed) return;
  switch (msg.type) {
    case 'edit': {
      const edit = parseEdit(msg.edit);
      if (!edit) { fail('The host sent a malformed edit; it was ignored.'); return; }
      try {
        for (const p of edit.patches) validatePatch(ed.maps, p);
      } catch (e) {
        fail(`The host sent an edit that does not fit this image: ${(e as Error).message}`);
        return;
      }
      ed.applyHostEdit(edit, msg.direction === 'backward' ? 'backward' : 'forward');
      return;
    }
    case 'reset': {
      // Inflating is asynchronous: later messages wait in the queue so they apply to the new maps.
      const held: HostToWebview[] = (queue = []);
      void unpackMaps(msg, ed.maps.width, ed.maps.height, ed.config.semanticBits).then(
        (m) => ed.reset(m.semantic, m.instances, msg.instanceInfo),
        (e: Error) => fail(`The host sent maps that could not be read: ${e.message}`),
      ).finally(() => {
        if (queue === held) queue = null;
        for (const m of held) onMessage(m);
      });
      return;
    }
    case 'config':
      ed.setConfig(msg.config);
      return;
    case 'error':
      fail(String(msg.message));
      return;
    case 'preview':
      ed.setPreview(msg.mask instanceof Uint8Array ? msg.mask : null, 0xc000ffff);
      return;
    case 'compare': {
      if (!msg.compare) { compare?.show(null); return; }
      // Inflating is asynchronous: later messages (a clear, another comparison) wait in the queue.
      const held: HostToWebview[] = (queue = []);
      void unpackCompare(msg.compare, ed.maps.width, ed.maps.height, ed.config.semanticBits).then(
        (c) => compare?.show(c),
        (e: Error) => fail(`The comparison could not be read (${e.message}); it was ignored.`),
      ).finally(() => {
        if (queue === held) queue = null;
        for (const m of held) onMessage(m);
      });
      return;
    }
    default:
      return;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostToWebview | null;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  onMessage(m);
});

window.addEventListener('keydown', (e) => {
  const ed = editor, tl = tools, ly = layout;
  if (!ed || !tl || !ly || isTyping(e)) return;
  // Enter and Space on a focused control (toolbar button, checkbox, palette entry) belong to it.
  const target = e.target as HTMLElement | null;
  if ((e.key === 'Enter' || e.key === ' ') && target && target !== document.body && target !== ed.renderer.canvas) return;
  if (ly.helpOpen && (e.key === 'Escape' || e.key === '?')) { ly.closeHelp(); e.preventDefault(); return; }
  if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey) { ly.classFilter.focus(); e.preventDefault(); return; }
  const s = (): { w: number; h: number } => ed.renderer.size;
  const handled = handleKey(e, {
    tool: (t) => { ed.setUi({ tool: t }); tl.toolChanged(); },
    classIndex: (i) => { const p = ed.palette[i]; if (p) ed.setUi({ classId: p.id }); },
    brush: (d) => ed.setUi({ brushSize: d > 0 ? Math.max(ed.ui.brushSize + 1, Math.round(ed.ui.brushSize * 1.25)) : Math.min(ed.ui.brushSize - 1, Math.round(ed.ui.brushSize / 1.25)) }),
    newInstance: () => ed.newInstance(),
    deleteInstance: () => void tl.deleteSelectedInstance(),
    toggleInstanceMode: () => ed.setUi({ instanceMode: !ed.ui.instanceMode }),
    togglePaintMode: () => ed.setUi({ paintMode: ed.ui.paintMode === 'all' ? 'unlabelled' : 'all' }),
    toggleSemantic: () => ed.setUi({ showSemantic: !ed.ui.showSemantic }),
    toggleInstances: () => ed.setUi({ showInstances: !ed.ui.showInstances }),
    opacity: (d) => ed.setUi({ opacity: Math.round((ed.ui.opacity + d) * 10) / 10 }),
    zoom: (d) => ed.setView(zoomTo(ed.view, stepScale(ed.view.scale, d), s().w / 2, s().h / 2)),
    fit: () => ed.fit(),
    actual: () => ed.setView(zoomTo(ed.view, 1, s().w / 2, s().h / 2)),
    enter: () => { if (tl.lasso.length) tl.closeLasso(); else void tl.preview.commit(); },
    escape: () => tl.cancel(),
    backspace: () => tl.removeLastPoint(),
    next: () => { const id = newId(); post({ type: 'command', id, command: 'nextImage' }); },
    previous: () => { const id = newId(); post({ type: 'command', id, command: 'previousImage' }); },
    help: () => ly.toggleHelp(),
  });
  if (handled) e.preventDefault();
});

registerToolkit();
document.body.dataset.state = 'waiting';
post({ type: 'ready' });
