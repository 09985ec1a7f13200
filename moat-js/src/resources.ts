/**
 * Resource names and patterns (spec/PROTOCOL.md section 5), as moat-core's `Resources` and
 * `ResourcePattern`: normal form, segment matching, and coverage between patterns.
 */
export const MAX_RESOURCE_LENGTH = 1024;
export const MAX_SEGMENTS = 64;
const ONE = "*";
const ANY_TAIL = "**";
const PATTERN_SCHEME = /^[a-z][a-z0-9+.-]{0,31}$/;
// Per UTF-16 code unit, as Java's Character tests on a char: whitespace, space separators,
// ISO controls and format characters (general category Cf) in the Basic Multilingual Plane;
// surrogate pairs are then judged as one code point (format, default-ignorable, unassigned).
const REFUSED_UNIT = /^[\p{Zs}\p{Zl}\p{Zp}\p{Cf}\u0085\u0080-\u009f]$/u;

// A code point above U+FFFF (judged whole, not per surrogate): format (Cf) or unassigned (Cn).
const REFUSED_ASTRAL = /^[\p{Cf}\p{Cn}]$/u;

function refusedUnit(c: number): boolean {
  if (c <= 0x20 || (c >= 0x7f && c <= 0x9f)) {
    return true;
  }
  if (c < 0xa0 || (c >= 0xd800 && c <= 0xdfff)) {
    return false;
  }
  return REFUSED_UNIT.test(String.fromCharCode(c)) || isDefaultIgnorable(c);
}

/**
 * Unicode's Default_Ignorable_Code_Point ranges that are not already format characters (Cf):
 * rendered as nothing, so `tool://pay/admin` followed by one looks like `tool://pay/admin`
 * (Unicode 15 DerivedCoreProperties.txt, as moat-core's `Resources.isDefaultIgnorable`).
 */
export function isDefaultIgnorable(cp: number): boolean {
  return cp === 0x00ad || cp === 0x034f || cp === 0x061c || cp === 0x115f || cp === 0x1160
    || cp === 0x17b4 || cp === 0x17b5 || (cp >= 0x180b && cp <= 0x180f)
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f)
    || cp === 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || cp === 0xffa0 || (cp >= 0xfff0 && cp <= 0xfff8)
    || (cp >= 0x1bca0 && cp <= 0x1bca3) || (cp >= 0x1d173 && cp <= 0x1d17a) || (cp >= 0xe0000 && cp <= 0xe0fff);
}

/** Null when `text` is in normal form (as a pattern when `pattern`), else the first problem. */
export function resourceProblem(text: unknown, pattern: boolean): string | null {
  if (typeof text !== "string" || text.length === 0) {
    return "empty";
  }
  if (text.length > MAX_RESOURCE_LENGTH) {
    return `longer than ${MAX_RESOURCE_LENGTH} characters`;
  }
  const sep = text.indexOf("://");
  if (sep <= 0) {
    return "missing scheme://";
  }
  for (let i = 0; i < sep; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d)))) {
      return "bad scheme";
    }
  }
  const start = sep + 3;
  const n = text.length;
  if (start === n) {
    return "no path after scheme://";
  }
  let segments = 0;
  let segStart = start;
  for (let i = start; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0x2f;
    if (c === 0x2f) {
      const len = i - segStart;
      if (len === 0 && !(segStart === start && i < n)) {
        return "empty segment";
      }
      if (len === 1 && text.charCodeAt(segStart) === 0x2e) {
        return "'.' segment";
      }
      if (len === 2 && text.charCodeAt(segStart) === 0x2e && text.charCodeAt(segStart + 1) === 0x2e) {
        return "'..' segment";
      }
      if (++segments > MAX_SEGMENTS) {
        return `more than ${MAX_SEGMENTS} segments`;
      }
      segStart = i + 1;
      continue;
    }
    if (c === 0x25) {
      return "percent-encoding is not allowed";
    }
    if (c === 0x5c) {
      return "backslash is not allowed";
    }
    if (refusedUnit(c)) {
      return "whitespace, control or format character";
    }
    if (c >= 0xd800 && c <= 0xdfff) { // judge the whole code point: U+E0001 (a tag, Cf) is a surrogate pair
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        return "unpaired surrogate";
      }
      const cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      if (REFUSED_ASTRAL.test(String.fromCodePoint(cp)) || isDefaultIgnorable(cp)) {
        return `format, default-ignorable or unassigned character U+${cp.toString(16).toUpperCase()}`;
      }
      i++;
    }
    if (c === 0x2a && !pattern) {
      return "'*' is only allowed in patterns";
    }
  }
  return null;
}

/** True when `resource` is a requested resource in normal form. */
export function isValidResource(resource: unknown): resource is string {
  return resourceProblem(resource, false) === null;
}

/**
 * A resource pattern such as `tool://send_email`, `tool://*`+`/read` or `file:///data/**`: `*`
 * matches exactly one non-empty segment, `**` (last segment only) any tail including none.
 */
export class ResourcePattern {
  private constructor(
    /** The pattern text. */
    readonly text: string,
    private readonly prefix: string,
    private readonly segments: readonly string[],
  ) {}

  /** Parses a pattern; throws a RangeError naming the problem. */
  static parse(text: string): ResourcePattern {
    const p = ResourcePattern.problem(text);
    if (p !== null) {
      throw new RangeError(`invalid resource pattern '${clip(text)}': ${p}`);
    }
    const sep = text.indexOf("://");
    return new ResourcePattern(text, text.slice(0, sep + 3), text.slice(sep + 3).split("/"));
  }

  /** Null when `text` is a valid pattern, else the problem. */
  static problem(text: unknown): string | null {
    const problem = resourceProblem(text, true);
    if (problem !== null) {
      return problem;
    }
    const t = text as string;
    const sep = t.indexOf("://");
    if (!PATTERN_SCHEME.test(t.slice(0, sep))) {
      return "bad scheme";
    }
    const segs = t.slice(sep + 3).split("/");
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      if (s === ANY_TAIL && i !== segs.length - 1) {
        return "** must be the last segment";
      }
      if (s.includes("*") && s !== ONE && s !== ANY_TAIL) {
        return "* must be a whole segment";
      }
    }
    return null;
  }

  /** True when `resource` (already in normal form) matches. */
  matches(resource: string): boolean {
    const prefix = this.prefix;
    if (!resource.startsWith(prefix)) {
      return false;
    }
    let pos = prefix.length;
    const n = resource.length;
    for (const seg of this.segments) {
      if (seg === ANY_TAIL) {
        return true;
      }
      if (pos > n) {
        return false;
      }
      let end = resource.indexOf("/", pos);
      if (end < 0) {
        end = n;
      }
      const len = end - pos;
      if (seg === ONE) {
        if (len === 0) {
          return false;
        }
      } else if (len !== seg.length || !resource.startsWith(seg, pos)) {
        return false;
      }
      pos = end + 1;
    }
    return pos > n;
  }

  /** True when every resource `narrower` matches is matched by this pattern. */
  covers(narrower: ResourcePattern): boolean {
    if (this.prefix !== narrower.prefix) {
      return false;
    }
    const p = this.segments;
    const q = narrower.segments;
    for (let i = 0; ; i++) {
      if (i < p.length && p[i] === ANY_TAIL) {
        return true;
      }
      if (i === p.length || i === q.length) {
        return i === p.length && i === q.length;
      }
      const qi = q[i]!;
      const pi = p[i]!;
      if (qi === ANY_TAIL) {
        return false;
      }
      if (qi === ONE) {
        if (pi !== ONE) {
          return false;
        }
      } else if (pi === ONE ? qi.length === 0 : pi !== qi) {
        return false;
      }
    }
  }

  toString(): string {
    return this.text;
  }
}

/** Clips text for messages. */
export function clip(s: unknown): string {
  if (typeof s !== "string") {
    return String(s);
  }
  return s.length > 80 ? s.slice(0, 80) + "..." : s;
}
