// A small real dataset for the interchange tests: camera.png thresholded at Otsu (102) and split
// into instances (8-connected components; two of them joined into one multi-part instance; the sky
// has holes; specks stay class pixels without an instance), dark pixels as a stuff class, an
// ignore corner; and a coins-like image (bright disks,
// some touching and split by the toolkit's watershed, two rings with holes). Masks are written
// through the protected automatic writer, as a tool would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { connectedComponents, otsu, splitTouching, toGray } from '../../../src/algorithms/classical';
import { writeAutomatic } from '../../../src/dataset/protect';
import { decodeImage, encodeRgbPng } from '../../../src/io/image';
import { parseConfig, stableStringify, type DatasetConfig } from '../../../src/shared/config';
import type { InstanceInfo, LabelMaps } from '../../../src/shared/maskModel';
import { FIXTURE_IMAGES, LOCAL_FIXTURES } from '../../paths';
import { PYTHON } from '../io/oracles';

export const CONFIG_JSON = {
  version: 1,
  classes: [
    { id: 0, name: 'background', color: '#000000', kind: 'stuff' },
    { id: 1, name: 'bright', color: '#ff0000', kind: 'thing' },
    { id: 2, name: 'dark', color: '#0000ff', kind: 'stuff' },
    { id: 3, name: 'coin', color: '#00ff00', kind: 'thing' },
  ],
  ignoreIndex: 255, backgroundId: 0,
};
export const CONFIG: DatasetConfig = parseConfig(JSON.stringify(CONFIG_JSON));

export interface Labelled { file: string; maps: LabelMaps; info: InstanceInfo[] }

function cameraMaps(gray: Uint8Array, width: number, height: number): { maps: LabelMaps; info: InstanceInfo[] } {
  const t = otsu({ data: gray, width, height }).threshold;
  assert.equal(t, 102);
  const fg = gray.map((v) => (v > t ? 1 : 0));
  const { labels, count, stats } = connectedComponents({ data: fg, width, height }, { connectivity: 8 });
  const semantic = new Uint8Array(width * height);
  const instances = new Uint16Array(width * height);
  // Components of 20+ pixels are instances, with ids 5, 8, 11, ... (not 1..n, so id keeping is tested).
  const idOf = new Int32Array(count + 1);
  const big = [];
  for (let l = 1; l <= count; l++) if (stats!.area[l] >= 20) big.push(l);
  big.sort((a, b) => stats!.area[b] - stats!.area[a]);
  big.forEach((l, k) => { idOf[l] = 5 + 3 * k; });
  if (big.length >= 3) idOf[big[2]] = idOf[big[1]]; // a multi-part instance
  for (let i = 0; i < semantic.length; i++) {
    // Specks under 20 pixels stay class 1 without an instance (a class region of a thing class).
    if (idOf[labels[i]]) { semantic[i] = 1; instances[i] = idOf[labels[i]]; } else if (labels[i]) semantic[i] = 1; else if (gray[i] < 30) semantic[i] = 2;
  }
  for (let y = height - 32; y < height; y++) for (let x = 0; x < 32; x++) { semantic[y * width + x] = 255; instances[y * width + x] = 0; }
  const ids = [...new Set(instances)].filter((v) => v !== 0).sort((a, b) => a - b);
  return { maps: { width, height, semantic, instances }, info: ids.map((id) => ({ id, class: 1, source: 'tool:test' })) };
}

/** A coins-like RGB image: bright disks (some touching, two rings) on a dark, slightly noisy background. */
export function coinsRgb(width = 320, height = 240): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const disks = [[40, 40, 22, 0], [84, 44, 22, 0], [150, 50, 25, 12], [220, 60, 20, 0], [280, 70, 18, 0], [60, 130, 26, 0],
    [120, 140, 24, 0], [165, 140, 22, 0], [240, 150, 30, 14], [70, 205, 20, 0], [150, 205, 18, 0], [260, 210, 16, 0]];
  let seed = 7;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 30 + Math.floor(rnd() * 20);
      for (const [cx, cy, r, hole] of disks) {
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        if (d2 <= r * r && d2 >= hole * hole) v = 190 + Math.floor(rnd() * 40);
      }
      rgb.set([v, v, Math.max(0, v - 10)], (y * width + x) * 3);
    }
  }
  return rgb;
}

function coinsMaps(gray: Uint8Array, width: number, height: number): { maps: LabelMaps; info: InstanceInfo[] } {
  const t = otsu({ data: gray, width, height }).threshold;
  const fg = gray.map((v) => (v > t ? 255 : 0));
  const { labels, count } = splitTouching({ data: fg, width, height }, { minDistance: 8 });
  const semantic = new Uint8Array(width * height);
  const instances = new Uint16Array(width * height);
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0) { semantic[i] = 3; instances[i] = labels[i]; }
  const info: InstanceInfo[] = [];
  for (let l = 1; l <= count; l++) if (instances.includes(l)) info.push({ id: l, class: 3, source: 'tool:test' });
  return { maps: { width, height, semantic, instances }, info };
}

/** A temp dataset folder with camera.png and coins.png labelled; returns the expected maps. */
export async function makeDataset(prefix = 'mw-interchange-'): Promise<{ dir: string; labelled: Labelled[]; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'maskwright.json'), stableStringify(CONFIG_JSON));
  fs.copyFileSync(path.join(FIXTURE_IMAGES, 'camera.png'), path.join(dir, 'camera.png'));
  fs.writeFileSync(path.join(dir, 'coins.png'), await encodeRgbPng(320, 240, 3, coinsRgb()));
  const labelled: Labelled[] = [];
  for (const [name, make] of [['camera.png', cameraMaps], ['coins.png', coinsMaps]] as const) {
    const file = path.join(dir, name);
    const img = await decodeImage(file, { channels: 3 });
    const { maps, info } = make(toGray(img), img.width, img.height);
    const r = await writeAutomatic(file, maps, info, CONFIG, { source: 'tool:test' });
    assert.equal(r.status, 'written');
    labelled.push({ file, maps, info });
  }
  return { dir, labelled, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the dataset's images (and config, when asked) without masks, for imports. */
export function imagesOnly(from: string, withConfig: boolean): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-import-'));
  for (const n of ['camera.png', 'coins.png']) fs.copyFileSync(path.join(from, n), path.join(dir, n));
  if (withConfig) fs.copyFileSync(path.join(from, 'maskwright.json'), path.join(dir, 'maskwright.json'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const ORACLE = path.join(LOCAL_FIXTURES, 'interchange', 'oracle.py');

/** Runs the Python oracle (Debian's python3 with PIL, numpy, OpenCV and labelme) and parses its JSON. */
export function oracle<T>(...args: string[]): T {
  return JSON.parse(execFileSync(PYTHON, [ORACLE, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as T;
}

export function u16(b64: string): Uint16Array {
  const b = Buffer.from(b64, 'base64');
  return new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Pixels within one pixel (8-neighbourhood) of a change of value in `a` (object boundaries). */
export function nearBoundary(a: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = a[y * width + x];
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < width && yy < height && a[yy * width + xx] !== v) { out[y * width + x] = 1; }
      }
    }
  }
  return out;
}
