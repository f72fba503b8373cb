// FAST (under the toolkit) probes :focus-visible support with a <style> element when its module
// loads; under the page's nonce CSP that element needs the nonce, which FAST reads from
// <meta property="csp-nonce">. This module adds that meta with the nonce our own script carries;
// it must be imported before '@vscode/webview-ui-toolkit'.
const script = document.querySelector('script[nonce]') as HTMLScriptElement | null;
if (script?.nonce && !document.querySelector('meta[property="csp-nonce"]')) {
  const m = document.createElement('meta');
  m.setAttribute('property', 'csp-nonce');
  m.setAttribute('content', script.nonce);
  document.head.appendChild(m);
}
export {};
