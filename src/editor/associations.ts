// workbench.editorAssociations read the way VS Code matches them (pure: no vscode import).
import * as path from 'node:path';

/** The image types the mask editor contributes (package.json customEditors selector). */
export const IMAGE_EXT = /\.(png|jpe?g|bmp|webp|tiff?)$/i;

/** A glob of workbench.editorAssociations as a RegExp: *, ?, {a,b} and ** (for patterns with a folder). */
export function globToRegExp(glob: string): RegExp {
  let re = '', braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { re += '(?:.*/)?'; i++; if (glob[i + 1] === '/') i++; else re += '.*'; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') { re += '(?:'; braces++; }
    else if (c === '}' && braces > 0) { re += ')'; braces--; }
    else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

/**
 * The editor (viewType) workbench.editorAssociations (object or array form) gives `file`, the last
 * matching entry winning; undefined when none matches. Patterns without a slash match the file
 * name, others the whole path, as VS Code does.
 */
export function associatedWith(file: string, associations: unknown): string | undefined {
  const entries: Array<[string, string]> = Array.isArray(associations)
    ? associations.filter((a): a is { filenamePattern: string; viewType: string } => typeof a?.filenamePattern === 'string' && typeof a?.viewType === 'string').map((a) => [a.filenamePattern, a.viewType])
    : associations && typeof associations === 'object' ? Object.entries(associations).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
  const posix = file.split(path.sep).join('/');
  let match: string | undefined;
  for (const [glob, viewType] of entries) {
    if (globToRegExp(glob).test(glob.includes('/') ? posix : path.basename(file))) match = viewType;
  }
  return match;
}
