// Test helper: Ed25519 signatures whose R carries a small-order component (R = rB + T). Only the
// key holder can make them; Bouncy Castle (moat-core) accepts them (cofactored equation), OpenSSL
// refuses them (cofactorless), and @moat/core accepts them to agree with moat-core.
import * as c from "node:crypto";

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a) => ((a % P) + P) % P;
const pow = (b, e) => {
  let r = 1n;
  b = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
};
const inv = (a) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);
const add = ([x1, y1, z1, t1], [x2, y2, z2, t2]) => {
  const a = mod((y1 - x1) * (y2 - x2)), b = mod((y1 + x1) * (y2 + x2)), cc = mod(2n * D * t1 * t2), d = mod(2n * z1 * z2);
  const e = b - a, f = d - cc, g = d + cc, h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
};
const mul = (p, k) => {
  let r = [0n, 1n, 1n, 0n];
  let q = p;
  while (k > 0n) {
    if (k & 1n) r = add(r, q);
    q = add(q, q);
    k >>= 1n;
  }
  return r;
};
const encode = ([x, y, z]) => {
  const zi = inv(z);
  let v = mod(y * zi) | ((mod(x * zi) & 1n) << 255n);
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    b[i] = Number(v & 255n);
    v >>= 8n;
  }
  return b;
};
const le = (b) => b.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
const isId = (p) => mod(p[0]) === 0n && mod(p[1] - p[2]) === 0n;

function pointForY(y) {
  const u = mod(y * y - 1n), v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  if (mod(v * x * x) !== u) {
    if (mod(v * x * x) !== mod(-u)) return null;
    x = mod(x * SQRT_M1);
  }
  return [x, y, 1n, mod(x * y)];
}

const B = (() => {
  const p = pointForY(mod(4n * inv(5n)));
  return p[0] & 1n ? [P - p[0], p[1], 1n, mod((P - p[0]) * p[1])] : p;
})();

let T8 = null;
for (let y = 2n; T8 === null; y++) {
  const p = pointForY(y);
  if (p === null) continue;
  const t = mul(p, L);
  if (!isId(mul(t, 4n))) T8 = t;
}

/** Small-order points of order 1, 2, 4 and 8. */
export const TORSION = { 1: [0n, 1n, 1n, 0n], 2: [0n, P - 1n, 1n, 0n], 4: [SQRT_M1, 0n, 1n, 0n], 8: T8 };

/**
 * Signs `framed` (tag || 0x00 || message) with `seed`, adding the small-order point of `order` to R;
 * with `zeroNonce` R is the small-order point alone.
 */
export function torsionSign(seed, framed, order, { zeroNonce = false } = {}) {
  const h = c.createHash("sha512").update(seed).digest();
  const a0 = Uint8Array.from(h.subarray(0, 32));
  a0[0] &= 248;
  a0[31] &= 127;
  a0[31] |= 64;
  const a = le(a0);
  const A = encode(mul(B, a));
  const r = zeroNonce ? 0n : le(c.randomBytes(64)) % L;
  const R = encode(add(mul(B, r), TORSION[order]));
  const k = le(c.createHash("sha512").update(R).update(A).update(framed).digest()) % L;
  let s = (r + k * a) % L;
  const sig = new Uint8Array(64);
  sig.set(R);
  for (let i = 32; i < 64; i++) {
    sig[i] = Number(s & 255n);
    s >>= 8n;
  }
  return sig;
}

/**
 * A signature whose R is the identity written non-canonically (y = p + 1) and S = k * a, so the
 * cofactored equation would hold if R were decoded leniently: both implementations refuse it.
 */
export function nonCanonicalRSign(seed, framed) {
  const h = c.createHash("sha512").update(seed).digest();
  const a0 = Uint8Array.from(h.subarray(0, 32));
  a0[0] &= 248;
  a0[31] &= 127;
  a0[31] |= 64;
  const a = le(a0);
  const A = encode(mul(B, a));
  const R = new Uint8Array(32);
  let y = P + 1n;
  for (let i = 0; i < 32; i++) {
    R[i] = Number(y & 255n);
    y >>= 8n;
  }
  const k = le(c.createHash("sha512").update(R).update(A).update(framed).digest()) % L;
  let s = (k * a) % L;
  const sig = new Uint8Array(64);
  sig.set(R);
  for (let i = 32; i < 64; i++) {
    sig[i] = Number(s & 255n);
    s >>= 8n;
  }
  return sig;
}
