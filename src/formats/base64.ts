// Standard base64 (RFC 4648, with padding), without Buffer/atob so it runs in every face. Pure.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i], b = i + 1 < bytes.length ? bytes[i + 1] : 0, c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63] : '=');
    if (s.length >= 8192) { parts.push(s); s = ''; }
  }
  parts.push(s);
  return parts.join('');
}

/** Decodes base64 (whitespace ignored); throws an Error naming the first bad character. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  const body = clean.replace(/=+$/, '');
  if (clean.length - body.length > 2) throw new Error('base64 has more than two padding characters');
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let acc = 0, bits = 0, o = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const v = code < 128 ? LOOKUP[code] : -1;
    if (v < 0) throw new Error(`base64 has an invalid character ${JSON.stringify(body[i])} at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff; bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 255; }
  }
  return out.subarray(0, o);
}
