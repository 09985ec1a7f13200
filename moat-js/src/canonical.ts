/**
 * Canonical JSON of tool arguments and any JSON text (spec/PROTOCOL.md sections 4 and 4.1), as
 * moat-core's `dev.moat.json.CanonicalJson`: a strict RFC 8259 reader with limits, and one writer
 * (members sorted by Unicode code point, no whitespace, minimal escapes, numbers exactly as
 * written, a lone surrogate refused, never replaced). Failures are a {@link CanonicalJsonError}
 * with a typed {@link JsonProblem}; messages name the problem and an offset, never the content.
 */

/** Why a value or a JSON text has no canonical form (PROTOCOL.md 4.1), as moat-core's `JsonProblem`. */
export const JsonProblem = {
  INVALID_JSON: "invalid_json",
  DUPLICATE_KEY: "duplicate_key",
  LONE_SURROGATE: "lone_surrogate",
  TOO_DEEP: "too_deep",
  NUMBER_TOO_LONG: "number_too_long",
  OVERSIZED: "oversized",
  NOT_AN_OBJECT: "not_an_object",
  UNSUPPORTED_VALUE: "unsupported_value",
} as const;

/** One of the stable problem codes, for example `"lone_surrogate"`. */
export type JsonProblem = (typeof JsonProblem)[keyof typeof JsonProblem];

/**
 * A value or JSON text with no canonical form. An adapter turns it into a denial with code
 * `argument_rejected`.
 */
export class CanonicalJsonError extends Error {
  constructor(readonly problem: JsonProblem, detail: string) {
    super(`${problem}: ${detail}`);
    this.name = "CanonicalJsonError";
  }
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * A JSON number kept as its literal text (`12.50`, `1e3`, `-0`), so that canonical JSON never
 * changes a number's value or form. The literal must match RFC 8259's `number` grammar.
 */
export class JsonNumber {
  constructor(readonly literal: string) {
    if (typeof literal !== "string" || !NUMBER.test(literal)) {
      throw new RangeError("not a JSON number literal (RFC 8259)");
    }
  }

  toString(): string {
    return this.literal;
  }
}

/** Bounds for reading untrusted JSON text, as moat-core's `JsonLimits`. */
export interface JsonLimits {
  /** The largest text, and the largest canonical form, in UTF-8 bytes (1 to 64 MiB). */
  readonly maxBytes: number;
  /** The deepest nesting of objects and arrays (1 to 256); the top-level value is depth 1. */
  readonly maxDepth: number;
  /** The longest number literal in characters (20 to 1000). */
  readonly maxNumberLength: number;
}

/** 1 MiB (the protocol's default `max_body_bytes`), depth 32, numbers up to 100 characters. */
export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({ maxBytes: 1 << 20, maxDepth: 32, maxNumberLength: 100 });

function checkLimits(l: JsonLimits): JsonLimits {
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(l.maxBytes, 1, 64 << 20)) {
    throw new RangeError("maxBytes must be between 1 and 64 MiB");
  }
  if (!int(l.maxDepth, 1, 256)) {
    throw new RangeError("maxDepth must be between 1 and 256");
  }
  if (!int(l.maxNumberLength, 20, 1000)) {
    throw new RangeError("maxNumberLength must be between 20 and 1000");
  }
  return l;
}

/** Values the writer accepts. `undefined` members of plain objects are left out. */
export type JsonInput =
  | string
  | number
  | bigint
  | boolean
  | null
  | JsonNumber
  | readonly JsonInput[]
  | ReadonlyMap<string, JsonInput>
  | { readonly [key: string]: JsonInput | undefined };

/** Deep enough for any protocol document or tool argument; stops cycles before the stack does. */
const MAX_WRITE_DEPTH = 256;
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Code point order of two strings (the byte order of their UTF-8 forms). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return x >= 0xd800 && y >= 0xd800 ? fixUp(x) - fixUp(y) : x - y;
    }
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800..U+DFFF) above U+E000..U+FFFF, which is where their code points sort. */
function fixUp(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/** The canonical form of a string: a lone surrogate is refused. */
export function writeString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) {
    return '"' + s + '"';
  }
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c < 0x20) {
      out += s.slice(start, i);
      out += c === 0x22 ? '\\"' : c === 0x5c ? "\\\\" : "\\u00" + (c < 16 ? "0" : "1") + (c & 15).toString(16);
      start = i + 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
      } else {
        throw new CanonicalJsonError(JsonProblem.LONE_SURROGATE, `unpaired UTF-16 surrogate at character ${i}`);
      }
    }
  }
  return out + s.slice(start) + '"';
}

/**
 * Writes `v` as canonical JSON text. With `integersOnly` (protocol documents) numbers must be
 * integers in the signed 64-bit range (`number` safe integers or `bigint`); otherwise a
 * {@link JsonNumber} is written as its literal and a finite `number` as ECMAScript's shortest
 * round-trip form (`Number.prototype.toString`, `-0` kept), so the text parses back to exactly
 * that value.
 */
export function writeCanonical(v: JsonInput, integersOnly: boolean, depth = 0): string {
  if (v === null) {
    return "null";
  }
  switch (typeof v) {
    case "string":
      return writeString(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (integersOnly) {
        if (!Number.isSafeInteger(v)) {
          throw new CanonicalJsonError(JsonProblem.UNSUPPORTED_VALUE, "numbers are integers only");
        }
        return String(v === 0 ? 0 : v);
      }
      if (!Number.isFinite(v)) {
        throw new CanonicalJsonError(JsonProblem.UNSUPPORTED_VALUE, "NaN and infinities have no JSON form");
      }
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      if (integersOnly && (v < INT64_MIN || v > INT64_MAX)) {
        throw new CanonicalJsonError(JsonProblem.UNSUPPORTED_VALUE, "integer out of the 64-bit range");
      }
      return v.toString();
    case "object":
      break;
    default:
      throw new CanonicalJsonError(JsonProblem.UNSUPPORTED_VALUE, `a ${typeof v} has no canonical JSON form`);
  }
  if (v instanceof JsonNumber) {
    if (integersOnly) {
      throw new CanonicalJsonError(JsonProblem.UNSUPPORTED_VALUE, "numbers are integers only");
    }
    return v.literal;
  }
  if (++depth > MAX_WRITE_DEPTH) {
    throw new CanonicalJsonError(JsonProblem.TOO_DEEP, `nesting deeper than ${MAX_WRITE_DEPTH} (a cycle?)`);
  }
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      out += (i > 0 ? "," : "") + writeCanonical((v as readonly JsonInput[])[i]!, integersOnly, depth);
    }
    return out + "]";
  }
  const isMap = v instanceof Map;
  const m = v as ReadonlyMap<unknown, JsonInput>;
  const o = v as { readonly [key: string]: JsonInput | undefined };
  const keys = isMap ? [...m.keys()] : Object.keys(o);
  for (const k of keys) {
    if (typeof k !== "string") {
      throw new CanonicalJsonError(JsonProblem.UNSUPPORTED_VALUE, "object keys must be strings");
    }
  }
  (keys as string[]).sort(compareCodePoints);
  let out = "{";
  let first = true;
  for (const k of keys as string[]) {
    const x = isMap ? m.get(k) : o[k];
    if (x === undefined) {
      continue;
    }
    out += (first ? "" : ",") + writeString(k) + ":" + writeCanonical(x, integersOnly, depth);
    first = false;
  }
  return out + "}";
}

const ENCODER = new TextEncoder();
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The canonical UTF-8 bytes of a value: `Map` or plain object, array, string, boolean, `null`,
 * `bigint`, {@link JsonNumber} (its literal) and finite `number`s (ECMAScript's shortest
 * round-trip form, so what is signed parses back to exactly the value a handler receives).
 */
export function encodeCanonical(value: JsonInput): Uint8Array {
  return ENCODER.encode(writeCanonical(value, false));
}

/** The canonical form of the JSON text (string or UTF-8 bytes), any JSON value at the top. */
export function canonicalise(json: string | Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): Uint8Array {
  return bounded(encodeCanonical(read(json, checkLimits(limits))), limits);
}

/** As {@link canonicalise}, refusing any top-level value but an object (tool arguments: `not_an_object`). */
export function canonicaliseObject(json: string | Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): Uint8Array {
  const v = read(json, checkLimits(limits));
  if (!(v instanceof Map)) {
    throw new CanonicalJsonError(JsonProblem.NOT_AN_OBJECT, "the top-level value must be an object");
  }
  return bounded(encodeCanonical(v), limits);
}

function bounded(canonical: Uint8Array, limits: JsonLimits): Uint8Array {
  if (canonical.length > limits.maxBytes) {
    throw new CanonicalJsonError(JsonProblem.OVERSIZED, `canonical form of ${canonical.length} bytes exceeds ${limits.maxBytes}`);
  }
  return canonical;
}

type Read = string | boolean | null | JsonNumber | Read[] | Map<string, Read>;

function read(json: string | Uint8Array, limits: JsonLimits): Read {
  let text: string;
  if (typeof json === "string") {
    text = json;
  } else {
    if (json.length > limits.maxBytes) {
      throw new CanonicalJsonError(JsonProblem.OVERSIZED, `${json.length} bytes exceeds ${limits.maxBytes}`);
    }
    try {
      text = STRICT_UTF8.decode(json); // no BOM skipped: a BOM is then an unexpected character
    } catch {
      throw new CanonicalJsonError(JsonProblem.INVALID_JSON, "not UTF-8");
    }
  }
  if (text.length > limits.maxBytes) { // every UTF-16 unit is at least one UTF-8 byte
    throw new CanonicalJsonError(JsonProblem.OVERSIZED, `more than ${limits.maxBytes} bytes`);
  }
  const r = new Reader(text, limits);
  r.whitespace();
  const v = r.value(1);
  r.whitespace();
  if (r.pos !== text.length) {
    throw r.invalid("content after the value");
  }
  return v;
}

/** RFC 8259 and nothing more; every limit fails with its own problem (moat-core's `CanonicalReader`). */
class Reader {
  pos = 0;
  constructor(private readonly s: string, private readonly limits: JsonLimits) {}

  invalid(what: string): CanonicalJsonError {
    return new CanonicalJsonError(JsonProblem.INVALID_JSON, `${what} at character ${this.pos}`);
  }

  /** Only the four characters RFC 8259 calls whitespace. */
  whitespace(): void {
    while (this.pos < this.s.length) {
      const c = this.s.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
        return;
      }
      this.pos++;
    }
  }

  /** The code unit at `pos`, or 0 at the end (NUL is never valid where peek decides). */
  peek(): number {
    return this.pos < this.s.length ? this.s.charCodeAt(this.pos) : 0;
  }

  expect(c: number): void {
    if (this.pos >= this.s.length || this.peek() !== c) {
      throw this.invalid(`expected '${String.fromCharCode(c)}'`);
    }
    this.pos++;
  }

  value(depth: number): Read {
    if (this.pos >= this.s.length) {
      throw this.invalid("a value is missing");
    }
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 0x7b:
        return this.object(depth);
      case 0x5b:
        return this.array(depth);
      case 0x22:
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
        throw this.invalid("unexpected character");
    }
  }

  checkDepth(depth: number): void {
    if (depth > this.limits.maxDepth) {
      throw new CanonicalJsonError(JsonProblem.TOO_DEEP, `nesting deeper than ${this.limits.maxDepth} at character ${this.pos}`);
    }
  }

  object(depth: number): Map<string, Read> {
    this.checkDepth(depth);
    this.pos++;
    const m = new Map<string, Read>();
    this.whitespace();
    if (this.peek() === 0x7d) {
      this.pos++;
      return m;
    }
    for (;;) {
      if (this.peek() !== 0x22) {
        throw this.invalid("a key is missing");
      }
      const keyAt = this.pos;
      const key = this.string();
      if (m.has(key)) {
        throw new CanonicalJsonError(JsonProblem.DUPLICATE_KEY, `repeated key at character ${keyAt}`);
      }
      this.whitespace();
      this.expect(0x3a);
      this.whitespace();
      m.set(key, this.value(depth + 1));
      this.whitespace();
      if (this.peek() === 0x2c) {
        this.pos++;
        this.whitespace();
      } else {
        this.expect(0x7d);
        return m;
      }
    }
  }

  array(depth: number): Read[] {
    this.checkDepth(depth);
    this.pos++;
    const out: Read[] = [];
    this.whitespace();
    if (this.peek() === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.whitespace();
      if (this.peek() === 0x2c) {
        this.pos++;
        this.whitespace();
      } else {
        this.expect(0x5d);
        return out;
      }
    }
  }

  string(): string {
    const s = this.s;
    this.pos++; // the opening quote
    let start = this.pos;
    let out = "";
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) {
        out += s.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        throw this.invalid("unescaped control character in a string");
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += s.slice(start, this.pos) + this.escape();
      start = this.pos;
    }
    throw this.invalid("unterminated string");
  }

  /** One escape starting at the backslash; a lone surrogate is refused later, by the writer. */
  escape(): string {
    const s = this.s;
    if (this.pos + 1 >= s.length) {
      throw this.invalid("unterminated escape");
    }
    const e = s.charCodeAt(this.pos + 1);
    this.pos += 2;
    switch (e) {
      case 0x22: return '"';
      case 0x5c: return "\\";
      case 0x2f: return "/";
      case 0x62: return "\b";
      case 0x66: return "\f";
      case 0x6e: return "\n";
      case 0x72: return "\r";
      case 0x74: return "\t";
      case 0x75: {
        const hex = s.slice(this.pos, this.pos + 4);
        if (hex.length < 4) {
          throw this.invalid("short \\u escape");
        }
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw this.invalid("bad \\u escape");
        }
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        throw this.invalid("bad escape");
    }
  }

  digits(): number {
    const start = this.pos;
    while (this.pos < this.s.length && this.s.charCodeAt(this.pos) >= 0x30 && this.s.charCodeAt(this.pos) <= 0x39) {
      this.pos++;
    }
    return this.pos - start;
  }

  number(): JsonNumber {
    const start = this.pos;
    if (this.peek() === 0x2d) {
      this.pos++;
    }
    const first = this.peek();
    if (first === 0x30) {
      this.pos++;
    } else if (first >= 0x31 && first <= 0x39) {
      this.digits();
    } else {
      throw this.invalid("bad number");
    }
    if (this.peek() === 0x2e) {
      this.pos++;
      if (this.digits() === 0) {
        throw this.invalid("bad number: no digit after '.'");
      }
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      this.pos++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) {
        this.pos++;
      }
      if (this.digits() === 0) {
        throw this.invalid("bad number: no exponent digit");
      }
    }
    const length = this.pos - start;
    if (length > this.limits.maxNumberLength) {
      throw new CanonicalJsonError(JsonProblem.NUMBER_TOO_LONG,
        `${length} characters exceeds ${this.limits.maxNumberLength} at character ${start}`);
    }
    return new JsonNumber(this.s.slice(start, this.pos));
  }

  literal(word: string, v: boolean | null): boolean | null {
    if (!this.s.startsWith(word, this.pos)) {
      throw this.invalid("unexpected character");
    }
    this.pos += word.length;
    return v;
  }
}

const NO_ARGUMENTS = "{}";
const BLANK = /^[ \t\n\r]*$/;

/**
 * The argument bytes of a tool call, signed, checked and compared as they are: JSON text (string
 * or UTF-8 bytes) is canonicalised as {@link canonicaliseObject} (numbers kept as written; blank
 * text, like `undefined` and `null`, means no arguments: `{}`), and a parsed value (a plain object
 * or `Map`) is written as {@link encodeCanonical}. Anything else is `not_an_object`; a canonical
 * form larger than `limits.maxBytes` is `oversized`.
 */
export function toolArguments(args: string | Uint8Array | JsonInput | undefined, limits: JsonLimits = DEFAULT_JSON_LIMITS): Uint8Array {
  if (args === undefined || args === null) {
    return ENCODER.encode(NO_ARGUMENTS);
  }
  if (typeof args === "string" || args instanceof Uint8Array) {
    const blank = typeof args === "string" ? BLANK.test(args) : args.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
    return blank ? ENCODER.encode(NO_ARGUMENTS) : canonicaliseObject(args, limits);
  }
  if (typeof args !== "object" || Array.isArray(args) || args instanceof JsonNumber) {
    throw new CanonicalJsonError(JsonProblem.NOT_AN_OBJECT, "tool arguments must be an object");
  }
  return bounded(encodeCanonical(args), checkLimits(limits));
}
