import * as nodeCrypto from "node:crypto";
import { encodeBase64Url } from "./base64url.js";
import { utf8 } from "./json.js";

/**
 * Domain-separation tags (spec/PROTOCOL.md section 2). Every signature and identifier hash covers
 * `tag || 0x00 || bytes`.
 */
export const Domain = {
  AGENT_ID: "moat/v1/agent-id",
  TOKEN: "moat/v1/token",
  MESSAGE: "moat/v1/message",
  CHAIN: "moat/v1/chain",
  PAYLOAD: "moat/v1/payload",
  AUDIT_ENTRY: "moat/v1/audit-entry",
  AUDIT_CHECKPOINT: "moat/v1/audit-checkpoint",
  POLICY: "moat/v1/policy",
} as const;

/** One of the domain tags. */
export type Domain = (typeof Domain)[keyof typeof Domain];

const PREFIXES = new Map<string, Uint8Array>();

function prefix(tag: string): Uint8Array {
  let p = PREFIXES.get(tag);
  if (p === undefined) {
    const t = utf8(tag);
    p = new Uint8Array(t.length + 1);
    p.set(t);
    PREFIXES.set(tag, p);
  }
  return p;
}

/** `tag || 0x00 || bytes` as a new array. */
export function frame(tag: string, bytes: Uint8Array): Uint8Array {
  const p = prefix(tag);
  const out = new Uint8Array(p.length + bytes.length);
  out.set(p);
  out.set(bytes, p.length);
  return out;
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.createHash("sha256").update(bytes).digest());
}

/** SHA-256 of `tag || 0x00 || bytes` (the protocol's `hash(tag, bytes)`). */
export function domainHash(tag: string, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.createHash("sha256").update(prefix(tag)).update(bytes).digest());
}

/** Comparison in time that depends only on the lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeCrypto.timingSafeEqual(a, b);
}

// ---- Ed25519 public key validation (Bouncy Castle `Ed25519.validatePublicKeyFull`) ----

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) {
      result = (result * b) % P;
    }
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function inverse(a: bigint): bigint {
  return pow(a, P - 2n);
}

/** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
type Point = readonly [bigint, bigint, bigint, bigint];

const IDENTITY: Point = [0n, 1n, 1n, 0n];

function add(p: Point, q: Point): Point {
  const [x1, y1, z1, t1] = p;
  const [x2, y2, z2, t2] = q;
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function double(p: Point): Point {
  const [x1, y1, z1] = p;
  const a = (x1 * x1) % P;
  const b = (y1 * y1) % P;
  const c = (2n * z1 * z1) % P;
  const d = P - a;
  const e = mod((x1 + y1) * (x1 + y1) - a - b);
  const g = d + b;
  const f = g - c;
  const h = d - b;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

/** `[k]p` with a 4-bit window (k < 2^256). */
function multiplyWindowed(p: Point, k: bigint): Point {
  const table: Point[] = [IDENTITY, p];
  for (let i = 2; i < 16; i++) {
    table.push(add(table[i - 1]!, p));
  }
  let r = IDENTITY;
  for (let shift = 252n; shift >= 0n; shift -= 4n) {
    r = double(double(double(double(r))));
    r = add(r, table[Number((k >> shift) & 15n)]!);
  }
  return r;
}

let baseTable: Point[][] | undefined;

/** `[k]B` for the base point, from a table of `j * 16^i * B` built on first use. */
function multiplyBase(k: bigint): Point {
  if (baseTable === undefined) {
    const t: Point[][] = [];
    let base = BASE;
    for (let i = 0; i < 64; i++) {
      const row: Point[] = [IDENTITY, base];
      for (let j = 2; j < 16; j++) {
        row.push(add(row[j - 1]!, base));
      }
      t.push(row);
      base = double(double(double(double(base))));
    }
    baseTable = t;
  }
  let r = IDENTITY;
  for (let i = 0; i < 64; i++) {
    r = add(r, baseTable[i]![Number((k >> BigInt(4 * i)) & 15n)]!);
  }
  return r;
}


function isIdentity(p: Point): boolean {
  return mod(p[0]) === 0n && mod(p[1] - p[2]) === 0n;
}

/** Decodes a 32-byte encoding to an affine point, or null (non-canonical y, not on the curve). */
export function decodePoint(encoded: Uint8Array): Point | null {
  if (encoded.length !== 32) {
    return null;
  }
  let y = 0n;
  for (let i = 31; i >= 0; i--) {
    y = (y << 8n) | BigInt(encoded[i] as number);
  }
  const sign = (y >> 255n) & 1n;
  y &= (1n << 255n) - 1n;
  if (y >= P) {
    return null;
  }
  const y2 = (y * y) % P;
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  const v3 = (v * v % P) * v % P;
  const v7 = (v3 * v3 % P) * v % P;
  let x = (u * v3 % P) * pow(u * v7, (P - 5n) / 8n) % P;
  const vx2 = (v * x % P) * x % P;
  if (vx2 !== u) {
    if (vx2 === mod(-u)) {
      x = (x * SQRT_M1) % P;
    } else {
      return null;
    }
  }
  if (x === 0n && sign === 1n) {
    return null;
  }
  if ((x & 1n) !== sign) {
    x = P - x;
  }
  return [x, y, 1n, (x * y) % P];
}

/**
 * Full validation of an encoded Ed25519 public key: a canonical encoding of a curve point that is
 * not the identity and lies in the prime-order subgroup (hence not of small or mixed order).
 */
export function isValidPublicKey(encoded: Uint8Array): boolean {
  const p = decodePoint(encoded);
  return p !== null && !isIdentity(p) && isIdentity(multiplyWindowed(p, L));
}

function negate(p: Point): Point {
  return [mod(-p[0]), p[1], p[2], mod(-p[3])];
}

function littleEndian(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) {
    v = (v << 8n) | BigInt(b[i] as number);
  }
  return v;
}

const BASE: Point = (() => {
  const y = mod(4n * inverse(5n));
  const enc = new Uint8Array(32);
  let v = y;
  for (let i = 0; i < 32; i++) {
    enc[i] = Number(v & 255n);
    v >>= 8n;
  }
  return decodePoint(enc) as Point;
})();

/**
 * The cofactored verification equation `[8][S]B = [8]R + [8][k]A` that Bouncy Castle (moat-core)
 * applies. OpenSSL checks the stricter cofactorless equation; the two differ only for signatures
 * whose `R` has a small-order component, which only the key holder can make. Called only when
 * OpenSSL has refused, so honest traffic never pays for it; a refused signature costs a few ms.
 */
function cofactoredVerify(publicKey: Uint8Array, framed: Uint8Array, signature: Uint8Array): boolean {
  const rBytes = signature.subarray(0, 32);
  const s = littleEndian(signature.subarray(32, 64));
  if (s >= L) {
    return false;
  }
  const r = decodePoint(rBytes);
  const a = decodePoint(publicKey);
  if (r === null || a === null) {
    return false;
  }
  const k = littleEndian(new Uint8Array(nodeCrypto.createHash("sha512").update(rBytes).update(publicKey).update(framed).digest())) % L;
  const x = add(add(multiplyBase(s), negate(multiplyWindowed(a, k))), negate(r));
  return isIdentity(double(double(double(x))));
}

// ---- Node KeyObjects from raw keys ----

const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const MAX_CACHED_KEYS = 4096;
const PUBLIC_KEYS = new Map<string, nodeCrypto.KeyObject>();

/**
 * A Node KeyObject for a validated 32-byte public key, or null when the key fails full
 * validation. Validated keys are cached (bounded; cleared when full), as moat-core's `KeyCache`.
 */
export function publicKeyObject(encoded: Uint8Array): nodeCrypto.KeyObject | null {
  if (encoded.length !== 32) {
    return null;
  }
  const b64 = encodeBase64Url(encoded);
  const known = PUBLIC_KEYS.get(b64);
  if (known !== undefined) {
    return known;
  }
  if (!isValidPublicKey(encoded)) {
    return null;
  }
  const key = nodeCrypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64 }, format: "jwk" });
  if (PUBLIC_KEYS.size >= MAX_CACHED_KEYS) {
    PUBLIC_KEYS.clear();
  }
  PUBLIC_KEYS.set(b64, key);
  return key;
}

/** A private KeyObject and the public key for a 32-byte seed. */
export function privateKeyFromSeed(seed: Uint8Array): { key: nodeCrypto.KeyObject; publicKey: Uint8Array } {
  if (seed.length !== 32) {
    throw new RangeError("an Ed25519 seed is 32 bytes");
  }
  const der = new Uint8Array(PKCS8_PREFIX.length + 32);
  der.set(PKCS8_PREFIX);
  der.set(seed, PKCS8_PREFIX.length);
  const key = nodeCrypto.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  der.fill(0);
  const spki = nodeCrypto.createPublicKey(key).export({ format: "der", type: "spki" });
  return { key, publicKey: new Uint8Array(spki.slice(spki.length - 32)) };
}

/** Ed25519 over `tag || 0x00 || message`. */
export function signFramed(key: nodeCrypto.KeyObject, tag: string, message: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.sign(null, frame(tag, message), key));
}

/**
 * Verifies `signature` over `tag || 0x00 || message`; false for a key that fails validation or a
 * signature that is not 64 bytes. Never throws.
 */
export function verifyFramed(publicKey: Uint8Array, tag: string, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) {
    return false;
  }
  const key = publicKeyObject(publicKey);
  if (key === null) {
    return false;
  }
  try {
    const framed = frame(tag, message);
    return nodeCrypto.verify(null, framed, key, signature) || cofactoredVerify(publicKey, framed, signature);
  } catch {
    return false;
  }
}

/** Fresh random bytes. */
export function randomBytes(n: number): Uint8Array {
  return new Uint8Array(nodeCrypto.randomBytes(n));
}
