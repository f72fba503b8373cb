// The editor's chrome: toolbar (tools, instance controls, layers, zoom, commands), tool options,
// palette, error banner, status bar and the '?' help popover. Reads and writes editor state only
// through the callbacks it is given.
import type { WebviewCommand } from '../../src/shared/protocol';
import type { Editor, ToolName } from '../editor';
import { OTHER_KEYS, TOOL_DEFS } from '../keys';
import { className, type PaletteEntry } from '../core/palette';
import type { Tools } from '../tools';
import type { PreviewTools } from '../previewTools';
import type { SamTool } from '../samTool';
import { checkbox, divider, el, iconButton, slider, textButton, type Checkbox } from './toolkit';

export interface LayoutActions {
  tool(t: ToolName): void;
  command(c: WebviewCommand): void;
  zoom(direction: 1 | -1): void;
  fit(): void;
  actual(): void;
  newInstance(): void;
  deleteInstance(): void;
}

export class Layout {
  readonly stage: HTMLElement;
  private readonly toolButtons = new Map<ToolName, HTMLElement>();
  private readonly options: HTMLElement;
  private readonly palette: HTMLElement;
  readonly classFilter: HTMLInputElement;
  private readonly brightness: ReturnType<typeof slider>;
  private readonly contrast: ReturnType<typeof slider>;
  private readonly banner: HTMLElement;
  private readonly bannerText: HTMLElement;
  private notice: HTMLElement | undefined;
  private readonly status: HTMLElement;
  private readonly help: HTMLElement;
  private readonly instanceBox: Checkbox;
  private readonly semBox: Checkbox;
  private readonly instBox: Checkbox;
  private readonly modeButton: HTMLElement;
  private readonly opacity: ReturnType<typeof slider>;
  private readonly brush: ReturnType<typeof slider>;
  private readonly tolerance: ReturnType<typeof slider>;
  private readonly level: ReturnType<typeof slider>;
  private readonly k: ReturnType<typeof slider>;
  private readonly invertBox: Checkbox;
  private readonly previewButtons: HTMLElement;
  private readonly hint: HTMLElement;
  /** The palette list on screen and the class shown as selected (rebuilt / updated only on change). */
  private paletteShown: readonly PaletteEntry[] | null = null;
  private selectedShown: HTMLElement | null = null;
  private readonly items = new Map<number, HTMLElement>();
  tools: Tools | null = null;

  constructor(root: HTMLElement, private readonly ed: Editor, a: LayoutActions, stage: HTMLElement) {
    root.textContent = '';
    const app = el('div', 'mw-app');
    const bar = el('div', 'mw-toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Mask tools');
    for (const d of TOOL_DEFS) {
      const b = iconButton(d.icon, `${d.label} (${d.key}): ${d.help}`, () => a.tool(d.tool));
      b.dataset.tool = d.tool;
      this.toolButtons.set(d.tool, b);
      bar.appendChild(b);
    }
    bar.appendChild(divider());
    this.instanceBox = checkbox('Instances', 'Instance mode (J): paint tools write the selected instance id and its class', (v) => ed.setUi({ instanceMode: v }));
    bar.append(this.instanceBox.element,
      iconButton('add', 'New instance (N): next free id', () => a.newInstance()),
      iconButton('trash', 'Delete selected instance (Delete): clears its pixels in the instance layer; the semantic classes stay', () => a.deleteInstance()));
    this.modeButton = textButton('Paint: all', 'Paint mode (U): over everything, or only on unlabelled (background) pixels', () => ed.setUi({ paintMode: ed.ui.paintMode === 'all' ? 'unlabelled' : 'all' }));
    this.modeButton.classList.add('mw-mode');
    bar.append(this.modeButton, divider());
    this.semBox = checkbox('Classes', 'Show the semantic layer (S)', (v) => ed.setUi({ showSemantic: v }));
    this.instBox = checkbox('Outlines', 'Show the instance layer (D)', (v) => ed.setUi({ showInstances: v }));
    this.opacity = slider('Opacity', 'Overlay opacity (O / Shift+O)', 0, 100, 5, (v) => ed.setUi({ opacity: v / 100 }));
    bar.append(this.semBox.element, this.instBox.element, this.opacity.element, divider());
    // The image's display window (display only; tools see the decoded pixels). Double-click resets.
    this.brightness = slider('Brightness', 'Image brightness (display only; double-click: reset)', 0, 400, 5, (v) => ed.setDisplay({ brightness: v / 100 }));
    this.contrast = slider('Contrast', 'Image contrast (display only; double-click: reset)', 0, 400, 5, (v) => ed.setDisplay({ contrast: v / 100 }));
    this.brightness.element.addEventListener('dblclick', () => ed.setDisplay({ brightness: 1 }));
    this.contrast.element.addEventListener('dblclick', () => ed.setDisplay({ contrast: 1 }));
    bar.append(this.brightness.element, this.contrast.element, divider());
    bar.append(
      iconButton('zoom-out', 'Zoom out (-)', () => a.zoom(-1)),
      iconButton('zoom-in', 'Zoom in (=)', () => a.zoom(1)),
      iconButton('screen-full', 'Fit (Z)', () => a.fit()),
      iconButton('screen-normal', '1:1 actual pixels (X)', () => a.actual()),
      divider(),
      iconButton('arrow-left', 'Previous image (PageUp)', () => a.command('previousImage')),
      iconButton('arrow-right', 'Next image (PageDown)', () => a.command('nextImage')),
      iconButton('save', 'Save (Ctrl+S)', () => a.command('save')),
      iconButton('sparkle', 'Pre-label with a model', () => a.command('prelabel')),
      iconButton('split-horizontal', 'Split the semantic mask into instances (connected components)', () => a.command('splitInstances')),
      iconButton('settings-gear', 'Open the dataset config (classes, colours)', () => a.command('openConfig')),
      iconButton('question', 'Keyboard shortcuts (?)', () => this.toggleHelp()),
    );
    this.options = el('div', 'mw-options');
    this.brush = slider('Size', 'Brush size in image pixels ([ / ])', 1, 256, 1, (v) => ed.setUi({ brushSize: v }));
    this.tolerance = slider('Tolerance', 'Magic wand colour tolerance (Shift+wheel)', 0, 255, 1, (v) => this.tools?.preview.setTolerance(v));
    const pv = (): PreviewTools | undefined => this.tools?.preview;
    this.level = slider('Level', 'Threshold level (pixels above it are foreground); Otsu until moved', 0, 255, 1, (v) => { const p = pv(); if (p) { p.thresholdLevel = v; void p.threshold(); } });
    this.invertBox = checkbox('Invert', 'Foreground = pixels at or below the level', (v) => { const p = pv(); if (p) { p.thresholdInvert = v; void p.threshold(); } });
    const otsu = textButton('Otsu', 'Back to the automatic (Otsu) level', () => { const p = pv(); if (p) { p.thresholdLevel = null; void p.threshold(); } });
    this.level.element.appendChild(otsu);
    this.level.element.appendChild(this.invertBox.element);
    this.previewButtons = el('span', 'mw-preview-actions');
    this.previewButtons.append(textButton('Apply', 'Commit the preview (Enter)', () => void this.tools?.preview.commit(), true), textButton('Cancel', 'Drop the preview (Esc)', () => this.tools?.cancel()));
    this.k = slider('k', 'Number of k-means colour clusters', 2, 16, 1, (v) => this.tools?.preview.setClusters(v));
    this.hint = el('span', 'mw-hint');
    this.options.append(this.brush.element, this.tolerance.element, this.level.element, this.k.element, this.hint, this.previewButtons);
    this.banner = el('div', 'mw-banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    this.bannerText = el('span', 'mw-banner-text');
    this.banner.append(el('span', 'codicon codicon-error'), this.bannerText, iconButton('close', 'Dismiss', () => { this.banner.hidden = true; }));
    const body = el('div', 'mw-body');
    // The class picker scales to long class lists: a filter (name or id; "/" focuses it, Enter
    // picks the first match) above a scrolling list; keys 1..9, 0 pick the first ten.
    const side = el('div', 'mw-palette-pane');
    this.classFilter = el('input', 'mw-class-filter');
    this.classFilter.type = 'search';
    this.classFilter.placeholder = 'Filter classes (/)';
    this.classFilter.setAttribute('aria-label', 'Filter classes by name or id');
    this.classFilter.addEventListener('input', () => this.applyClassFilter());
    this.classFilter.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const first = [...this.palette.children].find((c) => !(c as HTMLElement).hidden) as HTMLElement | undefined;
        if (first?.dataset.classId) this.ed.setUi({ classId: Number(first.dataset.classId) });
        e.preventDefault();
      } else if (e.key === 'Escape') {
        this.classFilter.value = '';
        this.applyClassFilter();
        this.classFilter.blur();
        e.preventDefault();
      } else if (e.key === 'ArrowDown') {
        this.visibleItems()[0]?.focus();
        e.preventDefault();
      }
    });
    this.palette = el('div', 'mw-palette');
    this.palette.setAttribute('role', 'listbox');
    this.palette.setAttribute('aria-label', 'Classes');
    side.append(this.classFilter, this.palette);
    this.stage = stage;
    body.append(side, this.stage);
    this.status = el('div', 'mw-status');
    this.status.setAttribute('aria-live', 'off');
    this.help = this.buildHelp();
    app.append(bar, this.options, this.banner, body, this.status, this.help);
    root.appendChild(app);
  }

  private buildHelp(): HTMLElement {
    const h = el('div', 'mw-help');
    h.setAttribute('role', 'dialog');
    h.setAttribute('aria-label', 'Keyboard shortcuts');
    h.hidden = true;
    const t = el('table');
    const row = (k: string, v: string): void => {
      const tr = el('tr');
      tr.append(el('th', undefined, k), el('td', undefined, v));
      t.appendChild(tr);
    };
    for (const d of TOOL_DEFS) row(d.key, `${d.label}: ${d.help}`);
    for (const [k, v] of OTHER_KEYS) row(k, v);
    h.append(el('h2', undefined, 'Keyboard shortcuts'), t, textButton('Close', 'Close (Esc or ?)', () => { h.hidden = true; }));
    return h;
  }

  toggleHelp(): void {
    this.help.hidden = !this.help.hidden;
  }

  get helpOpen(): boolean {
    return !this.help.hidden;
  }

  closeHelp(): void {
    this.help.hidden = true;
  }

  showError(message: string): void {
    this.bannerText.textContent = message;
    this.banner.hidden = false;
  }

  /**
   * An informational notice under the toolbar with action buttons and an optional link (opened
   * by VS Code in the browser); dismissible. Replaces the previous notice.
   */
  showNotice(message: string, actions: ReadonlyArray<{ label: string; run: () => void }>, link?: { text: string; href: string }): HTMLElement {
    this.notice?.remove();
    const n = el('div', 'mw-banner mw-notice');
    n.setAttribute('role', 'status');
    n.append(el('span', 'codicon codicon-info'), el('span', 'mw-banner-text', message));
    for (const a of actions) n.appendChild(textButton(a.label, a.label, () => { n.remove(); a.run(); }, true));
    if (link && /^https?:\/\//.test(link.href)) {
      const anchor = el('a', 'mw-notice-link', link.text);
      anchor.href = link.href;
      n.appendChild(anchor);
    }
    n.appendChild(iconButton('close', 'Dismiss', () => n.remove()));
    this.banner.after(n);
    this.notice = n;
    return n;
  }

  /** Removes notice `n` (default: the current one). */
  hideNotice(n: HTMLElement | undefined = this.notice): void {
    n?.remove();
    if (n === this.notice) this.notice = undefined;
  }

  /** Re-renders the parts that depend on editor state. */
  refresh(): void {
    const ui = this.ed.ui;
    for (const [t, b] of this.toolButtons) {
      b.classList.toggle('mw-active', t === ui.tool);
      b.setAttribute('aria-pressed', String(t === ui.tool));
    }
    this.instanceBox.set(ui.instanceMode);
    this.semBox.set(ui.showSemantic);
    this.instBox.set(ui.showInstances);
    this.modeButton.textContent = ui.paintMode === 'all' ? 'Paint: all' : 'Paint: unlabelled';
    this.opacity.input.value = String(Math.round(ui.opacity * 100));
    this.opacity.value.textContent = `${Math.round(ui.opacity * 100)}%`;
    for (const [sl, v] of [[this.brightness, this.ed.display.brightness], [this.contrast, this.ed.display.contrast]] as const) {
      sl.input.value = String(Math.round(v * 100));
      sl.value.textContent = `${Math.round(v * 100)}%`;
    }
    const paint = ui.tool === 'brush' || ui.tool === 'eraser';
    this.brush.element.hidden = !paint;
    this.brush.input.value = String(Math.min(256, ui.brushSize));
    this.brush.value.textContent = `${ui.brushSize}px`;
    const tl = this.tools;
    this.tolerance.element.hidden = ui.tool !== 'wand';
    if (tl) {
      const p = tl.preview;
      this.tolerance.input.value = String(p.wandTolerance);
      this.tolerance.value.textContent = String(p.wandTolerance);
      const lv = p.thresholdLevel ?? p.otsuLevel;
      this.level.input.value = String(lv);
      this.level.value.textContent = p.thresholdLevel === null ? `${lv} (Otsu)` : String(lv);
      this.invertBox.set(p.thresholdInvert);
      this.previewButtons.hidden = !p.from;
      this.k.input.value = String(p.clusters);
      this.k.value.textContent = String(p.clusters);
      const seeds = p.seeds.length / 3;
      this.hint.textContent = ui.tool === 'watershed' ? `${seeds} seed${seeds === 1 ? '' : 's'}: click = object, Shift+click = background`
        : ui.tool === 'edgefill' ? 'Click inside a region bounded by edges'
          : ui.tool === 'lasso' ? 'Click points or drag; Enter / double-click / first point closes'
            : ui.tool === 'kmeans' ? 'Click a pixel to preview its colour cluster'
              : ui.tool === 'sam' ? samHint(p.sam) : '';
    }
    this.level.element.hidden = ui.tool !== 'threshold';
    this.k.element.hidden = ui.tool !== 'kmeans';
    this.refreshPalette();
    this.refreshStatus();
  }

  private refreshPalette(): void {
    if (this.paletteShown !== this.ed.palette) {
      this.paletteShown = this.ed.palette;
      this.selectedShown = null;
      this.palette.textContent = '';
      this.items.clear();
      for (const p of this.ed.palette) {
        const item = el('div', 'mw-class');
        item.setAttribute('role', 'option');
        item.setAttribute('aria-selected', 'false');
        item.tabIndex = -1; // one tab stop for the list (the selected row); arrows move within it
        item.title = `${p.name} (id ${p.id})${p.key ? ` — key ${p.key}` : ''}`;
        item.dataset.classId = String(p.id);
        const sw = el('span', 'mw-swatch');
        sw.style.backgroundColor = p.color;
        item.append(el('span', 'mw-key', p.key), sw, el('span', 'mw-class-name', p.name), el('span', 'mw-class-id', String(p.id)));
        item.addEventListener('click', () => this.ed.setUi({ classId: p.id }));
        item.addEventListener('keydown', (e) => this.itemKey(e, item, p.id));
        this.items.set(p.id, item);
        this.palette.appendChild(item);
      }
      this.applyClassFilter();
    }
    const sel = this.items.get(this.ed.ui.classId) ?? null;
    if (sel !== this.selectedShown) {
      if (this.selectedShown) { this.selectedShown.setAttribute('aria-selected', 'false'); this.selectedShown.tabIndex = -1; }
      if (sel) { sel.setAttribute('aria-selected', 'true'); sel.tabIndex = 0; }
      this.selectedShown = sel;
      if (sel && !sel.hidden) sel.scrollIntoView?.({ block: 'nearest' });
    }
  }

  /** Keys on a class row: Enter / Space pick it; arrows, Home and End move among the rows shown; ArrowUp from the first goes back to the filter. */
  private itemKey(e: KeyboardEvent, item: HTMLElement, id: number): void {
    const rows = (): HTMLElement[] => this.visibleItems();
    let to: HTMLElement | undefined;
    if (e.key === 'Enter' || e.key === ' ') this.ed.setUi({ classId: id });
    else if (e.key === 'ArrowDown') { const r = rows(); to = r[r.indexOf(item) + 1]; }
    else if (e.key === 'ArrowUp') { const r = rows(), i = r.indexOf(item); to = i > 0 ? r[i - 1] : this.classFilter; }
    else if (e.key === 'Home') to = rows()[0];
    else if (e.key === 'End') to = rows().at(-1);
    else return;
    e.preventDefault();
    e.stopPropagation();
    to?.focus();
  }

  private visibleItems(): HTMLElement[] {
    return ([...this.palette.children] as HTMLElement[]).filter((c) => !c.hidden);
  }

  /** Hides the classes whose name and id do not contain the filter text. */
  private applyClassFilter(): void {
    const q = this.classFilter.value.trim().toLowerCase();
    for (const c of this.palette.children) {
      const item = c as HTMLElement;
      const id = item.dataset.classId ?? '';
      const name = item.querySelector('.mw-class-name')?.textContent?.toLowerCase() ?? '';
      item.hidden = q !== '' && !name.includes(q) && id !== q;
    }
    (this.palette.querySelector('.mw-class[aria-selected="true"]:not([hidden])') as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
  }

  refreshStatus(): void {
    const ed = this.ed, h = this.tools?.hover;
    const parts: string[] = [];
    if (h && h.inside) {
      const i = h.y * ed.maps.width + h.x;
      const c = ed.maps.semantic[i], id = ed.maps.instances[i];
      parts.push(`${h.x}, ${h.y}`, `${className(ed.config, c)} (${c})`, id ? `instance ${id}` : 'no instance');
    } else parts.push(`${ed.maps.width} × ${ed.maps.height}`);
    parts.push(`${Math.round(ed.view.scale * 1000) / 10}%`);
    parts.push(`class: ${className(ed.config, ed.ui.classId)}`);
    if (ed.ui.instanceMode) parts.push(ed.selected ? `editing instance ${ed.selected}${ed.instances.has(ed.selected) ? '' : ' (new)'}` : 'instance mode');
    parts.push(`${ed.init.position.index + 1} / ${ed.init.position.total}`);
    if (ed.readonly) parts.push('read-only');
    const text = parts.join('   ·   ');
    if (this.status.textContent !== text) this.status.textContent = text;
  }
}

function samHint(s: SamTool): string {
  if (s.busy) return 'Segment anything: waiting for the model...';
  const prompt = `${s.points.length} point${s.points.length === 1 ? '' : 's'}${s.box ? ' + box' : ''}`;
  if (s.last) return s.last.area ? `${s.last.modelId}: score ${s.last.score.toFixed(2)}, ${s.last.area} px (${prompt}); Enter commits` : `${s.last.modelId} found no mask for ${prompt}`;
  return 'Click = object, Shift/Alt+click = background, drag = box';
}
