// Pure parts of the editor webview: viewport math, brush and polygon rasterisation, region fills,
// edit recording (dirty rects, invertible patches), palette and colourisation.
import * as assert from 'node:assert/strict';
import { applyEdit, createLabelMaps, revertEdit } from '../../../src/shared/maskModel';
import { fitView, toImage, toScreen, visibleRect, zoomAt, stepScale, MAX_SCALE } from '../../../webview/core/viewport';
import { brushCentre, rasterSegment } from '../../../webview/core/brush';
import { fillPolygon } from '../../../webview/core/polygon';
import { floodLabel, wandRegion } from '../../../webview/core/flood';
import { collectSpans, spansBounds } from '../../../webview/core/spans';
import { EditRecorder } from '../../../webview/core/recorder';
import { clearInstance, spanPainter } from '../../../webview/core/paint';
import { tileGrid, tilesIn, union, expand } from '../../../webview/core/rect';
import { buildClassLut, paletteEntries, packRGBA, instanceRGB } from '../../../webview/core/palette';
import { colorizeInstances, colorizeSemantic } from '../../../webview/core/colorize';

/** Rasterises spans into a w x h 0/1 grid. */
function grid(w: number, h: number, draw: (visit: (y: number, x0: number, x1: number) => void) => void): Uint8Array {
  const g = new Uint8Array(w * h);
  draw((y, x0, x1) => { for (let x = x0; x < x1; x++) { assert.equal(g[y * w + x], 0, `pixel ${x},${y} visited twice`); g[y * w + x] = 1; } });
  return g;
}
const count = (g: Uint8Array): number => g.reduce((a, v) => a + v, 0);

describe('webview viewport', () => {
  it('fits the image centred and maps screen <-> image', () => {
    const v = fitView(1000, 500, 816, 516, 8);
    assert.equal(v.scale, 0.8);
    assert.deepEqual(toScreen(v, 0, 0), { x: 8, y: 58 });
    const p = toImage(v, toScreen(v, 123, 45).x, toScreen(v, 123, 45).y);
    assert.ok(Math.abs(p.x - 123) < 1e-9 && Math.abs(p.y - 45) < 1e-9);
  });
  it('zooms about the cursor: the image point under it stays put, and clamps', () => {
    const v0 = { scale: 1, tx: 10, ty: 20 };
    const before = toImage(v0, 300, 200);
    const v1 = zoomAt(v0, 3, 300, 200);
    const after = toImage(v1, 300, 200);
    assert.ok(Math.abs(before.x - after.x) < 1e-9 && Math.abs(before.y - after.y) < 1e-9);
    assert.equal(zoomAt(v1, 1e6, 0, 0).scale, MAX_SCALE);
    assert.throws(() => zoomAt(v0, 0, 0, 0), /zoom factor 0/);
    assert.equal(stepScale(1, 1), 2 ** 0.25);
  });
  it('visible rect is clipped to the image', () => {
    assert.deepEqual(visibleRect({ scale: 2, tx: -100, ty: 0 }, 400, 300, 1000, 100), { x: 50, y: 0, w: 200, h: 100 });
    assert.equal(visibleRect({ scale: 1, tx: 5000, ty: 0 }, 400, 300, 1000, 100), null);
  });
});

describe('webview brush', () => {
  it('size 1 paints exactly one pixel, size 2 a 2x2 block, size 3 a 3x3 block', () => {
    for (const [size, n] of [[1, 1], [2, 4], [3, 9]] as const) {
      const c = brushCentre(size, 5.3, 5.7);
      const g = grid(12, 12, (v) => rasterSegment(c.x, c.y, c.x, c.y, size, 12, 12, v));
      assert.equal(count(g), n, `size ${size}`);
    }
  });
  it('a fast drag leaves no gaps: equals the union of dense stamps, and the rect covers it', () => {
    const W = 200, H = 120, size = 5;
    const a = brushCentre(size, 3.2, 10.9), b = brushCentre(size, 190.4, 100.1);
    const g = grid(W, H, (v) => { const r = rasterSegment(a.x, a.y, b.x, b.y, size, W, H, v); assert.ok(r); });
    // Reference: pixel centre within size/2 of the segment, by brute force.
    let mismatches = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const cx = x + 0.5, cy = y + 0.5, dx = b.x - a.x, dy = b.y - a.y;
      const t = Math.max(0, Math.min(1, ((cx - a.x) * dx + (cy - a.y) * dy) / (dx * dx + dy * dy)));
      const d2 = (cx - a.x - t * dx) ** 2 + (cy - a.y - t * dy) ** 2;
      if ((d2 <= (size / 2) ** 2 ? 1 : 0) !== g[y * W + x]) mismatches++;
    }
    assert.equal(mismatches, 0);
    // Every row between the endpoints is covered (no gaps).
    for (let y = Math.ceil(a.y); y < Math.floor(b.y); y++) assert.ok(g.subarray(y * W, y * W + W).some((v) => v === 1), `row ${y} empty`);
  });
  it('clips to the image and rejects bad sizes', () => {
    const g = grid(10, 10, (v) => rasterSegment(-20, -20, 0.5, 0.5, 3, 10, 10, v));
    assert.equal(g[0], 1);
    assert.throws(() => rasterSegment(0, 0, 1, 1, 0, 10, 10, () => undefined), /brush size 0/);
  });
});

describe('webview polygon fill', () => {
  it('fills an axis-aligned square exactly and a triangle by pixel centres', () => {
    assert.equal(count(grid(10, 10, (v) => fillPolygon([2, 2, 6, 2, 6, 6, 2, 6], 10, 10, v))), 16);
    // Right triangle (0,0) (8,0) (0,8): centres with x+y < 8 -> 0.5+..: rows y have 8-y-1 pixels... count 28 (36 minus diagonal 8).
    const g = grid(8, 8, (v) => fillPolygon([0, 0, 8, 0, 0, 8], 8, 8, v));
    let ref = 0;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) if (x + 0.5 + y + 0.5 < 8) ref++;
    assert.equal(count(g), ref);
    assert.throws(() => fillPolygon([0, 0, 1, 1], 4, 4, () => undefined), /at least 3 points/);
  });
  it('even-odd: a self-crossing bow tie fills both lobes', () => {
    const g = grid(20, 20, (v) => fillPolygon([0, 0, 20, 20, 20, 0, 0, 20], 20, 20, v));
    assert.equal(g[10 * 20 + 1], 1); // left lobe
    assert.equal(g[10 * 20 + 18], 1); // right lobe
    assert.equal(g[1 * 20 + 10], 0); // between the lobes
    assert.equal(g[18 * 20 + 10], 0);
  });
});

describe('webview region fills', () => {
  it('flood fill is 4-connected on equal labels', () => {
    // Two regions of 1 touching only diagonally.
    const L = Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
    const c = collectSpans();
    assert.equal(floodLabel(L, 4, 4, 0, 0, c.visit), 4);
    assert.deepEqual(spansBounds(c.spans), { x: 0, y: 0, w: 2, h: 2 });
    assert.equal(floodLabel(L, 4, 4, 2, 0, () => undefined), 4); // the other 0s touch only diagonally
    assert.throws(() => floodLabel(L, 4, 4, 4, 0, () => undefined), /seed 4,0 is outside/);
  });
  it('magic wand grows within the colour tolerance', () => {
    const W = 5, rgba = new Uint8Array(W * 1 * 4);
    [10, 14, 30, 12, 11].forEach((v, i) => rgba.set([v, v, v, 255], i * 4));
    assert.equal(wandRegion(rgba, W, 1, 0, 0, 5, () => undefined), 2);
    assert.equal(wandRegion(rgba, W, 1, 0, 0, 20, () => undefined), 5);
    assert.throws(() => wandRegion(rgba, W, 1, 0, 0, 300, () => undefined), /tolerance 300/);
  });
});

describe('webview edit recording', () => {
  it('a stroke becomes a tight, invertible edit on the layers it changed', () => {
    const maps = createLabelMaps(300, 200);
    maps.semantic.fill(2, 0, 300); // first row already class 2
    const orig = { s: maps.semantic.slice(), i: maps.instances.slice() };
    const rec = new EditRecorder(maps);
    const paint = spanPainter(maps, rec, { semantic: 3, instance: 7, onlyBackground: false, background: 0 });
    const a = brushCentre(9, 100, 100), b = brushCentre(9, 250, 150);
    rasterSegment(a.x, a.y, b.x, b.y, 9, 300, 200, paint);
    const edit = rec.finish('brush');
    assert.ok(edit);
    assert.equal(edit.patches.length, 2);
    const [ps, pi] = edit.patches;
    assert.deepEqual([ps.x, ps.y, ps.w, ps.h], [96, 96, 159, 59]);
    assert.deepEqual([pi.x, pi.y, pi.w, pi.h], [96, 96, 159, 59]);
    const after = { s: maps.semantic.slice(), i: maps.instances.slice() };
    revertEdit(maps, edit);
    assert.deepEqual(maps.semantic, orig.s);
    assert.deepEqual(maps.instances, orig.i);
    applyEdit(maps, edit);
    assert.deepEqual(maps.semantic, after.s);
    assert.deepEqual(maps.instances, after.i);
  });
  it('unlabelled mode paints only background; no change gives no edit; restore undoes', () => {
    const maps = createLabelMaps(10, 10);
    maps.semantic.fill(5, 0, 50);
    const rec = new EditRecorder(maps, 8);
    fillPolygon([0, 0, 10, 0, 10, 10, 0, 10], 10, 10, spanPainter(maps, rec, { semantic: 1, instance: null, onlyBackground: true, background: 0 }));
    assert.equal(maps.semantic.filter((v) => v === 5).length, 50);
    assert.equal(maps.semantic.filter((v) => v === 1).length, 50);
    const e = rec.finish('lasso');
    assert.ok(e);
    assert.equal(e.patches.length, 1);
    assert.deepEqual([e.patches[0].y, e.patches[0].h], [5, 5]);
    rec.restore();
    assert.equal(maps.semantic.filter((v) => v === 1).length, 0);
    const rec2 = new EditRecorder(maps, 8);
    rasterSegment(1.5, 1.5, 1.5, 1.5, 1, 10, 10, spanPainter(maps, rec2, { semantic: 5, instance: null, onlyBackground: false, background: 0 }));
    assert.equal(rec2.finish('brush'), null);
  });
  it('a long diagonal stroke on a large image is sent as block-row bands, not its bounding rect', () => {
    const maps = createLabelMaps(4000, 3000);
    const orig = maps.semantic.slice();
    const rec = new EditRecorder(maps, 64, 1 << 20);
    rasterSegment(100.5, 100.5, 3900.5, 2900.5, 11, 4000, 3000, spanPainter(maps, rec, { semantic: 1, instance: null, onlyBackground: false, background: 0 }));
    const painted = (maps.semantic as Uint8Array).reduce((a, v) => a + v, 0);
    const edit = rec.finish('brush');
    assert.ok(edit);
    assert.ok(edit.patches.length > 10, `${edit.patches.length} patches`);
    const bytes = edit.patches.reduce((a, p) => a + p.w * p.h, 0);
    assert.ok(bytes < 40 * painted, `patch area ${bytes} vs painted ${painted}`);
    for (let i = 1; i < edit.patches.length; i++) assert.ok(edit.patches[i].y >= edit.patches[i - 1].y + edit.patches[i - 1].h, 'bands do not overlap');
    const after = maps.semantic.slice();
    revertEdit(maps, edit);
    assert.deepEqual(maps.semantic, orig);
    applyEdit(maps, edit);
    assert.deepEqual(maps.semantic, after);
    // Blocks left and right of a band's rect (an anti-diagonal stroke) must not break it.
    maps.semantic.fill(2, 2010 * 4000 + 3890, 2010 * 4000 + 3910);
    const rec2 = new EditRecorder(maps, 64, 1 << 16);
    const paint2 = spanPainter(maps, rec2, { semantic: 2, instance: null, onlyBackground: false, background: 0 });
    rasterSegment(3900.5, 100.5, 100.5, 2900.5, 11, 4000, 3000, paint2);
    rasterSegment(3900.5, 2010.5, 3900.5, 2010.5, 1, 4000, 3000, paint2); // touched, unchanged, right of the band's rect
    rasterSegment(10.5, 2990.5, 3990.5, 2990.5, 3, 4000, 3000, spanPainter(maps, rec2, { semantic: 2, instance: null, onlyBackground: false, background: 0 }));
    const e2 = rec2.finish('brush');
    assert.ok(e2);
    const cur = maps.semantic.slice();
    revertEdit(maps, e2);
    after.fill(2, 2010 * 4000 + 3890, 2010 * 4000 + 3910);
    assert.deepEqual(maps.semantic, after);
    applyEdit(maps, e2);
    assert.deepEqual(maps.semantic, cur);
  });
  it('deleting an instance clears only the instances layer', () => {
    const maps = createLabelMaps(6, 6);
    maps.instances.fill(4, 7, 10); maps.semantic.fill(2, 7, 10); maps.instances[30] = 4; maps.instances[20] = 9;
    const rec = new EditRecorder(maps, 8);
    assert.equal(clearInstance(maps, rec, 4), 4);
    const e = rec.finish('delete instance', [{ id: 4, before: { id: 4, class: 2, source: 'manual' }, after: null }]);
    assert.ok(e);
    assert.deepEqual(e.patches.map((p) => p.layer), ['instances']);
    assert.equal(maps.instances[20], 9);
    assert.equal(maps.semantic[8], 2);
    assert.equal(e.meta?.length, 1);
  });
});

describe('webview tiles, palette, colourising', () => {
  it('tiles touched by a dirty rect', () => {
    const g = tileGrid(8192, 8192, 1024);
    assert.deepEqual(tilesIn(g, { x: 1000, y: 2040, w: 30, h: 20 }), [8, 9, 16, 17]);
    assert.deepEqual(union({ x: 0, y: 0, w: 0, h: 0 }, { x: 3, y: 4, w: 1, h: 1 }), { x: 3, y: 4, w: 1, h: 1 });
    assert.deepEqual(expand({ x: 0, y: 0, w: 2, h: 2 }, 1, 10, 10), { x: 0, y: 0, w: 3, h: 3 });
  });
  it('palette order puts real classes on keys 1..; background transparent in the LUT', () => {
    const cfg = { classes: [{ id: 0, name: 'bg', color: '#000000', kind: 'stuff' as const }, { id: 2, name: 'cat', color: '#ff0000', kind: 'thing' as const }, { id: 1, name: 'dog', color: '#00ff00', kind: 'thing' as const }], ignoreIndex: 255, backgroundId: 0, semanticBits: 8 as const };
    const e = paletteEntries(cfg);
    assert.deepEqual(e.map((x) => [x.key, x.id, x.name]), [['1', 1, 'dog'], ['2', 2, 'cat'], ['3', 0, 'bg'], ['4', 255, 'ignore']]);
    const lut = buildClassLut(cfg);
    assert.equal(lut[0], 0);
    const bytes = new Uint8Array(lut.buffer, 2 * 4, 4);
    assert.deepEqual([...bytes], [255, 0, 0, 255]);
    assert.equal(lut[3], packRGBA(128, 128, 0, 255)); // VOC colour of id 3
  });
  it('colourises a dirty rect into a tile and outlines instances on 4-neighbour changes', () => {
    const W = 6, H = 5;
    const sem = new Uint8Array(W * H).fill(1);
    const lut = new Uint32Array(256); lut[1] = 0xdeadbeef;
    const pixels = new Uint32Array(4 * 4);
    colorizeSemantic(sem, W, { x: 2, y: 1, w: 2, h: 2 }, lut, { pixels, stride: 4, x0: 2, y0: 1 });
    assert.deepEqual([...pixels.subarray(0, 2)], [0xdeadbeef, 0xdeadbeef]);
    assert.equal(pixels[2], 0);
    const inst = new Uint16Array(W * H);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) inst[y * W + x] = 5;
    const out = new Uint32Array(W * H);
    colorizeInstances(inst, W, H, { x: 0, y: 0, w: W, h: H }, { pixels: out, stride: W, x0: 0, y0: 0 }, { tintAlpha: 40 });
    const [r, g, b] = instanceRGB(5);
    assert.equal(out[2 * W + 2], packRGBA(r, g, b, 40)); // interior: tint
    assert.equal(out[1 * W + 1], packRGBA(r, g, b, 255)); // boundary
    assert.equal(out[0], 0);
  });
  it('display levels sample every step-th pixel (display only) and outline at level resolution', () => {
    const W = 8, H = 4;
    const sem = new Uint8Array(W * H);
    for (let i = 0; i < W * H; i++) sem[i] = i % W; // class = column
    const lut = new Uint32Array(256).map((_, i) => i + 100);
    const pixels = new Uint32Array(4 * 2);
    colorizeSemantic(sem, W, { x: 0, y: 0, w: 4, h: 2 }, lut, { pixels, stride: 4, x0: 0, y0: 0 }, 2);
    // Each level pixel shows the first non-background class of its 2x2 block: column 0 is background.
    assert.deepEqual([...pixels.subarray(0, 4)], [101, 102, 104, 106]);
    // A one-pixel line stays visible at a coarse level.
    const thin = new Uint8Array(16 * 16);
    thin.fill(3, 5 * 16, 6 * 16);
    const px = new Uint32Array(4 * 4);
    colorizeSemantic(thin, 16, { x: 0, y: 0, w: 4, h: 4 }, lut, { pixels: px, stride: 4, x0: 0, y0: 0 }, 4);
    assert.deepEqual([...px], [100, 100, 100, 100, 103, 103, 103, 103, 100, 100, 100, 100, 100, 100, 100, 100]);
    const inst = new Uint16Array(W * H).fill(2);
    const out = new Uint32Array(4 * 2);
    colorizeInstances(inst, W, H, { x: 0, y: 0, w: 4, h: 2 }, { pixels: out, stride: 4, x0: 0, y0: 0 }, {}, 2);
    const [r, g, b] = instanceRGB(2);
    assert.ok(out.every((v) => v === packRGBA(r, g, b, 255)), 'a 4x2 level is all edge');
  });
});
