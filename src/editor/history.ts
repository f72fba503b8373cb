// The document's edit history: what has been applied since load, and what was on disk at the last
// save. Both are lists of edits; the saved point is a list, not a flag, so undoing past a save and
// editing again is still tracked exactly (the unsaved change = undo the saved tail, redo ours).
import { invertEdit, type MaskEdit } from '../shared/maskModel';

export class EditHistory {
  private applied: MaskEdit[] = [];
  private saved: MaskEdit[] = [];
  private changes = 0;

  /** Grows with every push, pop and reset: a save compares it before and after writing. */
  get version(): number {
    return this.changes;
  }

  push(edit: MaskEdit): void {
    this.applied.push(edit);
    this.changes++;
  }

  /** Removes the last applied edit; it must be `edit` (VS Code undoes in stack order). */
  pop(edit: MaskEdit): void {
    const last = this.applied[this.applied.length - 1];
    if (last !== edit) throw new Error('undo out of order: the edit to undo is not the last one applied');
    this.applied.pop();
    this.changes++;
  }

  markSaved(): void {
    this.saved = this.applied.slice();
  }

  /** After revert or reload: disk state is the new base. */
  reset(): void {
    this.applied = [];
    this.saved = [];
    this.changes++;
  }

  private commonPrefix(): number {
    let i = 0;
    while (i < this.applied.length && i < this.saved.length && this.applied[i] === this.saved[i]) i++;
    return i;
  }

  get isDirty(): boolean {
    const p = this.commonPrefix();
    return p !== this.applied.length || p !== this.saved.length;
  }

  /** Edits that turn the saved state into the current one (for backups), in order. */
  unsavedEdits(): MaskEdit[] {
    const p = this.commonPrefix();
    const undoSaved = this.saved.slice(p).reverse().map(invertEdit);
    return [...undoSaved, ...this.applied.slice(p)];
  }
}
