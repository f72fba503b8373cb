// Dataset Overview page: draws the statistics the host sends as SVG charts (class balance, instance
// sizes, review progress) and a table. No charting library: three bar charts do not earn one, and
// SVG built with DOM calls needs no inline style or eval, takes its colours from the theme through
// CSS classes (class colours through the fill attribute) and can be read by tests and screen readers.
import type { DatasetStats } from '../../src/review/stats';

interface StatsMessage { type: 'stats'; title: string; stats: DatasetStats; colors: Record<string, string>; seconds: number }
declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
const NS = 'http://www.w3.org/2000/svg';

function h<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function s(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function chart(width: number, height: number, label: string, id: string): SVGSVGElement {
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'ov-chart', role: 'img', 'aria-label': label, 'data-chart': id }) as SVGSVGElement;
  svg.append(s('title', {}, label));
  return svg;
}

const fmt = (n: number): string => n.toLocaleString();
const isColor = (c: string | undefined): c is string => typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c);

/** Horizontal bars: one per class, length = share of labelled pixels, coloured by the class. */
function classBalance(st: DatasetStats, colors: Record<string, string>): SVGSVGElement {
  const rows = Object.entries(st.classes).filter(([, c]) => c.pixels > 0 || c.instances > 0);
  const total = rows.reduce((a, [, c]) => a + c.pixels, 0) || 1;
  const W = 760, L = 170, R = 150, row = 22;
  const svg = chart(W, rows.length * row + 8, 'Class balance: share of labelled pixels per class', 'classes');
  rows.forEach(([id, c], i) => {
    const y = 4 + i * row, w = Math.max(1, ((W - L - R) * c.pixels) / total);
    const g = s('g', { 'data-class-id': id });
    g.append(s('text', { x: L - 8, y: y + 14, 'text-anchor': 'end' }, `${id} ${c.name ?? ''}`.trim()));
    const bar = s('rect', { x: L, y: y + 3, width: w.toFixed(1), height: row - 8, class: 'ov-outline' });
    bar.setAttribute('fill', isColor(colors[id]) ? colors[id] : '#808080');
    bar.append(s('title', {}, `${id} ${c.name ?? ''}: ${fmt(c.pixels)} px in ${c.images} image(s), ${c.instances} instance(s)`));
    g.append(bar, s('text', { x: L + w + 6, y: y + 14, class: 'ov-dim' }, `${((100 * c.pixels) / total).toFixed(1)}%  ${c.images} img  ${c.instances} inst`));
    svg.append(g);
  });
  return svg;
}

/** Vertical bars: instances per log2 size bin. */
function sizeHistogram(st: DatasetStats): SVGSVGElement {
  const bins = st.instanceSizes;
  const W = 760, H = 200, B = 36, L = 40;
  const svg = chart(W, H + B, 'Instance sizes: number of instances per size range (pixels, log2 bins)', 'sizes');
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = bins.length ? (W - L) / bins.length : 0;
  svg.append(s('line', { x1: L, y1: H, x2: W, y2: H, class: 'ov-axis' }), s('text', { x: L - 6, y: 12, 'text-anchor': 'end', class: 'ov-dim' }, fmt(max)), s('text', { x: L - 6, y: H, 'text-anchor': 'end', class: 'ov-dim' }, '0'));
  bins.forEach((b, i) => {
    const h = ((H - 16) * b.count) / max, x = L + i * bw;
    const r = s('rect', { x: (x + 2).toFixed(1), y: (H - h).toFixed(1), width: Math.max(1, bw - 4).toFixed(1), height: h.toFixed(1), class: 'ov-bar', 'data-count': b.count });
    r.append(s('title', {}, `${fmt(b.min)}-${fmt(b.max)} px: ${fmt(b.count)} instance(s)`));
    svg.append(r);
    if (bins.length <= 16 || i % 2 === 0) svg.append(s('text', { x: (x + bw / 2).toFixed(1), y: H + 14, 'text-anchor': 'middle', class: 'ov-dim' }, b.min >= 1024 ? `${Math.round(b.min / 1024)}k` : String(b.min)));
  });
  if (!bins.length) svg.append(s('text', { x: L + 8, y: H / 2, class: 'ov-dim' }, 'no instances'));
  svg.append(s('text', { x: (L + W) / 2, y: H + 30, 'text-anchor': 'middle', class: 'ov-dim' }, 'instance size (pixels, from)'));
  return svg;
}

/** One stacked bar: images reviewed, edited, draft, unlabelled. */
function reviewProgress(st: DatasetStats): SVGSVGElement {
  const order = ['reviewed', 'edited', 'draft', 'unlabelled'] as const;
  const W = 760, H = 56;
  const svg = chart(W, H, `Review progress: ${st.status.reviewed} of ${st.images} image(s) reviewed`, 'status');
  const total = st.images || 1;
  let x = 0;
  for (const k of order) {
    const w = (W * st.status[k]) / total;
    if (w > 0) {
      const r = s('rect', { x: x.toFixed(1), y: 0, width: w.toFixed(1), height: 24, class: `ov-status-${k}`, 'data-status': k, 'data-count': st.status[k] });
      r.append(s('title', {}, `${k}: ${st.status[k]} image(s)`));
      svg.append(r);
    }
    x += w;
  }
  let lx = 0;
  for (const k of order) {
    svg.append(s('rect', { x: lx, y: 34, width: 10, height: 10, class: `ov-status-${k}` }), s('text', { x: lx + 14, y: 43 }, `${k} ${st.status[k]}`));
    lx += 150;
  }
  return svg;
}

function render(m: StatsMessage): void {
  const st = m.stats;
  root.textContent = '';
  const reviewedPct = st.images ? Math.round((100 * st.status.reviewed) / st.images) : 0;
  root.append(h('h1', m.title), h('p', `${fmt(st.images)} image(s), ${fmt(st.labelled)} with masks, ${fmt(st.totalInstances)} instance(s); ${reviewedPct}% reviewed. Read in ${m.seconds.toFixed(1)} s.`, 'ov-muted'));
  const bar = h('div', undefined, 'ov-toolbar');
  const refresh = h('button', 'Refresh');
  refresh.type = 'button';
  refresh.addEventListener('click', () => { document.body.dataset.state = 'loading'; vscode.postMessage({ type: 'refresh' }); });
  bar.append(refresh);
  root.append(bar);
  root.append(h('h2', 'Review progress'), reviewProgress(st));
  root.append(h('h2', 'Class balance'), classBalance(st, m.colors));
  root.append(h('h2', 'Instance sizes'), sizeHistogram(st));
  const table = h('table', undefined, 'ov-table');
  const head = h('tr');
  for (const t of ['class', 'pixels', 'images', 'instances']) head.append(h('th', t));
  table.append(head);
  for (const [id, c] of Object.entries(st.classes)) {
    const tr = h('tr');
    tr.dataset.classId = id;
    tr.append(h('td', `${id} ${c.name ?? ''}`.trim()), h('td', fmt(c.pixels)), h('td', fmt(c.images)), h('td', fmt(c.instances)));
    table.append(tr);
  }
  root.append(h('h2', 'Per class'), table);
  if (st.problems.length) {
    root.append(h('h2', `Problems (${st.problems.length})`));
    const ul = h('ul', undefined, 'ov-problems');
    for (const p of st.problems.slice(0, 50)) ul.append(h('li', `${p.image}: ${p.message}`));
    root.append(ul);
  }
  document.body.dataset.state = 'ready';
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as StatsMessage | null;
  if (!m || m.type !== 'stats' || typeof m.stats !== 'object' || m.stats === null) return;
  render(m);
});
vscode.postMessage({ type: 'ready' });
