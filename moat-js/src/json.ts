import { timingSafeEqual } from "node:crypto";
import { CanonicalJsonError, writeCanonical } from "./canonical.js";
import { malformed, oversized } from "./errors.js";

/**
 * A number that is not a signed 64-bit integer (a fraction, an exponent, or out of range). It is
 * kept so that the field that holds it is refused where moat-core refuses it, not earlier.
 */
export class JsonOtherNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value. Integers are `number` when safe, else `bigint` (always within int64). */
export type JsonValue = string | number | bigint | boolean | null | JsonOtherNumber | JsonValue[] | JsonObject;
/** A parsed JSON object; keys keep no order (canonical encoding sorts them). */
export type JsonObject = Map<string, JsonValue>;

/** Limits of moat-core's `StrictJson` (Jackson stream constraints). */
export const MAX_NESTING_DEPTH = 32;
export const MAX_NUMBER_LENGTH = 20;
export const MAX_STRING_LENGTH = 4 * 1024 * 1024;

const NEEDS_SLOW_PARSE = /[\\\u0000-\u001f]/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** Strict UTF-8 decoding; `null` for invalid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return DECODER.decode(bytes);
  } catch {
    return null;
  }
}

class Parser {
  pos = 0;
  constructor(private readonly s: string, private readonly what: string) {}

  fail(why: string): never {
    throw malformed(`${this.what}: invalid JSON (${why} at ${this.pos})`);
  }

  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        this.pos++;
      } else {
        return;
      }
    }
  }

  value(depth: number): JsonValue {
    this.ws();
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
        return this.string();
      case 0x74:
        return this.literal("true", true);
      case 0x66:
        return this.literal("false", false);
      case 0x6e:
        return this.literal("null", null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          return this.number();
        }
        return this.fail(Number.isNaN(c) ? "unexpected end" : "unexpected character");
    }
  }

  literal<T extends JsonValue>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.pos)) {
      this.fail("invalid literal");
    }
    this.pos += word.length;
    const next = this.s.charCodeAt(this.pos);
    if ((next >= 0x61 && next <= 0x7a) || (next >= 0x41 && next <= 0x5a) || (next >= 0x30 && next <= 0x39) || next === 0x5f) {
      this.fail("invalid literal");
    }
    return v;
  }

  object(depth: number): JsonObject {
    if (depth > MAX_NESTING_DEPTH) {
      this.fail(`nesting deeper than ${MAX_NESTING_DEPTH}`);
    }
    this.pos++;
    const m: JsonObject = new Map();
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return m;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x22) {
        this.fail("expected a field name");
      }
      const key = this.string();
      if (m.has(key)) {
        this.fail("duplicate field");
      }
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x3a) {
        this.fail("expected ':'");
      }
      this.pos++;
      m.set(key, this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) {
        continue;
      }
      if (c === 0x7d) {
        return m;
      }
      this.pos--;
      this.fail("expected ',' or '}'");
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_NESTING_DEPTH) {
      this.fail(`nesting deeper than ${MAX_NESTING_DEPTH}`);
    }
    this.pos++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) {
        continue;
      }
      if (c === 0x5d) {
        return out;
      }
      this.pos--;
      this.fail("expected ',' or ']'");
    }
  }

  string(): string {
    const s = this.s;
    // Fast path: no escape and no control character before the closing quote.
    const close = s.indexOf('"', this.pos + 1);
    if (close > 0) {
      const plain = s.slice(this.pos + 1, close);
      if (!NEEDS_SLOW_PARSE.test(plain)) {
        this.pos = close + 1;
        if (plain.length > MAX_STRING_LENGTH) {
          this.fail("string too long");
        }
        return plain;
      }
    }
    let i = ++this.pos;
    let out = "";
    let start = i;
    for (;;) {
      if (i >= s.length) {
        this.pos = i;
        this.fail("unterminated string");
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        out += s.slice(start, i);
        this.pos = i + 1;
        if (out.length > MAX_STRING_LENGTH) {
          this.fail("string too long");
        }
        return out;
      }
      if (c < 0x20) {
        this.pos = i;
        this.fail("unescaped control character");
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(start, i);
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x5c: out += "\\"; break;
        case 0x2f: out += "/"; break;
        case 0x62: out += "\b"; break;
        case 0x66: out += "\f"; break;
        case 0x6e: out += "\n"; break;
        case 0x72: out += "\r"; break;
        case 0x74: out += "\t"; break;
        case 0x75: {
          const hex = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.pos = i;
            this.fail("invalid \\u escape");
          }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          this.pos = i - 1;
          this.fail("invalid escape");
      }
      start = i;
    }
  }

  number(): JsonValue {
    const s = this.s;
    const start = this.pos;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) {
      i++;
    }
    const intStart = i;
    while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
      i++;
    }
    const intDigits = i - intStart;
    if (intDigits === 0) {
      this.pos = i;
      this.fail("invalid number");
    }
    if (intDigits > 1 && s.charCodeAt(intStart) === 0x30) {
      this.pos = intStart;
      this.fail("leading zero");
    }
    let integral = true;
    if (s.charCodeAt(i) === 0x2e) {
      integral = false;
      i++;
      const f = i;
      while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
        i++;
      }
      if (i === f) {
        this.pos = i;
        this.fail("invalid number");
      }
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      integral = false;
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) {
        i++;
      }
      const f = i;
      while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
        i++;
      }
      if (i === f) {
        this.pos = i;
        this.fail("invalid number");
      }
    }
    const text = s.slice(start, i);
    if (text.length - (text.startsWith("-") ? 1 : 0) > MAX_NUMBER_LENGTH) {
      this.pos = start;
      this.fail(`number longer than ${MAX_NUMBER_LENGTH} characters`);
    }
    this.pos = i;
    if (!integral) {
      return new JsonOtherNumber(text);
    }
    if (intDigits <= 15) {
      return Number(text) || 0; // "-0" is the integer 0, as for Jackson
    }
    const big = BigInt(text);
    if (big < INT64_MIN || big > INT64_MAX) {
      return new JsonOtherNumber(text);
    }
    return Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
}

/**
 * Parses untrusted JSON as moat-core's `StrictJson.parseObject` does: a byte cap checked before
 * parsing (`oversized`), strict UTF-8, nesting at most 32, numbers at most 20 characters,
 * duplicate keys, comments and trailing content refused, a JSON object required (`malformed`).
 * A leading UTF-8 byte order mark is skipped, as Jackson does (canonical checks then refuse it).
 */
export function parseJsonObject(bytes: Uint8Array, maxBytes: number, what: string): JsonObject {
  if (bytes.length > maxBytes) {
    throw oversized(`${what}: ${bytes.length} bytes exceeds limit ${maxBytes}`);
  }
  let text = decodeUtf8(bytes);
  if (text === null) {
    throw malformed(`${what}: invalid JSON (not UTF-8)`);
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  const p = new Parser(text, what);
  p.ws();
  if (p.pos >= text.length) {
    throw malformed(`${what}: expected a JSON object`);
  }
  const v = p.value(0);
  p.ws();
  if (p.pos !== text.length) {
    p.fail("trailing content");
  }
  if (!(v instanceof Map)) {
    throw malformed(`${what}: expected a JSON object`);
  }
  return v;
}

/** Values the canonical encoder accepts. */
export type CanonicalValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly CanonicalValue[]
  | ReadonlyMap<string, CanonicalValue>
  | { readonly [key: string]: CanonicalValue | undefined };

function write(v: CanonicalValue): string {
  try {
    return writeCanonical(v, true);
  } catch (e) {
    if (e instanceof CanonicalJsonError) {
      throw malformed(`canonical JSON: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Canonical JSON text of a protocol document (spec/PROTOCOL.md section 4), exactly as
 * moat-core's `CanonicalJson.encode`: members sorted by Unicode code point, no whitespace,
 * integers only (protocol documents), `\"`, `\\` and `\u00xx` for control characters as the
 * only escapes, everything else literal. Object members whose value is `undefined` are left out.
 * Refuses (malformed) non-integers and unpaired surrogates. Tool arguments: see `canonicalise`.
 */
export function canonicalJson(value: CanonicalValue): string {
  return write(value);
}

/** Canonical JSON as UTF-8 bytes. */
export function canonicalJsonBytes(value: CanonicalValue): Uint8Array {
  return ENCODER.encode(write(value));
}

/** Converts a parsed value into canonical-encodable form; refuses non-integral numbers (malformed). */
export function toCanonicalValue(v: JsonValue): CanonicalValue {
  if (v instanceof JsonOtherNumber) {
    throw malformed("unsupported JSON value (only integers, strings, booleans, null, objects, arrays)");
  }
  if (Array.isArray(v)) {
    return v.map(toCanonicalValue);
  }
  if (v instanceof Map) {
    const m = new Map<string, CanonicalValue>();
    for (const [k, x] of v) {
      m.set(k, toCanonicalValue(x));
    }
    return m;
  }
  return v;
}

/** Byte equality (native comparison). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Parses and also requires that `bytes` are exactly their canonical re-encoding, as
 * `StrictJson.parseCanonicalObject`.
 */
export function parseCanonicalJsonObject(bytes: Uint8Array, maxBytes: number, what: string): JsonObject {
  const node = parseJsonObject(bytes, maxBytes, what);
  if (!bytesEqual(canonicalJsonBytes(toCanonicalValue(node)), bytes)) {
    throw malformed(`${what}: not canonical JSON`);
  }
  return node;
}
