// Dataset config (`maskwright.json`): types, defaults, validation. Pure.

export type ClassKind = 'stuff' | 'thing';

export interface ClassDef {
  readonly id: number;
  readonly name: string;
  /** "#rrggbb" */
  readonly color: string;
  readonly kind: ClassKind;
}

export interface MaskPatterns {
  /** File names in the image's folder; {stem} (the image name without extension) is required. */
  readonly mask: string;
  readonly instances: string;
  readonly sidecar: string;
}

export interface DatasetModelRef {
  readonly id: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Bits per pixel of the semantic mask: 8 (indexed PNG, ids 0..254) or 16 (grayscale PNG, ids 0..65534). */
export type SemanticBits = 8 | 16;

export interface DatasetConfig {
  readonly version: 1;
  /** 16 only for datasets with class ids above 254 (written as `"semanticBits": 16`); default 8. */
  readonly semanticBits: SemanticBits;
  readonly classes: readonly ClassDef[];
  readonly ignoreIndex: number;
  readonly backgroundId: number;
  readonly patterns: MaskPatterns;
  readonly models: readonly DatasetModelRef[];
}

export const CONFIG_FILE = 'maskwright.json';

export const DEFAULT_PATTERNS: MaskPatterns = {
  mask: '{stem}.mask.png',
  instances: '{stem}.instances.png',
  sidecar: '{stem}.mask.json',
};

/** Pascal VOC colour map (bit-interleaved), used for ids the config does not list. */
export function vocColor(id: number): [number, number, number] {
  let r = 0, g = 0, b = 0, c = id;
  for (let j = 0; j < 8; j++) {
    r |= ((c >> 0) & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
    c >>= 3;
  }
  return [r, g, b];
}

export function hex([r, g, b]: readonly number[]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

export function parseHexColor(s: string): [number, number, number] | null {
  const m = /^#([0-9a-fA-F]{6})$/.exec(s);
  if (!m) return null;
  const v = parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function defaultConfig(): DatasetConfig {
  return {
    version: 1,
    semanticBits: 8,
    classes: [
      { id: 0, name: 'background', color: '#000000', kind: 'stuff' },
      { id: 1, name: 'object', color: hex(vocColor(1)), kind: 'thing' },
    ],
    ignoreIndex: 255,
    backgroundId: 0,
    patterns: DEFAULT_PATTERNS,
    models: [],
  };
}

/** Largest value a semantic pixel can hold in a dataset of `bits` (255 or 65535). */
export function maxSemanticValue(bits: SemanticBits): number {
  return bits === 16 ? 65535 : 255;
}

/** The default ignore index of a dataset of `bits`: 255 (Pascal VOC) or 65535. */
export function defaultIgnoreIndex(bits: SemanticBits): number {
  return maxSemanticValue(bits);
}

/** A new semantic map of `n` pixels for the dataset: Uint8Array (8-bit) or Uint16Array (16-bit). */
export function newSemantic(config: { readonly semanticBits: SemanticBits }, n: number, fill = 0): Uint8Array | Uint16Array {
  const a = config.semanticBits === 16 ? new Uint16Array(n) : new Uint8Array(n);
  if (fill !== 0) a.fill(fill);
  return a;
}

/** RGB of a class id: its config colour, else the Pascal VOC colour map (defined for every id up to 2^24). */
export function classRgb(config: DatasetConfig, id: number): [number, number, number] {
  const c = classById(config, id);
  return (c && parseHexColor(c.color)) || vocColor(id);
}

/** 256 RGB triples: config colours for listed ids, the VOC map for the rest (ignore = white-ish VOC 255). */
export function paletteOf(config: DatasetConfig): Uint8Array {
  const pal = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) pal.set(vocColor(i), i * 3);
  for (const c of config.classes) {
    const rgb = parseHexColor(c.color);
    if (rgb && c.id >= 0 && c.id < 256) pal.set(rgb, c.id * 3);
  }
  return pal;
}

export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and validates config text; throws ConfigError listing every problem found. */
export function parseConfig(text: string, file = CONFIG_FILE): DatasetConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [`not valid JSON (${(e as Error).message})`]);
  }
  const problems: string[] = [];
  if (!isObj(raw)) throw new ConfigError(file, ['the top level must be an object']);
  const d = defaultConfig();
  const int = (v: unknown, name: string, lo: number, hi: number, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) { problems.push(`${name} must be an integer ${lo}..${hi}`); return dflt; }
    return v;
  };
  if (raw.version !== undefined && raw.version !== 1) problems.push(`version ${JSON.stringify(raw.version)} is not supported (expected 1)`);
  let semanticBits: SemanticBits = 8;
  if (raw.semanticBits !== undefined) {
    if (raw.semanticBits === 8 || raw.semanticBits === 16) semanticBits = raw.semanticBits;
    else problems.push(`semanticBits must be 8 or 16 (16: class ids above 254, stored as 16-bit grayscale PNGs), not ${JSON.stringify(raw.semanticBits)}`);
  }
  const maxValue = maxSemanticValue(semanticBits);
  const ignoreIndex = int(raw.ignoreIndex, 'ignoreIndex', 0, maxValue, defaultIgnoreIndex(semanticBits));
  const backgroundId = int(raw.backgroundId, 'backgroundId', 0, maxValue, d.backgroundId);
  let classes: ClassDef[] = [...d.classes];
  if (raw.classes !== undefined) {
    if (!Array.isArray(raw.classes)) problems.push('classes must be an array');
    else {
      classes = [];
      const seen = new Set<number>();
      raw.classes.forEach((c: unknown, i: number) => {
        const at = `classes[${i}]`;
        if (!isObj(c)) { problems.push(`${at} must be an object`); return; }
        const id = c.id;
        if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > maxValue - 1) {
          const hint = semanticBits === 8 && typeof id === 'number' && Number.isInteger(id) && id > 254 && id < 65535 ? ' (ids above 254 need "semanticBits": 16)' : '';
          problems.push(`${at}.id must be an integer 0..${maxValue - 1}${hint}`);
          return;
        }
        if (seen.has(id)) { problems.push(`${at}.id ${id} is listed twice`); return; }
        if (id === ignoreIndex) { problems.push(`${at}.id ${id} is the ignore index`); return; }
        seen.add(id);
        const name = typeof c.name === 'string' && c.name.trim() ? c.name : `class ${id}`;
        if (c.name !== undefined && typeof c.name !== 'string') problems.push(`${at}.name must be a string`);
        let color = hex(vocColor(id));
        if (c.color !== undefined) {
          if (typeof c.color === 'string' && parseHexColor(c.color)) color = c.color.toLowerCase();
          else problems.push(`${at}.color must be "#rrggbb"`);
        }
        let kind: ClassKind = id === backgroundId ? 'stuff' : 'thing';
        if (c.kind !== undefined) {
          if (c.kind === 'stuff' || c.kind === 'thing') kind = c.kind;
          else problems.push(`${at}.kind must be "stuff" or "thing"`);
        }
        classes.push({ id, name, color, kind });
      });
      classes.sort((a, b) => a.id - b.id);
    }
  }
  let patterns = d.patterns;
  if (raw.patterns !== undefined) {
    if (!isObj(raw.patterns)) problems.push('patterns must be an object');
    else {
      const p: Record<string, string> = { ...d.patterns };
      for (const k of ['mask', 'instances', 'sidecar'] as const) {
        const v = raw.patterns[k];
        if (v === undefined) continue;
        const bad = typeof v === 'string' ? patternProblem(v) : 'must be a string';
        if (bad) problems.push(`patterns.${k} "${String(v)}" ${bad}`);
        else p[k] = v as string;
      }
      if (new Set(Object.values(p)).size !== 3) problems.push('patterns.mask, instances and sidecar must differ');
      patterns = p as unknown as MaskPatterns;
    }
  }
  const models: DatasetModelRef[] = [];
  if (raw.models !== undefined) {
    if (!Array.isArray(raw.models)) problems.push('models must be an array');
    else {
      raw.models.forEach((m: unknown, i: number) => {
        if (typeof m === 'string') models.push({ id: m });
        else if (isObj(m) && typeof m.id === 'string') models.push({ id: m.id, options: isObj(m.options) ? m.options : undefined });
        else problems.push(`models[${i}] must be a model id or { "id", "options" }`);
      });
    }
  }
  if (problems.length) throw new ConfigError(file, problems);
  return { version: 1, semanticBits, classes, ignoreIndex, backgroundId, patterns, models };
}

const IMAGE_EXT = /^\{stem\}\.(png|jpe?g|bmp|webp|tiff?)$/i;

/**
 * Why a mask file-name pattern is unsafe, or null: it must contain {stem}, name a file in the
 * image's own folder (no separators, `:`, `..` or control characters), and must not be the image
 * or a same-stem sibling image ({stem}.png and the like). {name} is not accepted.
 */
export function patternProblem(p: string): string | null {
  if (!p.includes('{stem}')) return 'must contain {stem}';
  if (p.includes('{name}')) return 'must not use {name} (it can resolve to the image itself); use {stem}';
  if (/[\\/:]/.test(p)) return 'must be a plain file name in the image\'s folder (no "/", "\\" or ":")';
  if (p.includes('..')) return 'must not contain ".."';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(p)) return 'must not contain control characters';
  if (p.trim() !== p) return 'must not start or end with a space';
  if (p === '{stem}' || IMAGE_EXT.test(p)) return 'would name the image itself or another image with the same stem';
  return null;
}

/** JSON with sorted keys and 2-space indent, so files diff well in git. */
export function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (isObj(v)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = sort(v[k]);
      return o;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

export function classById(config: DatasetConfig, id: number): ClassDef | undefined {
  return config.classes.find((c) => c.id === id);
}

/** The class a new user paints with: the first listed class that is not background or ignore. */
export function firstPaintClass(config: DatasetConfig): number {
  const c = config.classes.find((k) => k.id !== config.backgroundId && k.id !== config.ignoreIndex);
  return c ? c.id : config.backgroundId === 1 ? 2 : 1;
}
