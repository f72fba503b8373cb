// Shared pieces of the export and import jobs: formats, summaries, output files.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic';

export const EXPORT_FORMATS = ['coco', 'coco-panoptic', 'voc', 'cityscapes', 'yolo-seg', 'labelme', 'gray8'] as const;
export type ExportFormat = typeof EXPORT_FORMATS[number];

export const IMPORT_FORMATS = ['coco', 'coco-panoptic', 'voc', 'cityscapes', 'yolo-seg', 'labelme', 'gray8', 'label-studio'] as const;
export type ImportFormat = typeof IMPORT_FORMATS[number];

export interface JobItem {
  /** The image (absolute path), or what the source calls it when no image was found. */
  readonly image: string;
  readonly status: 'done' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly annotations?: number;
  readonly warnings?: readonly string[];
}

export interface JobProgress {
  readonly total: number;
  readonly finished: number;
  readonly current?: string;
}

export interface JobSummary {
  readonly format: string;
  /** Images done (exported or imported). */
  images: number;
  /** Objects written (export) or imported (import). */
  annotations: number;
  skipped: number;
  failed: number;
  cancelled: boolean;
  /** Files written (absolute paths). */
  files: string[];
  /** Format-specific figures (e.g. rleForHoles, bridged, maskShapes). */
  counts: Record<string, number>;
  /** Problems not tied to one image (a bad category, an annotation of an unknown image). */
  errors: string[];
  /** Other results (import: the category -> class map, the config file). */
  details: Record<string, unknown>;
  items: JobItem[];
}

export function newSummary(format: string): JobSummary {
  return { format, images: 0, annotations: 0, skipped: 0, failed: 0, cancelled: false, files: [], counts: {}, errors: [], details: {}, items: [] };
}

export function bump(s: JobSummary, key: string, by = 1): void {
  if (by) s.counts[key] = (s.counts[key] ?? 0) + by;
}

export function record(s: JobSummary, item: JobItem): void {
  s.items.push(item);
  if (item.status === 'done') s.images++;
  else if (item.status === 'skipped') s.skipped++;
  else s.failed++;
}

/** Forward-slash relative path (for names written into dataset files). */
export function posixRelative(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}

/** Writes a file atomically, creating its folder; records it in the summary. */
export async function writeOut(s: JobSummary, file: string, data: Uint8Array | string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, data);
  s.files.push(file);
}

/** Hard-links `src` to `dst` (a copy where links are not possible); replaces `dst`. */
export async function linkOrCopy(s: JobSummary, src: string, dst: string): Promise<void> {
  await fsp.mkdir(path.dirname(dst), { recursive: true });
  if (path.resolve(src) === path.resolve(dst)) return;
  await fsp.rm(dst, { force: true });
  try { await fsp.link(src, dst); } catch { await fsp.copyFile(src, dst); }
  s.files.push(dst);
}

/** The deepest folder containing every path (folders as given; files by their folder). */
export async function commonRoot(inputs: readonly string[]): Promise<string> {
  const dirs: string[] = [];
  for (const p of inputs) {
    const abs = path.resolve(p);
    let isDir = false;
    try { isDir = (await fsp.stat(abs)).isDirectory(); } catch { isDir = false; }
    dirs.push(isDir ? abs : path.dirname(abs));
  }
  let root = dirs[0] ?? process.cwd();
  for (const d of dirs.slice(1)) {
    while (root !== path.dirname(root) && path.relative(root, d).startsWith('..')) root = path.dirname(root);
  }
  return root;
}

/** Lines for a human: the first summary line and the failures. */
export function formatJob(verb: string, s: JobSummary): string[] {
  const extra = Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [`${verb} ${s.images} image(s), ${s.annotations} annotation(s); ${s.skipped} skipped, ${s.failed} failed${s.cancelled ? ' (cancelled)' : ''}${extra ? `; ${extra}` : ''}`];
  for (const e of s.errors) lines.push(`  error: ${e}`);
  for (const it of s.items) {
    if (it.status === 'failed') lines.push(`  failed ${it.image}: ${it.reason}`);
    else if (it.status === 'skipped') lines.push(`  skipped ${it.image}: ${it.reason}`);
  }
  return lines;
}

/** The summary as the CLI's --json object. */
export function summaryJson(s: JobSummary): Record<string, unknown> {
  return {
    format: s.format, images: s.images, annotations: s.annotations, skipped: s.skipped, failed: s.failed,
    cancelled: s.cancelled, ...s.counts, ...s.details, files: s.files, errors: s.errors,
    items: s.items.map((i) => ({ image: i.image, status: i.status, ...(i.reason ? { reason: i.reason } : {}), ...(i.annotations !== undefined ? { annotations: i.annotations } : {}), ...(i.warnings?.length ? { warnings: i.warnings } : {}) })),
  };
}
