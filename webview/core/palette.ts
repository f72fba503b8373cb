// Palette: class colours as a packed RGBA lookup table, the class list in palette order, and
// distinct instance colours. Pure.
import { parseHexColor, vocColor, type ClassDef } from '../../src/shared/config';
import type { ViewConfig } from '../../src/shared/protocol';

/** Packs RGBA into a Uint32 laid out as the bytes r,g,b,a in memory (little-endian hosts). */
export function packRGBA(r: number, g: number, b: number, a: number, littleEndian = true): number {
  return littleEndian
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/**
 * Packed colours for every semantic id the dataset can hold (256, or 65536 in a 16-bit dataset):
 * config colours for listed ids, the VOC map for the rest (bit-interleaved, so it gives distinct,
 * deterministic colours for ids above 255 too). The background id is transparent (alpha 0); every
 * other id is opaque (opacity is applied when the overlay is drawn, so changing it recolours nothing).
 */
export function buildClassLut(config: ViewConfig, littleEndian = true): Uint32Array {
  const n = config.semanticBits === 16 ? 65536 : 256;
  const lut = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = vocColor(i);
    lut[i] = packRGBA(r, g, b, 255, littleEndian);
  }
  for (const c of config.classes) {
    const rgb = parseHexColor(c.color);
    if (rgb && c.id >= 0 && c.id < n) lut[c.id] = packRGBA(rgb[0], rgb[1], rgb[2], 255, littleEndian);
  }
  if (config.backgroundId >= 0 && config.backgroundId < n) lut[config.backgroundId] = 0;
  return lut;
}

export interface PaletteEntry {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  /** Key that selects it ('1'..'9', '0'), or '' past the tenth entry. */
  readonly key: string;
}

/**
 * Classes in palette order: the config's classes other than background and ignore (by id), then
 * background, then ignore. Keys 1..9,0 select the first ten, so key 1 is the first real class.
 */
export function paletteEntries(config: ViewConfig): PaletteEntry[] {
  const byId = new Map<number, ClassDef>();
  for (const c of config.classes) byId.set(c.id, c);
  const named = (id: number, fallback: string): { id: number; name: string; color: string } => {
    const c = byId.get(id);
    const [r, g, b] = c ? parseHexColor(c.color) ?? vocColor(id) : vocColor(id);
    return { id, name: c?.name ?? fallback, color: '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('') };
  };
  const real = [...config.classes].filter((c) => c.id !== config.backgroundId && c.id !== config.ignoreIndex).sort((a, b) => a.id - b.id);
  const list = [...real.map((c) => named(c.id, c.name)), named(config.backgroundId, 'background'), named(config.ignoreIndex, 'ignore')];
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
  return list.map((e, i) => ({ ...e, key: keys[i] ?? '' }));
}

/** Name of a class id for the status bar: the config's name, 'ignore', or 'class N'. */
export function className(config: ViewConfig, id: number): string {
  const c = config.classes.find((k) => k.id === id);
  if (c) return c.name;
  if (id === config.ignoreIndex) return 'ignore';
  if (id === config.backgroundId) return 'background';
  return `class ${id}`;
}

/** A distinct, stable RGB colour per instance id (golden-angle hue steps, full saturation). */
export function instanceRGB(id: number): [number, number, number] {
  const h = ((id * 137.508) % 360) / 60;
  const s = 0.85, v = 1;
  const c = v * s, x = c * (1 - Math.abs((h % 2) - 1)), m = v - c;
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
