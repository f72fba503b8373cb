// One image's mask set (semantic PNG, instance PNG, sidecar) written as a unit, and checked as one.
//
// Write protocol, under the image's advisory lock (lock.ts):
//   1. every file is encoded with a fresh generation id (PNG tEXt `maskwright-generation`, sidecar
//      `generation`, with the sha256 of each PNG) and written to a temp file beside its target, fsynced;
//   2. a journal `.MASK.journal` lists the temp -> target renames (written atomically);
//   3. the renames run (instance map, semantic mask, sidecar last), then the journal is removed.
// A crash before 2 leaves the old set and stray temps (swept on the next write or open); a crash
// after 2 is rolled forward from the journal (recoverMaskSet). So after recovery a reader sees the
// old set or the new set, never a mix, and can verify it: the sidecar's generation equals each
// PNG's tEXt generation and the PNGs' sha256.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readTextChunksBeforeData } from '../algorithms/codecs/pngChunks';
import { paletteOf, type DatasetConfig } from '../shared/config';
import type { InstanceInfo, LabelMaps } from '../shared/maskModel';
import { checkSize } from '../shared/maskModel';
import { GENERATION_KEY, parseSidecar, serializeSidecar, type EditedInfo, type PrelabelInfo, type Sidecar, type Stamp } from '../shared/sidecar';
import { describeWriteError, isTempOf, syncDir, writeFileAtomic, writeTemp, WriteError } from './atomic';
import { encodeGray16PngAsync, encodeIndexedPngAsync } from './labelPng';
import { withLock, type LockOptions } from './lock';
import { decodeMasks, maskFilesFor, readMaskBytes, type LoadedMasks, type MaskBytes, type MaskFiles } from './masks';
import { assertSafeTargets } from './safeTargets';
import { trashFiles } from './trash';

export interface SetMeta {
  /** The automatic writer of the current draft (kept across human saves). */
  readonly prelabel?: PrelabelInfo;
  /** Human work on these masks (set by the editor when a person saved changes). */
  readonly edited?: EditedInfo;
  /** Present when a person has accepted the masks. */
  readonly review?: Stamp;
}

export type Integrity = 'none' | 'ok' | 'legacy' | 'mixed' | 'changed';

/** What is on disk for one image. */
export interface SetState {
  readonly files: MaskFiles;
  readonly exists: { readonly mask: boolean; readonly instances: boolean; readonly sidecar: boolean };
  readonly sidecar: Sidecar | null;
  readonly sidecarError?: string;
  /**
   * none: no mask files; ok: a complete set as Maskwright wrote it; legacy: files without a
   * generation (another tool, a person, or an earlier version); mixed: files of different saves or
   * an interrupted save; changed: a PNG was modified by another program after Maskwright wrote it.
   */
  readonly integrity: Integrity;
  readonly problem?: string;
  /** An interrupted save left its journal (recoverMaskSet completes it). */
  readonly journal: boolean;
}

const journalOf = (f: MaskFiles): string => path.join(path.dirname(f.mask), `.${path.basename(f.mask)}.journal`);
const lockOf = (f: MaskFiles): string => path.join(path.dirname(f.mask), `.${path.basename(f.mask)}.lock`);

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function existsPath(p: string): Promise<boolean> {
  try { await fsp.lstat(p); return true; } catch { return false; }
}

/** Reads the set of `image` without changing anything: which files exist, the sidecar, and whether they belong together. */
export async function inspectSet(image: string, config: DatasetConfig): Promise<SetState> {
  return (await inspectSetBytes(image, config)).state;
}

/** inspectSet and the bytes it checked, for a caller that decodes them too (decodeMasks) without reading the files again. */
export async function inspectSetBytes(image: string, config: DatasetConfig): Promise<{ state: SetState; bytes: MaskBytes }> {
  const files = maskFilesFor(image, config);
  const [bytes, journal] = await Promise.all([readMaskBytes(files), existsPath(journalOf(files))]);
  return { state: stateOf(files, bytes, journal), bytes };
}

/**
 * The masks of `image` and the state of its set from one read of each file (opening an editor):
 * the maps decoded are the files that were checked. Throws MaskLoadError as readMasks does.
 */
export async function readMaskSet(image: string, width: number, height: number, config: DatasetConfig): Promise<{ loaded: LoadedMasks; state: SetState }> {
  checkSize(width, height);
  const { state, bytes } = await inspectSetBytes(image, config);
  return { loaded: decodeMasks(state.files, bytes, width, height, config), state };
}

function stateOf(files: MaskFiles, bytes: MaskBytes, journal: boolean): SetState {
  const { mask, instances: inst, sidecar: side } = bytes;
  const exists = { mask: mask !== null, instances: inst !== null, sidecar: side !== null };
  let sidecar: Sidecar | null = null;
  let sidecarError: string | undefined;
  if (side) {
    try { sidecar = parseSidecar(new TextDecoder().decode(side), files.sidecar); } catch (e) { sidecarError = (e as Error).message; }
  }
  const base = { files, exists, sidecar, ...(sidecarError ? { sidecarError } : {}), journal };
  if (journal) return { ...base, integrity: 'mixed', problem: `an interrupted save left ${path.basename(journalOf(files))}` };
  if (!mask && !inst && !side) return { ...base, integrity: 'none' };
  if (!sidecar?.generation) return { ...base, integrity: 'legacy' };
  const gen = sidecar.generation;
  const pngs: Array<[string, Uint8Array | null]> = [[files.mask, mask], [files.instances, inst]];
  for (const [file, png] of pngs) {
    const name = path.basename(file);
    const want = sidecar.files?.[name];
    if (!png) {
      if (want) return { ...base, integrity: 'mixed', problem: `${name} is missing from save ${gen}` };
      continue;
    }
    const theirs = readTextChunksBeforeData(png)?.get(GENERATION_KEY);
    if (theirs && theirs !== gen) return { ...base, integrity: 'mixed', problem: `${name} is from save ${theirs} but ${path.basename(files.sidecar)} from save ${gen}` };
    if (!want) return { ...base, integrity: 'mixed', problem: `${name} is not part of save ${gen}` };
    if (sha256(png) !== want) return { ...base, integrity: 'changed', problem: `${name} was changed by another program after Maskwright saved it` };
  }
  return { ...base, integrity: 'ok' };
}

/**
 * Completes an interrupted save (journal) and removes stray temp files of this image's masks.
 * Must run under the image's lock. Returns what it did, for the caller to report.
 */
async function recoverLocked(files: MaskFiles): Promise<string[]> {
  const notes: string[] = [];
  const dir = path.dirname(files.mask);
  const journal = journalOf(files);
  const text = await fsp.readFile(journal, 'utf8').catch(() => null);
  if (text !== null) {
    let moves: Array<{ from: string; to: string }> = [];
    let gen = '?';
    try {
      const j = JSON.parse(text) as { generation?: string; moves?: Array<{ from: string; to: string }> };
      gen = String(j.generation ?? '?');
      moves = (j.moves ?? []).filter((m) => typeof m.from === 'string' && typeof m.to === 'string' && !m.from.includes('/') && !m.to.includes('/') && !m.from.includes('\\') && !m.to.includes('\\'));
    } catch { moves = []; }
    const valid = new Set([files.mask, files.instances, files.sidecar].map((f) => path.basename(f)));
    let done = 0;
    for (const m of moves) {
      if (!valid.has(m.to)) continue;
      const from = path.join(dir, m.from);
      if (await existsPath(from)) { await fsp.rename(from, path.join(dir, m.to)); done++; }
    }
    await fsp.unlink(journal);
    await syncDir(dir);
    notes.push(`completed an interrupted save of ${path.basename(files.mask)} (generation ${gen}, ${done} file(s) moved into place)`);
  }
  const bases = [files.mask, files.instances, files.sidecar, journal].map((f) => path.basename(f));
  let swept = 0;
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (bases.some((b) => isTempOf(name, b))) { await fsp.unlink(path.join(dir, name)).catch(() => undefined); swept++; }
  }
  if (swept) notes.push(`removed ${swept} temporary file(s) of an interrupted write of ${path.basename(files.mask)}`);
  return notes;
}

const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Repairs the set of `image` after a crash (rolls an interrupted save forward, sweeps temps),
 * taking the image's lock. In a folder that cannot be written nothing can be repaired: returns a
 * note instead of failing, so a read-only dataset still opens.
 */
export async function recoverMaskSet(image: string, config: DatasetConfig, lock: LockOptions = {}): Promise<string[]> {
  const files = maskFilesFor(image, config);
  try {
    return await withLock(lockOf(files), () => recoverLocked(files), { what: 'recovery', ...lock });
  } catch (e) {
    if (e instanceof WriteError && e.code && READ_ONLY.has(e.code)) {
      return (await existsPath(journalOf(files))) ? [`${path.basename(files.mask)}: an interrupted save cannot be completed in a read-only folder`] : [];
    }
    throw e;
  }
}

export interface WriteSetOptions {
  readonly lock?: LockOptions;
  /**
   * The generation this writer last read or wrote (null: it saw no files). When the files on disk
   * are of another save, they are copied to the trash before being replaced.
   */
  readonly expectGeneration?: string | null;
  /** Copy the current files to the trash before replacing them (reason recorded). */
  readonly trashReason?: string;
  /** Decides, under the lock and after recovery, whether to write; return a reason to skip. */
  readonly guard?: (state: SetState) => { skip: string } | { trash?: string } | undefined;
}

export type WriteSetResult =
  | { readonly status: 'written'; readonly written: string[]; readonly generation: string; readonly trashed?: string; readonly notes: string[] }
  | { readonly status: 'skipped'; readonly reason: string; readonly notes: string[] };

/** Encodes the set's files; the two PNGs are compressed at the same time (libuv's thread pool). */
async function encodeSet(image: string, maps: LabelMaps, instanceInfo: readonly InstanceInfo[], config: DatasetConfig, meta: SetMeta, files: MaskFiles, writeInstances: boolean): Promise<{ generation: string; out: Array<{ file: string; data: Uint8Array | string }> }> {
  const { width, height } = maps;
  const generation = randomBytes(8).toString('hex');
  const text = [[GENERATION_KEY, generation]] as const;
  const [instPng, maskPng] = await Promise.all([
    writeInstances ? encodeGray16PngAsync(width, height, maps.instances, text) : null,
    // 8-bit datasets: indexed PNG with the class palette; 16-bit: grayscale PNG of the ids (FORMATS.md).
    maps.semantic instanceof Uint16Array
      ? encodeGray16PngAsync(width, height, maps.semantic, text)
      : encodeIndexedPngAsync(width, height, maps.semantic, paletteOf(config), text),
  ]);
  const out: Array<{ file: string; data: Uint8Array | string }> = [];
  const hashes: Record<string, string> = {};
  if (instPng) {
    hashes[path.basename(files.instances)] = sha256(instPng);
    out.push({ file: files.instances, data: instPng });
  }
  hashes[path.basename(files.mask)] = sha256(maskPng);
  out.push({ file: files.mask, data: maskPng });
  const side: Sidecar = {
    version: 1,
    image: { file: path.basename(image), width, height },
    instances: [...instanceInfo],
    ...(meta.prelabel ? { prelabel: meta.prelabel } : {}),
    ...(meta.edited ? { edited: meta.edited } : {}),
    reviewed: meta.review !== undefined,
    ...(meta.review ? { review: meta.review } : {}),
    generation,
    files: hashes,
  };
  out.push({ file: files.sidecar, data: serializeSidecar(side) });
  return { generation, out };
}

/**
 * Writes the mask set of `image` as a unit (see the top of this file): the semantic mask (8-bit
 * indexed PNG with the config palette, or 16-bit grayscale in a 16-bit dataset), the instance map (16-bit, when any instance pixel is set
 * or the file exists) and the sidecar (always). Takes the image's lock; `opts.guard` may skip.
 */
export async function writeMaskSet(image: string, maps: LabelMaps, instanceInfo: readonly InstanceInfo[], config: DatasetConfig, meta: SetMeta, opts: WriteSetOptions = {}): Promise<WriteSetResult> {
  const { width, height } = maps;
  checkSize(width, height);
  const SemCtor = config.semanticBits === 16 ? Uint16Array : Uint8Array;
  if (!(maps.semantic instanceof SemCtor) || maps.semantic.length !== width * height) throw new RangeError(`maps.semantic must be a ${SemCtor.name} of ${width * height} values (the dataset's semantic masks are ${config.semanticBits}-bit)`);
  if (!(maps.instances instanceof Uint16Array) || maps.instances.length !== width * height) throw new RangeError(`maps.instances must be a Uint16Array of ${width * height} values`);
  const files = maskFilesFor(image, config);
  await assertSafeTargets(image, files, config);
  const dir = path.dirname(files.mask);
  return withLock(lockOf(files), async () => {
    const notes = await recoverLocked(files);
    const state = await inspectSet(image, config);
    const g = opts.guard?.(state);
    if (g && 'skip' in g) return { status: 'skipped', reason: g.skip, notes };
    let trashReason = g && 'trash' in g ? g.trash : opts.trashReason;
    if (!trashReason && opts.expectGeneration !== undefined && state.integrity !== 'none') {
      const onDisk = state.sidecar?.generation ?? null;
      if (onDisk !== opts.expectGeneration || state.integrity !== 'ok') {
        trashReason = `the files on disk had changed since they were opened (${state.problem ?? `save ${onDisk ?? 'without a generation'}`})`;
      }
    }
    let anyInstance = false;
    for (let i = 0; i < maps.instances.length; i++) if (maps.instances[i] !== 0) { anyInstance = true; break; }
    const { generation, out } = await encodeSet(image, maps, instanceInfo, config, meta, files, anyInstance || state.exists.instances);
    let trashed: string | undefined;
    if (trashReason && state.integrity !== 'none') {
      trashed = await trashFiles(dir, [files.mask, files.instances, files.sidecar], { reason: trashReason, image: path.basename(image) });
    }
    const temps: string[] = [];
    try {
      for (const o of out) temps.push(await writeTemp(o.file, o.data));
      const moves = out.map((o, i) => ({ from: path.basename(temps[i]), to: path.basename(o.file) }));
      await writeFileAtomic(journalOf(files), JSON.stringify({ version: 1, generation, moves }));
    } catch (e) {
      for (const t of temps) await fsp.unlink(t).catch(() => undefined);
      throw describeWriteError(files.mask, e);
    }
    try {
      for (let i = 0; i < out.length; i++) await fsp.rename(temps[i], out[i].file);
      await fsp.unlink(journalOf(files));
    } catch (e) {
      // The journal stays: the next open or write completes the save from it.
      throw describeWriteError(files.mask, e);
    }
    await syncDir(dir);
    return { status: 'written', written: out.map((o) => o.file), generation, ...(trashed ? { trashed } : {}), notes };
  }, { what: opts.lock?.what ?? 'saving masks', waitMs: opts.lock?.waitMs });
}
