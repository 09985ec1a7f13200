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

/** Encodes bytes as unpadded base64url (Node's native encoder). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64url");
}

const CHARS = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes canonical unpadded base64url, or returns `null` when the text is not canonical. The
 * alphabet, length and spare-bit checks are made here; Node's (lenient) decoder then only decodes.
 */
export function tryDecodeBase64Url(text: string): Uint8Array | null {
  const n = text.length;
  if (n % 4 === 1 || !CHARS.test(text)) {
    return null;
  }
  // Canonical: the bits of the last character that encode no byte must be zero
  // (2 chars carry 1 byte: 4 spare bits; 3 chars carry 2 bytes: 2 spare bits).
  const spare = n % 4 === 2 ? 0x0f : n % 4 === 3 ? 0x03 : 0;
  if (spare !== 0 && (value(text.charCodeAt(n - 1)) & spare) !== 0) {
    return null;
  }
  const b = Buffer.from(text, "base64url");
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** True when `text` is canonical unpadded base64url. */
export function isBase64Url(text: string): boolean {
  return tryDecodeBase64Url(text) !== null;
}
