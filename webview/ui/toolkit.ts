// Thin wrapper over @vscode/webview-ui-toolkit (deprecated upstream in 2025; its last release,
// 1.4.0, is pinned). Everything else builds controls through these helpers, so replacing the
// toolkit later touches this file only.
import './cspNonce';
import { provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeDivider } from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeBadge());
  registered = true;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An icon button (`vscode-button appearance="icon"`) with a codicon and a title that names its key. */
export function iconButton(icon: string, title: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', 'icon');
  b.setAttribute('title', title);
  b.setAttribute('aria-label', title);
  const i = el('span', `codicon codicon-${icon}`);
  i.setAttribute('aria-hidden', 'true');
  b.appendChild(i);
  b.addEventListener('click', onClick);
  return b;
}

/** A text button (`vscode-button`, secondary unless primary). */
export function textButton(text: string, title: string, onClick: () => void, primary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  if (!primary) b.setAttribute('appearance', 'secondary');
  b.setAttribute('title', title);
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

export interface Checkbox {
  readonly element: HTMLElement;
  set(checked: boolean): void;
}

export function checkbox(label: string, title: string, onChange: (checked: boolean) => void): Checkbox {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.textContent = label;
  c.setAttribute('title', title);
  let setting = false;
  c.addEventListener('change', () => { if (!setting) onChange(!!c.checked); });
  return {
    element: c,
    set(v: boolean) {
      if (c.checked === v) return;
      setting = true;
      c.checked = v;
      setting = false;
    },
  };
}

export function divider(): HTMLElement {
  const d = document.createElement('vscode-divider');
  d.setAttribute('role', 'separator');
  d.setAttribute('orientation', 'vertical');
  return d;
}

/** A native range input (the toolkit has no slider), styled with theme colours in editor.css. */
export function slider(label: string, title: string, min: number, max: number, step: number, onInput: (v: number) => void): { element: HTMLElement; input: HTMLInputElement; value: HTMLElement } {
  const wrap = el('label', 'mw-slider');
  wrap.title = title;
  const input = el('input');
  input.type = 'range';
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  input.setAttribute('aria-label', label);
  const value = el('span', 'mw-slider-value');
  input.addEventListener('input', () => onInput(Number(input.value)));
  wrap.append(el('span', 'mw-slider-label', label), input, value);
  return { element: wrap, input, value };
}
