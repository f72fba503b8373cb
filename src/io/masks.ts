// Reading the mask files beside an image (FORMATS.md): semantic PNG, instance PNG, sidecar JSON.
// Label PNGs go through our exact codec (labelPng.ts), never through sharp. Writing: maskSet.ts.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readPngHeader, colorTypeName, type DecodedPng } from '../algorithms/codecs/pngDecode';
import { classRgb, hex, newSemantic, paletteOf, type DatasetConfig } from '../shared/config';
import { checkSize, type InstanceInfo, type LabelMaps, type SemanticIds } from '../shared/maskModel';
import { maskNamesFor } from '../shared/paths';
import { parseSidecar, type Sidecar } from '../shared/sidecar';
import { decodeLabelPngBytes } from './labelPng';
import { instanceClassStats } from './instanceStats';

export interface MaskFiles { mask: string; instances: string; sidecar: string }

export interface LoadedMasks {
  maps: LabelMaps;
  instanceInfo: InstanceInfo[];
  sidecar: Sidecar | null;
  warnings: string[];
  existing: { mask: boolean; instances: boolean; sidecar: boolean };
}

export class MaskLoadError extends Error {
  override name = 'MaskLoadError';
  constructor(readonly file: string, readonly reason: string) {
    super(`cannot load mask ${file}: ${reason}`);
  }
}

/** Absolute paths of the mask files of an image, from the config's patterns. */
export function maskFilesFor(imageFile: string, config: DatasetConfig): MaskFiles {
  const abs = path.resolve(imageFile);
  const dir = path.dirname(abs);
  const names = maskNamesFor(path.basename(abs), config.patterns);
  return { mask: path.join(dir, names.mask), instances: path.join(dir, names.instances), sidecar: path.join(dir, names.sidecar) };
}

async function readIfExists(file: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await fsp.readFile(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MaskLoadError(file, (e as Error).message);
  }
}

/** Checks the header's size against the image before decoding, then decodes. */
function decodeSized(bytes: Uint8Array, file: string, width: number, height: number): DecodedPng {
  let h;
  try { h = readPngHeader(bytes); } catch (e) { throw new MaskLoadError(file, (e as Error).message); }
  if (h.width !== width || h.height !== height) throw new MaskLoadError(file, `mask is ${h.width}x${h.height} but the image is ${width}x${height}`);
  try { return decodeLabelPngBytes(bytes, file); } catch (e) { throw new MaskLoadError(file, (e as { reason?: string }).reason ?? (e as Error).message); }
}

function kindOf(png: DecodedPng): string {
  return `${colorTypeName(png.header.colorType)} ${png.header.bitDepth}-bit`;
}

/**
 * Semantic ids from any accepted variant (palette indices, gray 8/16-bit, colours of the palette),
 * in the dataset's type: a Uint8Array in an 8-bit dataset, a Uint16Array in a 16-bit one (8-bit
 * files are widened). An id that does not fit an 8-bit dataset is an error naming it, never cut.
 */
export function semanticFromPng(png: DecodedPng, file: string, config: DatasetConfig): SemanticIds {
  const ids = semanticValues(png, file, config);
  if (config.semanticBits === 16) return ids instanceof Uint16Array ? ids : Uint16Array.from(ids);
  if (ids instanceof Uint8Array) return ids;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] > 255) {
      const w = png.header.width;
      throw new MaskLoadError(file, `16-bit semantic mask has class id ${ids[i]} at pixel ${i % w},${Math.floor(i / w)}, but the dataset config is 8-bit (class ids 0..254); set "semanticBits": 16 in maskwright.json for ids above 254`);
    }
  }
  return Uint8Array.from(ids);
}

function semanticValues(png: DecodedPng, file: string, config: DatasetConfig): SemanticIds {
  const { width, colorType, bitDepth } = png.header;
  const d = png.data;
  if (colorType === 3) return d as Uint8Array;
  if (colorType === 0) {
    if (bitDepth === 8 || bitDepth === 1) return d as Uint8Array;
    if (bitDepth === 16) return d as Uint16Array;
    throw new MaskLoadError(file, `${kindOf(png)} masks are not supported (readers disagree on their values); save as 8-bit`);
  }
  if (colorType === 2 || colorType === 6) {
    const pal = paletteOf(config);
    const byColor = new Map<number, number>();
    // Config classes first, then the VOC colours of unlisted ids; the first id of a colour wins.
    for (const c of config.classes) {
      const [r, g, b] = classRgb(config, c.id);
      const k = (r << 16) | (g << 8) | b;
      if (!byColor.has(k)) byColor.set(k, c.id);
    }
    for (let id = 0; id < 256; id++) {
      const k = (pal[id * 3] << 16) | (pal[id * 3 + 1] << 8) | pal[id * 3 + 2];
      if (!byColor.has(k)) byColor.set(k, id);
    }
    const ch = png.channels, shift = bitDepth === 16 ? 8 : 0;
    const out = newSemantic(config, d.length / ch);
    let lastKey = -1, lastId = 0;
    for (let i = 0; i < out.length; i++) {
      const k = ((d[i * ch] >> shift) << 16) | ((d[i * ch + 1] >> shift) << 8) | (d[i * ch + 2] >> shift);
      if (k !== lastKey) {
        const id = byColor.get(k);
        if (id === undefined) {
          throw new MaskLoadError(file, `colour ${hex([k >> 16, (k >> 8) & 255, k & 255])} at pixel ${i % width},${Math.floor(i / width)} is not a class colour of the dataset palette`);
        }
        lastKey = k; lastId = id;
      }
      out[i] = lastId;
    }
    return out;
  }
  throw new MaskLoadError(file, `${kindOf(png)} is not a supported semantic mask (palette, gray or RGB colour PNG expected)`);
}

export function instancesFromPng(png: DecodedPng, file: string): Uint16Array {
  if (png.header.colorType !== 0 || png.header.bitDepth === 2 || png.header.bitDepth === 4) {
    throw new MaskLoadError(file, `${kindOf(png)} is not a supported instance map (16-bit or 8-bit grayscale PNG expected)`);
  }
  return png.data instanceof Uint16Array ? png.data : Uint16Array.from(png.data);
}

/** Pixels per class id. Counted by runs: label maps are long runs, and a register beats a memory increment per pixel. */
function classHistogram(ids: SemanticIds): Uint32Array {
  const hist = new Uint32Array(ids instanceof Uint16Array ? 65536 : 256);
  if (ids.length === 0) return hist;
  let v = ids[0], run = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === v) run++;
    else { hist[v] += run; v = id; run = 1; }
  }
  hist[v] += run;
  return hist;
}

/** The bytes of an image's mask files (null: the file does not exist). */
export interface MaskBytes { mask: Uint8Array | null; instances: Uint8Array | null; sidecar: Uint8Array | null }

/** Reads the three mask files of an image at once. Throws MaskLoadError for a file that exists but cannot be read. */
export async function readMaskBytes(files: MaskFiles): Promise<MaskBytes> {
  const [mask, instances, sidecar] = await Promise.all([readIfExists(files.mask), readIfExists(files.instances), readIfExists(files.sidecar)]);
  return { mask, instances, sidecar };
}

/**
 * Reads the masks of an image (FORMATS.md). Missing files give empty maps (semantic filled with
 * config.backgroundId). Throws MaskLoadError naming the file and the cause for a wrong size, an
 * unsupported or corrupt PNG, an unknown colour, or an unreadable sidecar.
 */
export async function readMasks(imageFile: string, width: number, height: number, config: DatasetConfig): Promise<LoadedMasks> {
  checkSize(width, height);
  const files = maskFilesFor(imageFile, config);
  return decodeMasks(files, await readMaskBytes(files), width, height, config);
}

/** readMasks on bytes already read (readMaskBytes), so a caller that also checks the set reads each file once. */
export function decodeMasks(files: MaskFiles, bytes: MaskBytes, width: number, height: number, config: DatasetConfig): LoadedMasks {
  checkSize(width, height);
  const { mask: maskBytes, instances: instBytes, sidecar: sideBytes } = bytes;
  const warnings: string[] = [];
  const semantic = maskBytes
    ? semanticFromPng(decodeSized(maskBytes, files.mask, width, height), files.mask, config)
    : newSemantic(config, width * height, config.backgroundId);
  const instances = instBytes ? instancesFromPng(decodeSized(instBytes, files.instances, width, height), files.instances) : new Uint16Array(width * height);
  let sidecar: Sidecar | null = null;
  if (sideBytes) {
    try { sidecar = parseSidecar(new TextDecoder().decode(sideBytes), files.sidecar); } catch (e) { throw new MaskLoadError(files.sidecar, (e as Error).message.replace(`${files.sidecar}: `, '')); }
  }

  const classHist = classHistogram(semantic);
  const known = new Set(config.classes.map((c) => c.id));
  const unknown: string[] = [];
  for (let id = 0; id < classHist.length; id++) if (classHist[id] > 0 && !known.has(id) && id !== config.ignoreIndex) unknown.push(`${id} (${classHist[id]} px)`);
  if (unknown.length) warnings.push(`${files.mask}: class ids not in the config: ${unknown.join(', ')}`);

  const stats = instanceClassStats(semantic, instances);
  const fromSidecar = new Map((sidecar?.instances ?? []).map((i) => [i.id, i]));
  const instanceInfo: InstanceInfo[] = [];
  for (const [id, counts] of stats) {
    const classes = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (classes.length > 1) warnings.push(`instance ${id} covers several classes: ${classes.map(([c, n]) => `${c} (${n} px)`).join(', ')}`);
    const info = fromSidecar.get(id);
    if (info) {
      if (!counts.has(info.class)) warnings.push(`instance ${id} has class ${info.class} in the sidecar but its pixels are class ${classes[0][0]}`);
      instanceInfo.push(info);
    } else instanceInfo.push({ id, class: classes[0][0], source: 'manual' });
  }
  for (const id of fromSidecar.keys()) if (!stats.has(id)) warnings.push(`${files.sidecar}: instance ${id} has no pixels in the instance map; dropped`);
  instanceInfo.sort((a, b) => a.id - b.id);

  return {
    maps: { width, height, semantic, instances },
    instanceInfo,
    sidecar,
    warnings,
    existing: { mask: maskBytes !== null, instances: instBytes !== null, sidecar: sideBytes !== null },
  };
}
