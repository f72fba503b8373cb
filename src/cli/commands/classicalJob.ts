// Shared frame of the classical-tool subcommands (threshold, edges, kmeans, watershed, components,
// morph): list images, find each folder's config, check its mask patterns, decode, run the tool,
// merge its result into the saved masks and write them through the automatic-writer rule
// (dataset/protect.ts: never over reviewed or hand-edited masks without --overwrite), and print
// one line or one JSON object per image.
import * as path from 'node:path';
import type { CliIO } from '../command';
import { UsageError } from '../command';
import { decodeImage, type DecodedImage } from '../../io/image';
import { readMasks, type LoadedMasks } from '../../io/masks';
import { findConfig } from '../../dataset/config';
import { writeAutomatic } from '../../dataset/protect';
import { checkTargets, cliConfigBoundary, scanDataset } from '../../dataset/scan';
import { firstPaintClass, maxSemanticValue, type DatasetConfig } from '../../shared/config';
import type { InstanceInfo, SemanticIds } from '../../shared/maskModel';
import { toGray } from '../../algorithms/classical';

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Options every classical subcommand takes. */
export const COMMON_OPTIONS = {
  class: { type: 'string' }, overwrite: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, recursive: { type: 'boolean' }, json: { type: 'boolean' },
} as const;

export const COMMON_HELP = [
  '  --class ID        class written (default: the first class of the config that is not background/ignore)',
  '  --overwrite       also replace reviewed or hand-edited masks (the old files go to .maskwright/trash)',
  '  --dry-run         compute and report what would be written or skipped, write nothing',
  '  --recursive       descend into sub-folders',
  '  --json            one JSON object per image on stdout',
];

export interface ToolInput {
  file: string;
  rgb: DecodedImage;
  gray: { data: Uint8Array; width: number; height: number };
  config: DatasetConfig;
  cls: number;
  /** The saved masks (read lazily; empty maps when none exist). */
  masks(): Promise<LoadedMasks>;
}

export interface ToolOutput {
  /** Figures for the summary (threshold, count, ...). */
  summary: Record<string, unknown>;
  /** New semantic map to save (null: nothing to write). */
  semantic?: SemanticIds | null;
  /** New instance map and metadata (undefined: keep the saved ones). */
  instances?: { map: Uint16Array; info: InstanceInfo[] };
  /** The tool had nothing to work on: write nothing and say why. */
  nothing?: string;
  params: Record<string, unknown>;
}

/** Parses an integer option in [min, max] or throws a UsageError naming it. */
export function intArg(values: Values, name: string, def: number, min: number, max: number): number {
  const v = values[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} ${String(v)} must be an integer ${min}..${max}`);
  return n;
}

/** Parses a number option in [min, max] or throws a UsageError naming it. */
export function numArg(values: Values, name: string, def: number, min: number, max: number): number {
  const v = values[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} ${String(v)} must be a number ${min}..${max}`);
  return n;
}

export function choiceArg<T extends string>(values: Values, name: string, def: T, choices: readonly T[]): T {
  const v = values[name];
  if (v === undefined) return def;
  if (!choices.includes(v as T)) throw new UsageError(`--${name} ${String(v)} must be one of ${choices.join(', ')}`);
  return v as T;
}

export { replaceClass as mergeClass } from '../../algorithms/maskOps';

/** Runs `tool` on every image of the positionals; returns the exit code. */
export async function runClassical(tool: string, values: Values, positionals: string[], io: CliIO,
  fn: (input: ToolInput) => Promise<ToolOutput> | ToolOutput): Promise<number> {
  if (positionals.length === 0) throw new UsageError('give at least one image or folder');
  const boundary = await cliConfigBoundary(positionals);
  const images = await scanDataset(positionals, { recursive: values.recursive === true, stopAt: boundary });
  if (images.length === 0) { io.err('no images found'); return 1; }
  const refused = await checkTargets(images, boundary);
  const configs = new Map<string, DatasetConfig>();
  let failed = 0;
  for (const file of images) {
    if (io.signal.aborted) { io.err('cancelled'); return 130; }
    const rel = path.relative(process.cwd(), file) || file;
    try {
      const dir = path.dirname(file);
      const refusal = refused.get(file);
      if (refusal) throw refusal;
      let config = configs.get(dir);
      if (!config) { config = (await findConfig(dir, { stopAt: boundary(dir) })).config; configs.set(dir, config); }
      const cls = values.class !== undefined ? intArg(values, 'class', 1, 0, maxSemanticValue(config.semanticBits)) : firstPaintClass(config);
      if (cls === config.backgroundId) throw new UsageError(`--class ${cls} is the background class`);
      const rgb = await decodeImage(file, { channels: 3 });
      const gray = { data: toGray(rgb), width: rgb.width, height: rgb.height };
      let loaded: LoadedMasks | null = null;
      const masks = async (): Promise<LoadedMasks> => (loaded ??= await readMasks(file, rgb.width, rgb.height, config!));
      const out = await fn({ file, rgb, gray, config, cls, masks });
      const record: Record<string, unknown> = { image: rel, ...out.summary, written: false };
      if (out.nothing) {
        record.skipped = out.nothing;
      } else if (out.semantic || out.instances) {
        const saved = await masks();
        const semantic = out.semantic ?? saved.maps.semantic;
        const inst = out.instances ?? { map: saved.maps.instances, info: saved.instanceInfo };
        const res = await writeAutomatic(file, { width: rgb.width, height: rgb.height, semantic, instances: inst.map }, inst.info, config, {
          source: `tool:${tool}`, params: out.params, overwrite: values.overwrite === true, dryRun: values['dry-run'] === true,
        });
        if (res.status === 'skipped') record.skipped = res.reason;
        else if (res.status === 'would-write') record.wouldWrite = res.why;
        else {
          record.written = true;
          record.files = res.files.map((f) => path.relative(process.cwd(), f) || f);
          if (res.trashed) record.trashed = res.trashed;
        }
      }
      if (values.json) io.out(JSON.stringify(record));
      else io.out(`${rel}: ${Object.entries(record).filter(([k]) => k !== 'image' && k !== 'files').map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      failed++;
      const msg = (e as Error).message;
      if (values.json) io.out(JSON.stringify({ image: rel, error: msg, written: false }));
      io.err(`${rel}: ${msg}`);
    }
  }
  return failed > 0 ? 1 : 0;
}
