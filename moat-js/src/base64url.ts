/**
 * Base64url without padding (RFC 4648 section 5), the only byte encoding in Moat's JSON.
 * Decoding is strict, exactly as moat-core's `Base64Url`: padding, the standard alphabet,
 * whitespace, a length of 1 modulo 4 and non-zero unused trailing bits are refused, so one byte
 * string has exactly one text form.
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  VALUES[ALPHABET.charCodeAt(i)] = i;
}

function value(c: number): number {
  return c < 128 ? (VALUES[c] as number) : -1;
}

/** Encodes bytes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  const n = bytes.length;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (n - i === 1) {
    const v = (bytes[i] as number) << 16;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!;
  } else if (n - i === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]!;
  }
  return out;
}

/** Decodes canonical unpadded base64url, or returns `null` when the text is not canonical. */
export function tryDecodeBase64Url(text: string): Uint8Array | null {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (value(text.charCodeAt(i)) < 0) {
      return null;
    }
  }
  if (n % 4 === 1) {
    return null;
  }
  const spare = n % 4 === 2 ? 0x0f : n % 4 === 3 ? 0x03 : 0;
  if (spare !== 0 && (value(text.charCodeAt(n - 1)) & spare) !== 0) {
    return null;
  }
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v =
      (value(text.charCodeAt(i)) << 18) |
      (value(text.charCodeAt(i + 1)) << 12) |
      (value(text.charCodeAt(i + 2)) << 6) |
      value(text.charCodeAt(i + 3));
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  const rest = n - i;
  if (rest === 2) {
    const v = (value(text.charCodeAt(i)) << 18) | (value(text.charCodeAt(i + 1)) << 12);
    out[o++] = v >> 16;
  } else if (rest === 3) {
    const v = (value(text.charCodeAt(i)) << 18) | (value(text.charCodeAt(i + 1)) << 12) | (value(text.charCodeAt(i + 2)) << 6);
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
  }
  return out;
}

/** True when `text` is canonical unpadded base64url. */
export function isBase64Url(text: string): boolean {
  return tryDecodeBase64Url(text) !== null;
}
