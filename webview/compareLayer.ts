// The change layer of a comparison (Compare with HEAD..., a Source Control diff, a model's
// disagreement): pixels whose class differs from the other version, drawn as a fine checker of the
// class they had and the class they have; a toggle that shows the other version's classes instead
// of the current ones; a per-class table. The host sends the other version's map; the changes are
// computed here against the live maps, so edits made while comparing show at once.
import type { SemanticIds } from '../src/shared/maskModel';
import type { CompareLayer } from '../src/shared/protocol';
import { colorizeSemantic, type TileTarget } from './core/colorize';
import { className, packRGBA } from './core/palette';
import type { Rect } from './core/rect';
import { LITTLE_ENDIAN, type Editor } from './editor';
import { TileLayer, type LayerSource } from './render';
import { el, textButton } from './ui/toolkit';

export class CompareView {
  private current: CompareLayer | null = null;
  private showingBefore = false;
  private readonly ownSource: LayerSource;
  private readonly panel: HTMLElement;

  constructor(private readonly root: HTMLElement, private readonly ed: Editor) {
    this.ownSource = ed.layers.semantic.source;
    this.panel = el('div', 'mw-compare');
    this.panel.setAttribute('role', 'region');
    this.panel.setAttribute('aria-label', 'Comparison');
    this.panel.hidden = true;
    // Keep the change layer in step with edits made while comparing.
    const invalidate = ed.invalidate.bind(ed);
    ed.invalidate = (r: Rect): void => { invalidate(r); ed.layers.compare?.invalidate(r); };
  }

  /** Shows a comparison, or clears it (null). */
  show(c: CompareLayer | null): void {
    const { width: W, height: H } = this.ed.maps;
    if (c && c.before.length !== W * H) {
      this.ed.onError(`The comparison carried ${c.before.length} pixels for a ${W}x${H} image; it was ignored.`);
      return;
    }
    this.current = c;
    this.setBefore(c?.showBefore === true);
    this.ed.layers.compare = c ? new TileLayer(W, H, this.changeSource(c.before)) : null;
    this.renderPanel();
    this.ed.requestDraw();
    document.body.dataset.compare = c ? (this.showingBefore ? 'before' : 'after') : '';
  }

  private changeSource(before: SemanticIds): LayerSource {
    const { width: W } = this.ed.maps;
    const cur = this.ed.maps.semantic;
    // The editor's LUT with background shown (transparent in the overlay, it must show here); copied
    // once per LUT (65536 entries in a 16-bit dataset), not per tile.
    let cache: { from: Uint32Array; lut: Uint32Array } | null = null;
    const lut = (): Uint32Array => {
      if (cache?.from !== this.ed.lut) {
        const l = this.ed.lut.slice();
        l[this.ed.config.backgroundId] = packRGBA(128, 128, 128, 255, LITTLE_ENDIAN);
        cache = { from: this.ed.lut, lut: l };
      }
      return cache.lut;
    };
    return {
      halo: 0,
      colorize: (r: Rect, t: TileTarget, step: number) => {
        const l = lut();
        for (let y = r.y; y < r.y + r.h; y++) {
          let d = (y - t.y0) * t.stride + (r.x - t.x0);
          const row = y * step * W;
          for (let x = r.x; x < r.x + r.w; x++, d++) {
            const s = row + x * step;
            const a = before[s], b = cur[s];
            t.pixels[d] = a === b ? 0 : l[((x + y) & 1) === 0 ? a : b];
          }
        }
      },
      isBlank: (r: Rect, step: number) => {
        for (let y = r.y; y < r.y + r.h; y++) {
          const row = y * step * W;
          for (let x = r.x; x < r.x + r.w; x++) if (before[row + x * step] !== cur[row + x * step]) return false;
        }
        return true;
      },
    };
  }

  /** Shows the other version's classes (true) or the current ones in the semantic layer. */
  private setBefore(on: boolean): void {
    const c = this.current;
    this.showingBefore = on && c !== null;
    const layer = this.ed.layers.semantic;
    if (this.showingBefore && c) {
      const W = this.ed.maps.width, bg = this.ed.config.backgroundId, before = c.before;
      layer.source = {
        halo: 0,
        colorize: (r: Rect, t: TileTarget, step: number) => colorizeSemantic(before, W, r, this.ed.lut, t, step, bg),
        isBlank: () => false,
      };
    } else layer.source = this.ownSource;
    layer.clear();
    this.ed.requestDraw();
    if (c) document.body.dataset.compare = this.showingBefore ? 'before' : 'after';
  }

  private renderPanel(): void {
    const c = this.current;
    this.panel.textContent = '';
    if (!c) { this.panel.hidden = true; return; }
    this.panel.hidden = false;
    if (!this.panel.isConnected) this.root.appendChild(this.panel);
    const head = el('div', 'mw-compare-head');
    head.append(el('strong', 'mw-compare-title', c.title));
    const close = textButton('Close', 'Hide the comparison', () => this.show(null));
    close.classList.add('mw-compare-close');
    head.append(close);
    this.panel.append(head, el('div', 'mw-compare-summary', `${c.changedPixels.toLocaleString()} pixel(s) changed class. ${c.summary}`));
    const toggle = el('div', 'mw-compare-toggle');
    const bBefore = textButton(`Show ${c.beforeLabel}`, `Show the classes of ${c.beforeLabel} (the change layer stays)`, () => { this.setBefore(true); this.renderPanel(); }, this.showingBefore);
    const bAfter = textButton(`Show ${c.afterLabel}`, `Show the classes of ${c.afterLabel}`, () => { this.setBefore(false); this.renderPanel(); }, !this.showingBefore);
    bBefore.dataset.compareShow = 'before';
    bAfter.dataset.compareShow = 'after';
    toggle.append(bBefore, bAfter);
    this.panel.append(toggle);
    const legend = el('div', 'mw-compare-legend', `Changed pixels: a checker of the ${c.beforeLabel} class and the ${c.afterLabel} class.`);
    this.panel.append(legend);
    const table = el('table', 'mw-compare-table');
    const hasDice = c.rows.some((r) => r.dice !== undefined);
    const hr = el('tr');
    for (const h of ['', 'class', c.beforeLabel, c.afterLabel, 'both', 'IoU', ...(hasDice ? ['Dice'] : [])]) hr.append(el('th', undefined, h));
    table.append(hr);
    for (const r of c.rows) {
      const tr = el('tr');
      tr.dataset.classId = String(r.id);
      const sw = el('td');
      const chip = el('span', 'mw-compare-chip');
      const cl = this.ed.palette.find((p) => p.id === r.id)?.color;
      // A colour chip without an inline style: an SVG rectangle filled through its attribute.
      const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      svg.setAttribute('width', '10'); svg.setAttribute('height', '10');
      const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      rect.setAttribute('width', '10'); rect.setAttribute('height', '10'); rect.setAttribute('fill', cl ?? '#808080');
      svg.append(rect);
      chip.append(svg);
      sw.append(chip);
      tr.append(sw, el('td', undefined, `${r.id} ${className(this.ed.config, r.id)}`),
        el('td', 'mw-num', r.before.toLocaleString()), el('td', 'mw-num', r.after.toLocaleString()),
        el('td', 'mw-num', r.intersection.toLocaleString()), el('td', 'mw-num', r.iou.toFixed(3)),
        ...(hasDice ? [el('td', 'mw-num', r.dice !== undefined ? r.dice.toFixed(3) : '')] : []));
      table.append(tr);
    }
    this.panel.append(table);
  }
}
