// The wire protocol between the extension host and the editor webview.
// One discriminated union per direction; requests carry an id and get exactly one `reply`.
// Binary data travels as typed arrays (structured clone), never as number arrays.
import type { ClassDef } from './config';
import type { InstanceInfo, Layer, MaskEdit, MetaChange, Patch, SemanticIds } from './maskModel';

/** How the webview gets the image pixels: a resource URL it can decode, or RGBA bytes from the host. */
export type ImageSource =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'rgba'; readonly data: Uint8Array };

export interface ViewConfig {
  /** 16: the semantic map is a Uint16Array (class ids up to 65534); 8: a Uint8Array. */
  readonly semanticBits: 8 | 16;
  readonly classes: readonly ClassDef[];
  readonly ignoreIndex: number;
  readonly backgroundId: number;
}

/** Editor UI state kept across images of a folder (tool, class, view). */
export interface UiState {
  readonly tool: string;
  readonly classId: number;
  readonly brushSize: number;
  /** 'all': paint over everything; 'unlabelled': only pixels that are background. */
  readonly paintMode: 'all' | 'unlabelled';
  readonly instanceMode: boolean;
  readonly opacity: number;
  readonly showSemantic: boolean;
  readonly showInstances: boolean;
}

/**
 * Label maps on the wire: raw typed arrays, or (packed: 'deflate') zlib streams of the semantic ids
 * (bytes, or little-endian 16-bit ids when semanticBits is 16) and of the little-endian 16-bit
 * instance ids, which the webview inflates with DecompressionStream. Packing turns 48 MB of a
 * 4096^2 image's maps into kilobytes, which matters over a remote connection.
 */
export type WireMaps =
  | { readonly packed?: undefined; readonly semantic: SemanticIds; readonly instances: Uint16Array }
  | { readonly packed: 'deflate'; readonly semanticBits: 8 | 16; readonly semantic: Uint8Array; readonly instances: Uint8Array };

/** Patches of at least this many pixels travel from the webview to the host deflated (PackedPatch). */
export const PACK_PATCH_PIXELS = 1 << 16;

/**
 * A large patch on its way from the webview to the host: its before and after values one after the
 * other (bytes, or little-endian 16-bit ids when bits is 16), as one zlib stream. The host inflates
 * it, bounded by the size w, h and bits promise, into a Patch before any other check
 * (src/editor/wire.ts); a whole-image fill at 4096^2 is then kilobytes instead of 33 MB.
 */
export interface PackedPatch {
  readonly layer: Layer;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly packed: 'deflate';
  readonly bits: 8 | 16;
  readonly data: Uint8Array;
}

/** An edit as the webview posts it: small patches as they are, large ones packed. */
export interface WireEdit {
  readonly label: string;
  readonly patches: readonly (Patch | PackedPatch)[];
  readonly meta?: readonly MetaChange[];
}

export type InitMessage = WireMaps & {
  readonly type: 'init';
  readonly fileName: string;
  readonly width: number;
  readonly height: number;
  readonly image: ImageSource;
  readonly instanceInfo: readonly InstanceInfo[];
  readonly config: ViewConfig;
  /** 0-based position of the image in its folder and the folder's image count. */
  readonly position: { readonly index: number; readonly total: number };
  /** Problems found while loading that did not stop the editor (shown as a banner). */
  readonly warnings: readonly string[];
  /** Information that is not a problem (e.g. the EXIF rule for this image), shown as a notice. */
  readonly notes?: readonly string[];
  readonly readonly: boolean;
  /** The last UI state used in any mask editor, so the next image keeps tool, class and view. */
  readonly uiState?: UiState;
  /** The promptable model the Segment anything tool would use; null: none is set (said at once). */
  readonly promptModel?: string | null;
  /** The README's section on models, on the extension's web page. */
  readonly helpUrl?: string;
};

export type HostToWebview =
  | InitMessage
  /** An edit made elsewhere (another panel, a command, undo/redo): apply forwards or backwards. */
  | { readonly type: 'edit'; readonly edit: MaskEdit; readonly direction: 'forward' | 'backward' }
  /** Whole maps replaced (revert, reload after an external change). */
  | (WireMaps & { readonly type: 'reset'; readonly instanceInfo: readonly InstanceInfo[] })
  | { readonly type: 'config'; readonly config: ViewConfig }
  | { readonly type: 'error'; readonly message: string }
  /** A preview overlay (e.g. a tool result before commit); null clears it. */
  | { readonly type: 'preview'; readonly mask: Uint8Array | null }
  | { readonly type: 'reply'; readonly id: number; readonly ok: boolean; readonly error?: string; readonly result?: unknown }
  /** A comparison to show as a change layer (another version, a model's prediction); null clears it. */
  | { readonly type: 'compare'; readonly compare: WireCompareLayer | null };

/** One class's row of a comparison table: pixels in the other version and in these masks. */
export interface CompareRow {
  readonly id: number;
  readonly before: number;
  readonly after: number;
  readonly intersection: number;
  readonly iou: number;
  readonly dice?: number;
}

/** What the editor's change layer shows: the other version's semantic map and the per-class table. */
export interface CompareLayer {
  /** e.g. "HEAD (a1b2c3d)", "model:pp-ocrv4-det", a file name. */
  readonly title: string;
  /** What the other version is called in the toggle ("HEAD", "model") and what these masks are ("saved", "yours"). */
  readonly beforeLabel: string;
  readonly afterLabel: string;
  /** The other version's class ids, width * height values (the dataset's 8- or 16-bit type). */
  readonly before: SemanticIds;
  readonly changedPixels: number;
  readonly rows: readonly CompareRow[];
  /** A line under the title (instances added/removed/changed, mean IoU). */
  readonly summary: string;
  /** Show the other version first (a Source Control diff's left side). */
  readonly showBefore?: boolean;
}

/** Class ids deflated (zlib, level 1) for the trip to the webview; 16-bit ids little-endian. */
export interface PackedIds {
  readonly packed: 'deflate';
  readonly bits: 8 | 16;
  readonly data: Uint8Array;
}

/** A comparison as it is posted to the webview: the other version's map deflated (16 MB raw at 4096^2). */
export type WireCompareLayer = Omit<CompareLayer, 'before'> & { readonly before: PackedIds };

/** Commands the webview may ask the host to run; nothing else is executed on its behalf. */
export const WEBVIEW_COMMANDS = ['save', 'prelabel', 'splitInstances', 'nextImage', 'previousImage', 'openConfig', 'openDefault', 'addModel'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** A promptable-model (SAM-family) prompt in image pixel coordinates (x right, y down). */
export interface SamPromptPoint { readonly x: number; readonly y: number; readonly label: 0 | 1 }
export interface SamPromptBox { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }
export interface SamPromptRequest { readonly points: readonly SamPromptPoint[]; readonly box?: SamPromptBox }
/** Most points one prompt may carry (SAM decoders take a handful; more is a runaway client). */
export const MAX_SAM_POINTS = 64;

/** The reply's result to 'samPrompt': the chosen mask cropped to its bounding rect (w = h = 0 when empty). */
export interface SamPromptResult {
  readonly rect: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  /** 1 inside, 0 outside; rect.w * rect.h values. */
  readonly mask: Uint8Array;
  /** The model's predicted IoU of the mask. */
  readonly score: number;
  readonly modelId: string;
}

export type WebviewToHost =
  | { readonly type: 'ready' }
  /** Run the promptable model on this image; the reply carries a SamPromptResult. */
  | { readonly type: 'samPrompt'; readonly id: number; readonly prompt: SamPromptRequest }
  | { readonly type: 'edit'; readonly id: number; readonly edit: MaskEdit }
  /**
   * Posted at once when an edit is made that leaves later (its large patches are being deflated, or
   * it waits behind one that is): a save waits for the edit. 'editDropped': it will not come.
   */
  | { readonly type: 'editComing' | 'editDropped'; readonly id: number }
  | { readonly type: 'command'; readonly id: number; readonly command: WebviewCommand }
  /** The webview could not decode the image from its URL: ask for RGBA bytes. */
  | { readonly type: 'requestPixels'; readonly id: number }
  | { readonly type: 'perf'; readonly name: string; readonly ms: number }
  | { readonly type: 'uiState'; readonly state: UiState }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

/** What the webview actually posts: an edit's large patches may be packed (the host unpacks them first). */
export type WebviewToHostWire = Exclude<WebviewToHost, { type: 'edit' }> | { readonly type: 'edit'; readonly id: number; readonly edit: WireEdit };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isInt = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const MAX_LABEL = 200;

function parseInstanceInfo(v: unknown): InstanceInfo | null | undefined {
  if (v === null) return null;
  if (!isObj(v) || !isInt(v.id, 1, 65535) || !isInt(v.class, 0, 65535) || typeof v.source !== 'string' || v.source.length > MAX_LABEL) return undefined;
  if (v.score !== undefined && (typeof v.score !== 'number' || !Number.isFinite(v.score))) return undefined;
  return { id: v.id, class: v.class, source: v.source, ...(v.score !== undefined ? { score: v.score as number } : {}) };
}

function parsePatch(v: unknown): Patch | null {
  if (!isObj(v)) return null;
  const layer = v.layer as Layer;
  if (layer !== 'semantic' && layer !== 'instances') return null;
  // Semantic patches are 8- or 16-bit (the document checks that they match its maps); instances 16-bit.
  const Ctor = layer === 'semantic' && v.before instanceof Uint8Array ? Uint8Array : Uint16Array;
  if (![v.x, v.y, v.w, v.h].every((n) => isInt(n, 0, 1 << 16))) return null;
  const n = (v.w as number) * (v.h as number);
  if (!(v.before instanceof Ctor) || !(v.after instanceof Ctor) || v.before.length !== n || v.after.length !== n) return null;
  return { layer, x: v.x as number, y: v.y as number, w: v.w as number, h: v.h as number, before: v.before, after: v.after };
}

export function parseUiState(v: unknown): UiState | null {
  if (!isObj(v) || typeof v.tool !== 'string' || v.tool.length > 40 || !isInt(v.classId, 0, 65535) || !isInt(v.brushSize, 1, 1024)) return null;
  if ((v.paintMode !== 'all' && v.paintMode !== 'unlabelled') || typeof v.instanceMode !== 'boolean') return null;
  if (typeof v.opacity !== 'number' || !(v.opacity >= 0 && v.opacity <= 1)) return null;
  if (typeof v.showSemantic !== 'boolean' || typeof v.showInstances !== 'boolean') return null;
  return { tool: v.tool, classId: v.classId, brushSize: v.brushSize, paintMode: v.paintMode, instanceMode: v.instanceMode, opacity: v.opacity, showSemantic: v.showSemantic, showInstances: v.showInstances };
}

const isCoord = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1 << 16;

/** Structural check of a SAM prompt (image bounds are checked by the host). Null when malformed. */
export function parseSamPrompt(v: unknown): SamPromptRequest | null {
  if (!isObj(v) || !Array.isArray(v.points) || v.points.length > MAX_SAM_POINTS) return null;
  const points: SamPromptPoint[] = [];
  for (const p of v.points) {
    if (!isObj(p) || !isCoord(p.x) || !isCoord(p.y) || (p.label !== 0 && p.label !== 1)) return null;
    points.push({ x: p.x, y: p.y, label: p.label });
  }
  let box: SamPromptBox | undefined;
  if (v.box !== undefined) {
    const b = v.box;
    if (!isObj(b) || !isCoord(b.x0) || !isCoord(b.y0) || !isCoord(b.x1) || !isCoord(b.y1) || b.x0 === b.x1 || b.y0 === b.y1) return null;
    box = { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 };
  }
  if (points.length === 0 && !box) return null;
  return { points, ...(box ? { box } : {}) };
}

/** Structural check of an edit (image bounds are checked by the document). Null when malformed. */
export function parseEdit(v: unknown): MaskEdit | null {
  if (!isObj(v) || typeof v.label !== 'string' || v.label.length > MAX_LABEL || !Array.isArray(v.patches) || v.patches.length === 0 || v.patches.length > 4096) return null;
  const patches: Patch[] = [];
  for (const p of v.patches) {
    const q = parsePatch(p);
    if (!q) return null;
    patches.push(q);
  }
  let meta: MetaChange[] | undefined;
  if (v.meta !== undefined) {
    if (!Array.isArray(v.meta) || v.meta.length > 65535) return null;
    meta = [];
    for (const m of v.meta) {
      if (!isObj(m) || !isInt(m.id, 1, 65535)) return null;
      const before = parseInstanceInfo(m.before), after = parseInstanceInfo(m.after);
      if (before === undefined || after === undefined) return null;
      meta.push({ id: m.id, before, after });
    }
  }
  return { label: v.label, patches, ...(meta ? { meta } : {}) };
}

/** Validates a message from the webview; returns null for anything that is not exactly a protocol message. */
export function parseWebviewMessage(v: unknown): WebviewToHost | null {
  if (!isObj(v) || typeof v.type !== 'string') return null;
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'edit': {
      const edit = parseEdit(v.edit);
      return isId(v.id) && edit ? { type: 'edit', id: v.id, edit } : null;
    }
    case 'command':
      return isId(v.id) && (WEBVIEW_COMMANDS as readonly unknown[]).includes(v.command)
        ? { type: 'command', id: v.id, command: v.command as WebviewCommand } : null;
    case 'samPrompt': {
      const prompt = parseSamPrompt(v.prompt);
      return isId(v.id) && prompt ? { type: 'samPrompt', id: v.id, prompt } : null;
    }
    case 'requestPixels':
      return isId(v.id) ? { type: 'requestPixels', id: v.id } : null;
    case 'editComing':
    case 'editDropped':
      return isId(v.id) ? { type: v.type, id: v.id } : null;
    case 'perf':
      return typeof v.name === 'string' && v.name.length <= MAX_LABEL && typeof v.ms === 'number' && Number.isFinite(v.ms)
        ? { type: 'perf', name: v.name, ms: v.ms } : null;
    case 'uiState': {
      const st = parseUiState(v.state);
      return st ? { type: 'uiState', state: st } : null;
    }
    case 'log':
      return (v.level === 'info' || v.level === 'warn' || v.level === 'error') && typeof v.message === 'string'
        ? { type: 'log', level: v.level, message: v.message.slice(0, 2000) } : null;
    default:
      return null;
  }
}

/** Compile-time exhaustiveness check for switches over message unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
