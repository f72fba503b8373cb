// The images under an import's --images folder, found by the names sources use: a relative path
// (COCO file_name, labelme imagePath), a base name (Label Studio uploads) or a stem (VOC,
// Cityscapes, YOLO, gray8 label files).
import * as path from 'node:path';
import { scanDataset } from '../dataset/scan';
import { splitName } from '../shared/paths';

export class ImageIndex {
  private readonly byRel = new Map<string, string>();
  private readonly byName = new Map<string, string[]>();
  private readonly byStem = new Map<string, string[]>();

  private constructor(readonly root: string, images: readonly string[]) {
    for (const f of images) {
      this.byRel.set(path.relative(root, f).split(path.sep).join('/'), f);
      const name = path.basename(f);
      this.byName.set(name.toLowerCase(), [...(this.byName.get(name.toLowerCase()) ?? []), f]);
      const stem = splitName(name).stem.toLowerCase();
      this.byStem.set(stem, [...(this.byStem.get(stem) ?? []), f]);
    }
  }

  static async build(root: string, stopAt?: (dir: string) => string): Promise<ImageIndex> {
    const abs = path.resolve(root);
    return new ImageIndex(abs, await scanDataset([abs], { recursive: true, ...(stopAt ? { stopAt } : {}) }));
  }

  get size(): number { return this.byRel.size; }

  private unique(list: string[] | undefined, what: string): { image: string } | { error: string } | null {
    if (!list || list.length === 0) return null;
    if (list.length > 1) return { error: `${what} matches several images under ${this.root}: ${list.map((f) => path.relative(this.root, f)).join(', ')}` };
    return { image: list[0] };
  }

  /** By relative path first, then by base name (unique). */
  byPath(ref: string): { image: string } | { error: string } {
    const rel = ref.replace(/\\/g, '/').replace(/^\.\//, '');
    const hit = this.byRel.get(rel);
    if (hit) return { image: hit };
    const r = this.unique(this.byName.get(path.posix.basename(rel).toLowerCase()), `"${ref}"`);
    return r ?? { error: `"${ref}" is not an image under ${this.root}` };
  }

  /** By stem (file name without extension), trying each candidate stem in turn. */
  byStemOf(stems: readonly string[]): { image: string } | { error: string } {
    for (const s of stems) {
      const r = this.unique(this.byStem.get(s.toLowerCase()), `stem "${s}"`);
      if (r) return r;
    }
    return { error: `no image named ${stems.map((s) => `"${s}.*"`).join(' or ')} under ${this.root}` };
  }
}
