// Exactness against native OpenCV / scikit-image / SciPy outputs on the fixture images
// (references made by test/fixtures/classical/make_refs.py, committed in refs.json).
import * as assert from 'node:assert/strict';
import * as C from '../../../src/algorithms/classical';
import { kernelPath, setKernelPath } from '../../../src/algorithms/classical/wasm';
import { exactImages, loadRgb, refs, sha, type ImageRefs, type Rgb } from './helpers';

// Every test runs on both kernel paths: the TS reference kernels and the wasm SIMD ones.
for (const kernels of ['ts', 'wasm'] as const) describe(`classical (${kernels} kernels): exact vs OpenCV / scikit-image`, function () {
  this.timeout(120000);
  let cases: { name: string; rgb: Rgb; ref: ImageRefs }[] = [];
  before(async () => {
    setKernelPath(kernels);
    cases = await exactImages();
  });
  after(() => setKernelPath('auto'));

  it(`runs on the ${kernels} kernels`, () => assert.equal(kernelPath(), kernels));

  it('decodes at least the 7 PNG fixtures byte-identically to OpenCV', async () => {
    const names = cases.map((c) => c.name);
    for (const n of Object.keys(refs.images)) if (n.endsWith('.png')) assert.ok(names.includes(n), `${n} decodes differently`);
  });

  it('camera.png: Otsu threshold is 102', async () => {
    const rgb = await loadRgb('camera.png');
    assert.equal(C.otsu({ data: C.toGray(rgb), width: rgb.width, height: rgb.height }).threshold, 102);
  });

  const each = (title: string, fn: (g: { data: Uint8Array; width: number; height: number }, ref: ImageRefs, rgb: Rgb) => void): void => {
    it(title, () => {
      assert.ok(cases.length >= 7);
      for (const { name, rgb, ref } of cases) {
        const gray = { data: C.toGray(rgb), width: rgb.width, height: rgb.height };
        try { fn(gray, ref, rgb); } catch (e) { (e as Error).message = `${name}: ${(e as Error).message}`; throw e; }
      }
    });
  };
  const bin = (g: { data: Uint8Array; width: number; height: number }): { data: Uint8Array; width: number; height: number } => ({ ...g, data: C.otsu(g).mask });

  each('gray conversion is bit-exact', (g, ref) => assert.equal(sha(g.data), ref.gray));
  each('Otsu level and mask equal', (g, ref) => {
    const r = C.otsu(g);
    assert.equal(r.threshold, ref.otsu);
    assert.equal(sha(r.mask), ref.otsu_mask);
  });
  each('fixed threshold 127 equal', (g, ref) => assert.equal(sha(C.threshold(g, { threshold: 127 })), ref.thresh127));
  each('multi-level Otsu thresholds equal scikit-image (3 and 4 classes)', (g, ref) => {
    assert.deepEqual(C.multiOtsu(g, { classes: 3 }).thresholds, ref.multiotsu3);
    assert.deepEqual(C.multiOtsu(g, { classes: 4 }).thresholds, ref.multiotsu4);
  });
  each('adaptive mean threshold byte-equal (31/5, 11/2)', (g, ref) => {
    assert.equal(sha(C.adaptiveThreshold(g, { method: 'mean', blockSize: 31, C: 5 })), ref.adapt_mean_31_5);
    assert.equal(sha(C.adaptiveThreshold(g, { method: 'mean', blockSize: 11, C: 2 })), ref.adapt_mean_11_2);
  });
  each('adaptive Gaussian threshold byte-equal (31/5, 11/2)', (g, ref) => {
    assert.equal(sha(C.adaptiveThreshold(g, { method: 'gaussian', blockSize: 31, C: 5 })), ref.adapt_gauss_31_5);
    assert.equal(sha(C.adaptiveThreshold(g, { method: 'gaussian', blockSize: 11, C: 2 })), ref.adapt_gauss_11_2);
  });
  each('Gaussian blur byte-equal (3, 5, 7, 11; 9 with sigma 2)', (g, ref) => {
    assert.equal(sha(C.gaussianBlur(g, { ksize: 5 })), ref.gauss5, '5x5');
    assert.equal(sha(C.gaussianBlur(g, { ksize: 3 })), ref.gauss3, '3x3');
    assert.equal(sha(C.gaussianBlur(g, { ksize: 7 })), ref.gauss7, '7x7');
    assert.equal(sha(C.gaussianBlur(g, { ksize: 11 })), ref.gauss11, '11x11');
    assert.equal(sha(C.gaussianBlur(g, { ksize: 9, sigma: 2 })), ref.gauss9_s2, '9x9 sigma 2');
  });
  each('Sobel dx and dy byte-equal', (g, ref) => {
    const { gx, gy } = C.sobel(g);
    assert.equal(sha(gx), ref.sobel_x);
    assert.equal(sha(gy), ref.sobel_y);
  });
  each('Canny L1 and L2 edge maps equal', (g, ref) => {
    for (const [lo, hi, l2] of [[50, 150, false], [50, 150, true], [100, 200, false], [20, 60, true]] as const) {
      const key = `canny_${lo}_${hi}_${l2 ? 'l2' : 'l1'}`;
      const e = C.canny(g, { low: lo, high: hi, l2 });
      let nnz = 0;
      for (const v of e) if (v) nnz++;
      assert.equal(nnz, ref[key].nnz, key + ' edge count');
      assert.equal(sha(e), ref[key].sha, key);
    }
  });
  each('connected components (4, 8): count, areas and raster-order labels equal', (g, ref) => {
    const b = bin(g);
    for (const conn of [4, 8] as const) {
      const r = C.connectedComponents(b, { connectivity: conn });
      const cc = ref[`cc${conn}`];
      assert.equal(r.count, cc.count, `cc${conn} count`);
      const areas = Array.from(r.stats!.area.subarray(1)).sort((p, q) => q - p);
      assert.deepEqual(areas.slice(0, 10), cc.areas_top);
      assert.equal(sha(Int32Array.from(areas)), cc.areas_sha);
      assert.equal(sha(r.labels), cc.labels);
      assert.equal(cc.labels, cc.skimage_labels);
    }
  });
  each('flood fill (gray and RGB, 4 and 8, tolerance 20) equals cv2.floodFill FIXED_RANGE', (g, ref, rgb) => {
    const [x, y] = ref.seed;
    for (const conn of [4, 8] as const) {
      const a = C.floodFill(g, { x, y, tolerance: 20, connectivity: conn });
      assert.equal(a.area, ref[`flood_gray_${conn}`].area);
      assert.equal(sha(a.mask), ref[`flood_gray_${conn}`].sha);
      const b = C.magicWand(rgb, { x, y, tolerance: 20, connectivity: conn });
      assert.equal(b.area, ref[`flood_rgb_${conn}`].area);
      assert.equal(sha(b.mask), ref[`flood_rgb_${conn}`].sha);
    }
  });
  each('morphology (erode, dilate, open, close; square and disk) equals cv2 with the same element', (g, ref) => {
    for (const [srcName, src] of [['gray', g], ['bin', bin(g)]] as const) {
      for (const [shape, radius] of [['square', 1], ['square', 3], ['disk', 3], ['disk', 5]] as const) {
        assert.equal(sha(C.erode(src, { shape, radius })), ref.morph[`${srcName}_erode_${shape}${radius}`], `${srcName} erode ${shape}${radius}`);
        assert.equal(sha(C.dilate(src, { shape, radius })), ref.morph[`${srcName}_dilate_${shape}${radius}`], `${srcName} dilate ${shape}${radius}`);
      }
      assert.equal(sha(C.open(src, { shape: 'disk', radius: 2 })), ref.morph[`${srcName}_open_disk2`], `${srcName} open`);
      assert.equal(sha(C.close(src, { shape: 'disk', radius: 2 })), ref.morph[`${srcName}_close_disk2`], `${srcName} close`);
    }
  });
  each('fill holes equals scipy binary_fill_holes', (g, ref) => assert.equal(sha(C.fillHoles(bin(g))), ref.fill_holes.sha));
  each('remove small objects equals skimage (min_size 64, 8-connected)', (g, ref) => {
    assert.equal(sha(C.removeSmallObjects(bin(g), { minSize: 64, connectivity: 8 }).mask), ref.remove_small_64.sha);
  });
  each('distance transform equals cv2 DIST_L2 / DIST_MASK_PRECISE (float32 bytes)', (g, ref) => {
    assert.equal(sha(C.distanceTransform(bin(g))), ref.edt.sha);
  });
  each('watershed from grid seeds equals cv2.watershed label for label', (_g, ref, rgb) => {
    const { width: w, height: h } = rgb;
    const markers = new Int32Array(w * h);
    let id = 0;
    for (let y = 32; y < h; y += 64) for (let x = 32; x < w; x += 64) markers[y * w + x] = ++id;
    assert.equal(id, ref.watershed_grid64.seeds);
    const out = C.watershed(rgb, markers);
    let boundary = 0;
    for (const v of out) if (v === -1) boundary++;
    assert.equal(boundary, ref.watershed_grid64.boundary);
    assert.equal(sha(out), ref.watershed_grid64.sha);
  });
});
