import { tryDecodeBase64Url } from "./base64url.js";
import { MoatError, ReasonCode, malformed } from "./errors.js";
import { JsonObject, JsonValue } from "./json.js";
import { tryParseTime } from "./time.js";

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + "..." : s;
}

/**
 * Typed, strict access to the fields of one JSON object, as moat-core's `JsonFields`: unknown
 * fields are refused up front, required fields must be present (not null) with the right type.
 */
export class Fields {
  private constructor(private readonly node: JsonObject, private readonly what: string) {}

  static of(node: JsonValue | undefined, what: string, allowed: ReadonlySet<string>): Fields {
    if (!(node instanceof Map)) {
      throw malformed(`${what}: expected an object`);
    }
    for (const k of node.keys()) {
      if (!allowed.has(k)) {
        throw malformed(`${what}: unknown field '${clip(k)}'`);
      }
    }
    return new Fields(node, what);
  }

  has(field: string): boolean {
    const v = this.node.get(field);
    return v !== undefined && v !== null;
  }

  value(field: string): JsonValue {
    const v = this.node.get(field);
    if (v === undefined || v === null) {
      throw malformed(`${this.what}: missing field '${field}'`);
    }
    return v;
  }

  string(field: string): string {
    const v = this.value(field);
    if (typeof v !== "string") {
      throw malformed(`${this.what}: field '${field}' must be a string`);
    }
    return v;
  }

  optionalString(field: string): string | undefined {
    return this.has(field) ? this.string(field) : undefined;
  }

  /** An integer in the signed 64-bit range, as a bigint. */
  integer(field: string): bigint {
    const v = this.value(field);
    if (typeof v === "number") {
      return BigInt(v);
    }
    if (typeof v === "bigint") {
      return v;
    }
    throw malformed(`${this.what}: field '${field}' must be an integer`);
  }

  optionalInteger(field: string): bigint | undefined {
    return this.has(field) ? this.integer(field) : undefined;
  }

  bool(field: string): boolean {
    const v = this.value(field);
    if (typeof v !== "boolean") {
      throw malformed(`${this.what}: field '${field}' must be a boolean`);
    }
    return v;
  }

  /** Base64url bytes; `exactLength` < 0 for any length. */
  bytes(field: string, exactLength: number): Uint8Array {
    const b = tryDecodeBase64Url(this.string(field));
    if (b === null) {
      throw malformed(`${this.what}: field '${field}' is not base64url`);
    }
    if (exactLength >= 0 && b.length !== exactLength) {
      throw malformed(`${this.what}: field '${field}' must be ${exactLength} bytes, got ${b.length}`);
    }
    return b;
  }

  /** A canonical wire time, as epoch milliseconds. */
  time(field: string): number {
    const t = tryParseTime(this.string(field));
    if (t === null) {
      throw malformed(`${this.what}: field '${field}' is not an RFC 3339 UTC time`);
    }
    return t;
  }

  array(field: string, maxItems: number): JsonValue[] {
    const v = this.value(field);
    if (!Array.isArray(v)) {
      throw malformed(`${this.what}: field '${field}' must be an array`);
    }
    if (v.length > maxItems) {
      throw new MoatError(ReasonCode.OVERSIZED, `${this.what}: field '${field}' has more than ${maxItems} items`);
    }
    return v;
  }

  strings(field: string, maxItems: number): string[] {
    const out: string[] = [];
    for (const v of this.array(field, maxItems)) {
      if (typeof v !== "string") {
        throw malformed(`${this.what}: field '${field}' must hold strings`);
      }
      out.push(v);
    }
    return out;
  }
}

