// The brush outline that follows the pointer: a dashed circle in a DOM element over the canvases,
// moved with a CSS transform. Moving it changes no canvas, so a frame in which only the pointer
// moved uploads no canvas bitmap and repaints no overlay (the compositor moves the element).
export class BrushCursor {
  private readonly el: HTMLDivElement;
  private shown = '';

  constructor(host: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'mw-brush-cursor';
    this.el.setAttribute('aria-hidden', 'true');
    // Styled through the CSSOM (the page's CSP allows no inline style attribute).
    Object.assign(this.el.style, {
      position: 'absolute', left: '0', top: '0', pointerEvents: 'none', borderRadius: '50%',
      boxSizing: 'border-box', willChange: 'transform', display: 'none',
    });
    host.appendChild(this.el);
  }

  /** Shows the outline of radius r (CSS pixels, at least 2) centred on (x, y) of the stage, in `color`. */
  show(x: number, y: number, r: number, color: string): void {
    const d = 2 * r;
    const key = `${d} ${color}`;
    if (key !== this.shown) {
      Object.assign(this.el.style, { width: `${d}px`, height: `${d}px`, border: `1px dashed ${color}`, display: 'block' });
      this.shown = key;
    }
    this.el.style.transform = `translate(${x - r}px, ${y - r}px)`;
  }

  hide(): void {
    if (!this.shown) return;
    this.el.style.display = 'none';
    this.shown = '';
  }
}
