// The model manifest (models/manifest.json) plus user models (settings, Add model...): entry types,
// validation with errors that name the entry and field, file resolution and sha256 checks.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputSpec } from '../algorithms/models/preprocess';
import { PROMPT_VARIANTS, type PromptVariant } from '../algorithms/models/samVariants';

export type ModelFamily = 'semantic' | 'text' | 'instance' | 'promptable' | 'salient';
export const FAMILIES: readonly ModelFamily[] = ['semantic', 'text', 'instance', 'promptable', 'salient'];

export type FileRef = string | { readonly package: string; readonly path: string };

export interface ModelEntry {
  readonly id: string;
  readonly name?: string;
  readonly family: ModelFamily;
  /** Promptable models: which export's I/O (default 'sam'; 'sam2', 'efficientsam'). */
  readonly variant?: PromptVariant;
  readonly description?: string;
  /** One file; promptable models: { encoder, decoder }. */
  readonly file: FileRef | { readonly encoder: FileRef; readonly decoder: FileRef };
  readonly sha256?: string | { readonly encoder?: string; readonly decoder?: string };
  readonly input: InputSpec & { readonly name?: string; readonly layout?: 'NCHW' };
  readonly outputs?: readonly (string | { readonly name: string })[];
  readonly classes: readonly string[];
  readonly postprocess?: Readonly<Record<string, unknown>>;
  readonly license?: { readonly name: string; readonly file?: string; readonly source?: string };
}

/** An entry with its files resolved to absolute paths and where it came from. */
export interface ResolvedModel {
  readonly entry: ModelEntry;
  readonly origin: 'embedded' | 'user';
  /** Main file (the encoder for promptable models). */
  readonly file: string;
  readonly decoderFile?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where models/manifest.json is, from src/inference (ts-node), out/src/inference (tests) or dist/ (bundles). */
export function manifestPath(): string {
  for (const up of ['..', '../..', '../../..']) {
    const p = path.resolve(__dirname, up, 'models', 'manifest.json');
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`models/manifest.json not found near ${__dirname}`);
}

/** Validates one entry; throws an Error naming the entry and every problem. */
export function validateEntry(raw: unknown, where: string): ModelEntry {
  if (!isObj(raw)) throw new Error(`${where}: a model entry must be an object`);
  const id = typeof raw.id === 'string' && /^[A-Za-z0-9._-]+$/.test(raw.id) ? raw.id : undefined;
  const at = `${where}${id ? ` (model '${id}')` : ''}`;
  const problems: string[] = [];
  if (!id) problems.push('id must be letters, digits, ".", "_" or "-"');
  if (!FAMILIES.includes(raw.family as ModelFamily)) problems.push(`family must be one of ${FAMILIES.join(', ')}`);
  const fileOk = (f: unknown): boolean => (typeof f === 'string' && f.length > 0) || (isObj(f) && typeof f.package === 'string' && typeof f.path === 'string');
  if (raw.family === 'promptable') {
    if (!isObj(raw.file) || !fileOk(raw.file.encoder) || !fileOk(raw.file.decoder)) problems.push('file must be { "encoder": ..., "decoder": ... } for a promptable model');
    if (raw.variant !== undefined && !PROMPT_VARIANTS.includes(raw.variant as PromptVariant)) problems.push(`variant must be one of ${PROMPT_VARIANTS.join(', ')}`);
  } else if (!fileOk(raw.file)) problems.push('file must be a path or { "package", "path" }');
  if (raw.family !== 'promptable' && raw.variant !== undefined) problems.push('variant is only for promptable models');
  if (!isObj(raw.input)) problems.push('input must be an object (resize, size, mean, std, ...)');
  else {
    const i = raw.input;
    if (!['stretch', 'letterbox', 'longest-side', 'multiple-of'].includes(i.resize as string)) problems.push('input.resize must be stretch, letterbox, longest-side or multiple-of');
    if (i.resize !== 'multiple-of' && !(Array.isArray(i.size) && i.size.length === 2 && i.size.every((v) => Number.isInteger(v) && v > 0))) problems.push('input.size must be [width, height]');
    for (const k of ['mean', 'std'] as const) {
      if (i[k] !== undefined && !(Array.isArray(i[k]) && (i[k] as unknown[]).length === 3 && (i[k] as unknown[]).every((v) => typeof v === 'number'))) problems.push(`input.${k} must be 3 numbers`);
    }
    if (i.channelOrder !== undefined && i.channelOrder !== 'RGB' && i.channelOrder !== 'BGR') problems.push('input.channelOrder must be RGB or BGR');
    if (i.layout !== undefined && i.layout !== 'NCHW') problems.push('input.layout must be NCHW (the only layout supported)');
  }
  if (raw.family !== 'promptable' && !(Array.isArray(raw.classes) && raw.classes.length > 0 && raw.classes.every((c) => typeof c === 'string'))) {
    problems.push('classes must list the model class names in output order');
  }
  if (raw.sha256 !== undefined && !(typeof raw.sha256 === 'string' && /^[0-9a-f]{64}$/.test(raw.sha256)) && !isObj(raw.sha256)) problems.push('sha256 must be 64 lowercase hex digits');
  if (problems.length) throw new Error(`${at}: ${problems.join('; ')}`);
  return { ...(raw as unknown as ModelEntry), classes: (raw.classes as string[] | undefined) ?? ['object'] };
}

function resolveRef(ref: FileRef, baseDir: string): string {
  if (typeof ref === 'string') return path.resolve(baseDir, ref);
  // Packages may restrict subpath exports; resolve the package's folder from any resolvable entry.
  let dir: string | undefined;
  for (const probe of [`${ref.package}/package.json`, `${ref.package}/node`, ref.package]) {
    try { dir = packageRoot(require.resolve(probe), ref.package); break; } catch { /* next */ }
  }
  if (!dir) throw new Error(`model package '${ref.package}' is not installed (run npm install)`);
  return path.join(dir, ref.path);
}

function packageRoot(resolved: string, name: string): string {
  const marker = path.join('node_modules', ...name.split('/'));
  const i = resolved.lastIndexOf(marker);
  if (i < 0) return path.dirname(resolved);
  return resolved.slice(0, i + marker.length);
}

/** Resolves an entry's files against `baseDir` (the manifest's folder or the workspace folder). */
export function resolveEntry(entry: ModelEntry, baseDir: string, origin: ResolvedModel['origin']): ResolvedModel {
  const f = entry.file;
  if (entry.family === 'promptable' && isObj(f) && 'encoder' in f) {
    return { entry, origin, file: resolveRef(f.encoder, baseDir), decoderFile: resolveRef(f.decoder, baseDir) };
  }
  return { entry, origin, file: resolveRef(f as FileRef, baseDir) };
}

export function loadManifest(file = manifestPath()): ResolvedModel[] {
  let raw: unknown;
  try { raw = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { throw new Error(`${file}: ${(e as Error).message}`); }
  if (!isObj(raw) || !Array.isArray(raw.models)) throw new Error(`${file}: expected { "models": [...] }`);
  return raw.models.map((m, i) => resolveEntry(validateEntry(m, `${path.basename(file)} models[${i}]`), path.dirname(file), 'embedded'));
}

/**
 * All models: the manifest's, then user entries (settings; files relative to `userBaseDir`). User
 * entries from an untrusted workspace are refused: pass trusted=false and they are reported, not loaded.
 */
export function allModels(user: readonly unknown[] = [], userBaseDir = process.cwd(), trusted = true): { models: ResolvedModel[]; problems: string[] } {
  const models = loadManifest();
  const problems: string[] = [];
  if (user.length && !trusted) problems.push(`${user.length} user model(s) ignored: the workspace is not trusted`);
  else user.forEach((u, i) => {
    try {
      const r = resolveEntry(validateEntry(u, `maskwright.models[${i}]`), userBaseDir, 'user');
      if (models.some((m) => m.entry.id === r.entry.id)) problems.push(`maskwright.models[${i}]: id '${r.entry.id}' is already used`);
      else models.push(r);
    } catch (e) { problems.push((e as Error).message); }
  });
  return { models, problems };
}

export function findModel(models: readonly ResolvedModel[], id: string): ResolvedModel {
  const m = models.find((x) => x.entry.id === id);
  if (!m) throw new Error(`model '${id}' is unknown; known: ${models.map((x) => x.entry.id).join(', ') || '(none)'}`);
  return m;
}

export async function sha256Of(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Checks the file exists, is not empty, and matches the entry's sha256 when one is given. */
export async function checkModelFile(file: string, expected: string | undefined, what: string): Promise<void> {
  let st: fs.Stats;
  try { st = await fs.promises.stat(file); } catch { throw new Error(`${what}: model file ${file} does not exist`); }
  if (!st.isFile() || st.size === 0) throw new Error(`${what}: model file ${file} is empty or not a file`);
  if (expected) {
    const got = await sha256Of(file);
    if (got !== expected) throw new Error(`${what}: ${file} has sha256 ${got}, the entry expects ${expected} (truncated or a different file)`);
  }
}
