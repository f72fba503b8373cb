// What the rest of the extension (commands, inference, tests) sees of the mask editor.
import type * as vscode from 'vscode';
import type { DatasetConfig } from '../shared/config';
import type { InstanceInfo, LabelMaps, MaskEdit } from '../shared/maskModel';
import type { HostToWebview } from '../shared/protocol';
import type { PrelabelInfo } from '../shared/sidecar';

/** One open image with its masks; the host's MaskDocument implements it. */
export interface MaskDocumentHandle {
  readonly uri: vscode.Uri;
  /** Absolute file system path of the image. */
  readonly imagePath: string;
  readonly maps: LabelMaps;
  readonly config: DatasetConfig;
  readonly instanceInfo: ReadonlyMap<number, InstanceInfo>;
  readonly isDirty: boolean;
  /**
   * Applies an edit as one undoable step: updates the maps, tells every open panel, and pushes it
   * on VS Code's undo stack. Throws (changing nothing) when the edit does not fit the image.
   */
  applyEdit(edit: MaskEdit, extras?: { prelabel?: PrelabelInfo }): void;
  /** The image's pixels, RGB, decoded on first use and cached while the document is open. */
  imageRgb(): Promise<{ width: number; height: number; data: Uint8Array }>;
}

/** Returned by activate(); used by the integration tests and by other parts of the extension. */
export interface MaskwrightApi {
  /** Documents currently open in the mask editor. */
  documents(): MaskDocumentHandle[];
  /** The document of the active mask editor tab, if any. */
  activeDocument(): MaskDocumentHandle | undefined;
  /** Resolves once a panel of this document has received its init data and posted 'ready'. */
  whenPanelReady(uri: vscode.Uri, timeoutMs?: number): Promise<void>;
  /**
   * Delivers a raw message to the host exactly as if the document's webview had posted it
   * (validation included); resolves with the reply the webview would get, if any.
   */
  receiveFromWebview(uri: vscode.Uri, message: unknown): Promise<HostToWebview | undefined>;
  /**
   * Messages the host posted to this document's panels, oldest first: recorded only while the
   * extension runs its tests (or MASKWRIGHT_TEST_PROBE=1), the last 200, with typed arrays over
   * 4 KB replaced by { omitted: type name, length } (src/editor/testProbe.ts).
   */
  sentToWebview(uri: vscode.Uri): readonly HostToWebview[];
}
