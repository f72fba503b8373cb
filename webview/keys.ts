// Keyboard: one table of bindings, used by the handler, the button titles and the '?' help.
// Ctrl/Cmd combinations are never handled here, so Ctrl+S / Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y reach
// VS Code (its webview forwards them) untouched.
import type { ToolName } from './editor';

export interface ToolDef {
  readonly tool: ToolName;
  readonly key: string;
  readonly label: string;
  readonly icon: string;
  readonly help: string;
}

export const TOOL_DEFS: readonly ToolDef[] = [
  { tool: 'brush', key: 'B', label: 'Brush', icon: 'edit', help: 'Paint the current class (and the selected instance in instance mode).' },
  { tool: 'eraser', key: 'E', label: 'Eraser', icon: 'eraser', help: 'Set pixels to background and instance 0.' },
  { tool: 'lasso', key: 'L', label: 'Polygon / lasso', icon: 'selection', help: 'Click points (click the first point, double-click or Enter closes) or drag a lasso; the inside is filled.' },
  { tool: 'fill', key: 'F', label: 'Flood fill', icon: 'paintcan', help: 'Fill the 4-connected region of equal class under the click.' },
  { tool: 'pick', key: 'I', label: 'Pick class', icon: 'symbol-color', help: 'Take the class under the click (Alt+click with any tool).' },
  { tool: 'select', key: 'V', label: 'Select instance', icon: 'target', help: 'Select the instance under the click.' },
  { tool: 'wand', key: 'W', label: 'Magic wand', icon: 'wand', help: 'Click: preview the similar-colour region; Shift+wheel: tolerance; click inside or Enter: commit.' },
  { tool: 'threshold', key: 'T', label: 'Threshold', icon: 'color-mode', help: 'Otsu threshold preview of the whole image, or drag a rectangle; slider adjusts; Enter commits.' },
  { tool: 'edgefill', key: 'G', label: 'Fill inside edges', icon: 'symbol-field', help: 'Click: preview the region bounded by Canny edges (50/150); click inside or Enter: commit.' },
  { tool: 'kmeans', key: 'K', label: 'k-means clusters', icon: 'symbol-enum', help: 'Clusters the colours into k groups; click a pixel to preview its cluster, click inside or Enter commits it in the current class.' },
  { tool: 'sam', key: 'A', label: 'Segment anything', icon: 'sparkle', help: 'Promptable model (SAM family): click = object point, Shift/Alt+click = background point, drag = box; the mask is previewed; click inside or Enter commits (a new instance in instance mode); Esc clears.' },
  { tool: 'watershed', key: 'H', label: 'Watershed', icon: 'pinned', help: 'Click object seeds, Shift+click background seeds; the object basin is previewed; Enter commits.' },
];

export const OTHER_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['1 .. 9, 0', 'Select a class in palette order (the first ten)'],
  ['/', 'Filter the class list by name or id; Enter picks the first match, Esc clears, Down moves into the list (arrows, Home, End; Enter picks)'],
  ['[  /  ]', 'Brush size smaller / larger'],
  ['N', 'New instance (next free id; turns instance mode on)'],
  ['Delete', 'Delete the selected instance (clears its instance pixels; the classes stay)'],
  ['J', 'Instance mode on / off'],
  ['U', 'Paint mode: everything / only unlabelled (background) pixels'],
  ['S  /  D', 'Show semantic / instance layer'],
  ['O  /  Shift+O', 'Overlay opacity up / down'],
  ['=  /  -', 'Zoom in / out (wheel zooms about the cursor)'],
  ['Z  /  X', 'Fit the image / 1:1 (actual pixels)'],
  ['Space+drag, middle drag', 'Pan'],
  ['Enter  /  Esc', 'Commit / cancel (polygon, wand, threshold, segment anything)'],
  ['Backspace', 'Remove the last polygon point'],
  ['PageDown  /  PageUp', 'Next / previous image in the folder'],
  ['Ctrl+S, Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y', 'Save, undo, redo (VS Code)'],
  ['?', 'This help'],
];

export interface KeyActions {
  tool(t: ToolName): void;
  classIndex(i: number): void;
  brush(delta: 1 | -1): void;
  newInstance(): void;
  deleteInstance(): void;
  toggleInstanceMode(): void;
  togglePaintMode(): void;
  toggleSemantic(): void;
  toggleInstances(): void;
  opacity(delta: number): void;
  zoom(direction: 1 | -1): void;
  fit(): void;
  actual(): void;
  enter(): void;
  escape(): void;
  backspace(): void;
  next(): void;
  previous(): void;
  help(): void;
}

/** Handles a keydown; returns true when it was one of ours (the caller then prevents default). */
export function handleKey(e: KeyboardEvent, a: KeyActions): boolean {
  if (e.ctrlKey || e.metaKey) return false;
  const k = e.key;
  const def = TOOL_DEFS.find((d) => d.key.toLowerCase() === k.toLowerCase() && !e.altKey && !e.shiftKey);
  if (def) { a.tool(def.tool); return true; }
  if (/^Digit[0-9]$/.test(e.code) && !e.shiftKey && !e.altKey) {
    const d = Number(e.code.slice(5));
    a.classIndex(d === 0 ? 9 : d - 1);
    return true;
  }
  switch (k) {
    case '[': a.brush(-1); return true;
    case ']': a.brush(1); return true;
    case 'n': case 'N': a.newInstance(); return true;
    case 'Delete': a.deleteInstance(); return true;
    case 'j': case 'J': a.toggleInstanceMode(); return true;
    case 'u': case 'U': a.togglePaintMode(); return true;
    case 's': case 'S': if (e.shiftKey || e.altKey) return false; a.toggleSemantic(); return true;
    case 'd': case 'D': if (e.shiftKey || e.altKey) return false; a.toggleInstances(); return true;
    case 'o': a.opacity(0.1); return true;
    case 'O': a.opacity(-0.1); return true;
    case '=': case '+': a.zoom(1); return true;
    case '-': case '_': a.zoom(-1); return true;
    case 'z': case 'Z': a.fit(); return true;
    case 'x': case 'X': a.actual(); return true;
    case 'Enter': a.enter(); return true;
    case 'Escape': a.escape(); return true;
    case 'Backspace': a.backspace(); return true;
    case 'PageDown': a.next(); return true;
    case 'PageUp': a.previous(); return true;
    case '?': a.help(); return true;
    default: return false;
  }
}
