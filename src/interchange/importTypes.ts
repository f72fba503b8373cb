// What each import source (importCoco.ts, importLabelme.ts, importDense.ts) gives the import driver.
import type { DatasetConfig } from '../shared/config';
import type { SourceCategory } from '../formats/categories';
import type { DenseSegment, PlacedObject } from '../formats/compose';
import type { ImageIndex } from './imageIndex';

/** Category keys with a fixed meaning in every source. */
export const IGNORE_KEY = '\u0000ignore';
export const BACKGROUND_KEY = '\u0000background';

export interface LoadContext {
  readonly width: number;
  readonly height: number;
  readonly config: DatasetConfig;
  /** Class id of a source category key (IGNORE_KEY and BACKGROUND_KEY included); undefined when unmapped. */
  classOf(key: string): number | undefined;
  /** Whether a class is a region class (kind "stuff"), whose objects get no instance. */
  isStuff(classId: number): boolean;
}

export type Loaded =
  | { readonly kind: 'objects'; readonly objects: PlacedObject[]; readonly errors: string[]; readonly warnings?: string[] }
  | { readonly kind: 'dense'; readonly classes: Int32Array; readonly keys: Uint32Array | null; readonly segments: Map<number, DenseSegment>; readonly errors: string[]; readonly warnings?: string[] };

export interface SourceItem {
  /** How the source names the image (file_name, label file, task), for messages. */
  readonly ref: string;
  /** The image found under --images, or an error saying why none was. */
  readonly image: { image: string } | { error: string };
  /** Size the source claims, checked against the image. */
  readonly expected?: { readonly width: number; readonly height: number };
  /** Problems found while reading the source; the item fails with them. */
  readonly errors: readonly string[];
  /** Number of objects the source has for this image. */
  readonly annotations: number;
  load(ctx: LoadContext): Promise<Loaded>;
}

export interface Source {
  readonly categories: SourceCategory[];
  readonly items: SourceItem[];
  /** Problems not tied to one image. */
  readonly errors: string[];
}

export interface SourceOptions {
  /** The SRC argument (file or folder). */
  readonly src: string;
  readonly images: ImageIndex;
  readonly config: DatasetConfig;
}

/** Role of an object of class `classId`: a region for stuff classes and class regions, else an instance. */
export function roleOf(ctx: LoadContext, classId: number, regionHint: boolean): 'instance' | 'region' {
  return regionHint || classId === ctx.config.backgroundId || ctx.isStuff(classId) ? 'region' : 'instance';
}
