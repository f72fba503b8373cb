// What the export driver hands each format writer.
import type { DatasetConfig } from '../shared/config';
import type { InstanceInfo, LabelMaps } from '../shared/maskModel';
import type { JobSummary } from './common';

export interface ExportImage {
  /** Absolute image path. */
  readonly file: string;
  /** Path relative to the dataset root, with forward slashes. */
  readonly rel: string;
  /** File name without extension (unique within the export). */
  readonly stem: string;
  /** Split name, or null without --split. */
  readonly split: string | null;
  readonly maps: LabelMaps;
  readonly info: readonly InstanceInfo[];
}

export interface ExportContext {
  readonly out: string;
  /** Dataset root: COCO file_name and other relative names start here. */
  readonly root: string;
  readonly config: DatasetConfig;
  /** Split names in --split order, or null. */
  readonly splits: readonly string[] | null;
  readonly polygons: boolean;
  readonly summary: JobSummary;
}

export interface ExportWriter {
  /** Writes (or collects) one image; returns the number of objects exported. */
  add(img: ExportImage): Promise<number>;
  /** Writes what spans images (COCO JSON, image lists, data.yaml). Not called after a cancel. */
  finish(): Promise<void>;
}

/** Class regions of an image: pixels of a class (not background, not ignore) without an instance, as label class+1 (0 = none). */
export function regionLabels(maps: LabelMaps, config: DatasetConfig): Uint16Array {
  const { semantic, instances } = maps;
  const out = new Uint16Array(semantic.length);
  for (let i = 0; i < out.length; i++) {
    const s = semantic[i];
    if (instances[i] === 0 && s !== config.backgroundId && s !== config.ignoreIndex) out[i] = s + 1;
  }
  return out;
}

/**
 * The class of each instance: the sidecar's, else the most common class at its pixels (the maps
 * are scanned only when an instance of `present`, default all, has no sidecar entry).
 */
export function instanceClasses(img: ExportImage, present?: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const i of img.info) out.set(i.id, i.class);
  if (present && [...present].every((id) => out.has(id))) return out;
  const { semantic, instances } = img.maps;
  const missing = new Map<number, Map<number, number>>();
  for (let i = 0; i < instances.length; i++) {
    const id = instances[i];
    if (id === 0 || out.has(id)) continue;
    let m = missing.get(id);
    if (!m) { m = new Map(); missing.set(id, m); }
    m.set(semantic[i], (m.get(semantic[i]) ?? 0) + 1);
  }
  for (const [id, m] of missing) out.set(id, [...m.entries()].sort((a, b) => b[1] - a[1])[0][0]);
  return out;
}

/** Whether the semantic map has ignore pixels. */
export function ignoreMask(maps: LabelMaps, ignoreIndex: number): Uint8Array | null {
  let any = false;
  const m = new Uint8Array(maps.semantic.length);
  for (let i = 0; i < m.length; i++) if (maps.semantic[i] === ignoreIndex) { m[i] = 1; any = true; }
  return any ? m : null;
}
