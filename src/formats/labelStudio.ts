// Label Studio brush annotations (JSON export, `type: "brushlabels"`, `value.format: "rle"`).
// The RLE is thi.ng/rle-pack's bit stream over the RGBA bytes of the whole image (row-major,
// 4 bytes per pixel): 32 bits value count, 5 bits word size - 1, four 4-bit run-length sizes - 1,
// then chunks of [1 bit repeat?][2 bits size index][run length - 1][value(s)]. The mask is the
// alpha byte (> 0 = painted), as label-studio-converter reads it. Pure.

export class BrushRleError extends Error {
  override name = 'BrushRleError';
}

class BitReader {
  private pos = 0;
  constructor(private readonly bytes: ArrayLike<number>) {}
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.pos >> 3;
      if (byte >= this.bytes.length) throw new BrushRleError(`brush RLE ends early (bit ${this.pos} of ${this.bytes.length * 8})`);
      v = v * 2 + ((this.bytes[byte] >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }
}

/** Decodes the value stream (RGBA bytes for a brush mask). Throws BrushRleError on a short or malformed stream. */
export function decodeBrushRle(rle: ArrayLike<number>, maxValues: number): Uint8Array {
  for (let i = 0; i < rle.length; i++) if (!Number.isInteger(rle[i]) || rle[i] < 0 || rle[i] > 255) throw new BrushRleError(`brush RLE byte ${i} is ${rle[i]}, not 0..255`);
  const r = new BitReader(rle);
  const num = r.read(32);
  if (num > maxValues) throw new BrushRleError(`brush RLE holds ${num} values, more than the ${maxValues} the image has`);
  const wordSize = r.read(5) + 1;
  const sizes = [r.read(4) + 1, r.read(4) + 1, r.read(4) + 1, r.read(4) + 1];
  const out = new Uint8Array(num);
  let i = 0;
  while (i < num) {
    const repeat = r.read(1);
    const j = i + 1 + r.read(sizes[r.read(2)]);
    if (j > num) throw new BrushRleError(`brush RLE run ends at ${j}, past its ${num} values`);
    if (repeat) {
      out.fill(r.read(wordSize), i, j);
      i = j;
    } else {
      for (; i < j; i++) out[i] = r.read(wordSize);
    }
  }
  return out;
}

/** The painted pixels (alpha > 0) of a decoded RGBA stream of width x height. */
export function brushMask(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (rgba.length !== width * height * 4) throw new BrushRleError(`brush RLE decodes to ${rgba.length} values but a ${width}x${height} RGBA image has ${width * height * 4}`);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4 + 3] > 0 ? 1 : 0;
  return out;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private cur = 0;
  private n = 0;
  write(v: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.cur = (this.cur << 1) | (Math.floor(v / 2 ** i) & 1);
      if (++this.n === 8) { this.bytes.push(this.cur); this.cur = 0; this.n = 0; }
    }
  }
  finish(): number[] {
    if (this.n > 0) this.bytes.push(this.cur << (8 - this.n));
    return this.bytes;
  }
}

/** Encodes a binary mask as a Label Studio brush RLE (RGBA 255 where set), for tests and round trips. */
export function encodeBrushRle(mask: ArrayLike<number>): number[] {
  const num = mask.length * 4;
  const w = new BitWriter();
  const sizes = [3, 4, 8, 16];
  w.write(num, 32); w.write(7, 5);
  for (const s of sizes) w.write(s - 1, 4);
  let i = 0;
  while (i < num) {
    const v = mask[i >> 2] ? 255 : 0;
    let j = i + 1;
    while (j < num && (mask[j >> 2] ? 255 : 0) === v && j - i < 65536) j++;
    const len = j - i;
    const k = sizes.findIndex((s) => len - 1 < 2 ** s);
    w.write(1, 1); w.write(k, 2); w.write(len - 1, sizes[k]); w.write(v, 8);
    i = j;
  }
  return w.finish();
}

export interface BrushResult {
  /** Where in the export it is, for messages: tasks[i].annotations[j].result[k]. */
  where: string;
  label: string;
  width: number;
  height: number;
  rle: number[];
}

export interface LabelStudioTask {
  index: number;
  /** data.image as exported (a URL or path); its base name is matched against the images. */
  image: string;
  results: BrushResult[];
  errors: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The brush results of a Label Studio JSON export (a list of tasks). Per task, the first annotation
 * that is not cancelled is used; other result types (rectangles, choices) are skipped.
 */
export function parseLabelStudio(text: string, file: string): LabelStudioTask[] {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new Error(`${file}: not valid JSON (${(e as Error).message})`); }
  if (!Array.isArray(raw)) throw new Error(`${file}: a Label Studio JSON export is a list of tasks`);
  return raw.map((t: unknown, index: number) => {
    const at = `${file}: tasks[${index}]`;
    const task: LabelStudioTask = { index, image: '', results: [], errors: [] };
    if (!isObj(t) || !isObj(t.data) || typeof t.data.image !== 'string') { task.errors.push(`${at} has no data.image`); return task; }
    task.image = t.data.image;
    const anns = Array.isArray(t.annotations) ? t.annotations : [];
    const ai = anns.findIndex((a) => isObj(a) && a.was_cancelled !== true);
    if (ai < 0) return task;
    const results = (anns[ai] as Record<string, unknown>).result;
    if (!Array.isArray(results)) return task;
    results.forEach((r: unknown, k: number) => {
      const where = `${at}.annotations[${ai}].result[${k}]`;
      if (!isObj(r) || r.type !== 'brushlabels' || !isObj(r.value)) return;
      const v = r.value;
      const labels = v.brushlabels;
      if (v.format !== 'rle' || !Array.isArray(v.rle)) { task.errors.push(`${where}: brush value without "rle"`); return; }
      if (!Array.isArray(labels) || typeof labels[0] !== 'string') { task.errors.push(`${where}: no brushlabels`); return; }
      const width = r.original_width, height = r.original_height;
      if (typeof width !== 'number' || typeof height !== 'number') { task.errors.push(`${where}: no original_width / original_height`); return; }
      task.results.push({ where, label: labels[0], width, height, rle: v.rle as number[] });
    });
    return task;
  });
}

/** The file name Label Studio gave an uploaded image: its URL's last part without the 8-hex upload prefix. */
export function uploadedName(image: string): { name: string; stripped: string } {
  // Local-storage URLs carry the path in ?d=...; uploads end with the file name.
  const q = /[?&]d=([^&]+)/.exec(image);
  const p = q ? decodeURIComponent(q[1]) : decodeURIComponent(image.split('?')[0]);
  const last = p.split(/[\\/]/).pop() ?? p;
  const m = /^[0-9a-f]{8}-(.+)$/.exec(last);
  return { name: last, stripped: m ? m[1] : last };
}
