
/**
 * What a token lets a sandboxed tool consume (spec/PROTOCOL.md section 6.2), as moat-core's
 * `ResourceLimits`. An absent number means "no limit" (never zero).
 */
export interface Limits {
  readonly fuel?: bigint;
  readonly memoryBytes?: bigint;
  readonly wallTimeMs?: number;
  readonly network: boolean;
  readonly hosts: readonly string[];
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
}

/** Limits as a caller writes them; numbers may be given as number or bigint. */
export interface LimitsInput {
  readonly fuel?: bigint | number;
  readonly memoryBytes?: bigint | number;
  readonly wallTimeMs?: number;
  /** Egress allow-list; network is allowed exactly when it is non-empty. */
  readonly hosts?: readonly string[];
  readonly fsRead?: readonly string[];
  readonly fsWrite?: readonly string[];
}

export const MAX_LIMIT_ITEMS = 64;
const MAX_WALL_MS = 366 * 24 * 3600 * 1000;
const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?$/;

/** No numeric limits, no network, no filesystem. */
export const UNLIMITED_COMPUTE_NO_IO: Limits = Object.freeze({ network: false, hosts: [], fsRead: [], fsWrite: [] });

/** Validates an absolute path in normal form; returns it without a trailing `/`. */
export function normalisePath(path: string): string {
  if (typeof path !== "string" || path.length === 0 || path[0] !== "/" || path.length > 4096) {
    throw new RangeError("path must be absolute");
  }
  if (path === "/") {
    return path;
  }
  const p = path.endsWith("/") ? path.slice(0, -1) : path;
  for (const seg of p.slice(1).split("/")) {
    if (seg.length === 0 || seg === "." || seg === ".." || seg.includes("\\") || seg.includes("\0")) {
      throw new RangeError(`path is not in normal form: ${path}`);
    }
  }
  return p;
}

function paths(list: readonly string[] | undefined, name: string): string[] {
  if (list === undefined) {
    return [];
  }
  if (list.length > MAX_LIMIT_ITEMS) {
    throw new RangeError(`too many ${name} (max ${MAX_LIMIT_ITEMS})`);
  }
  const out: string[] = [];
  for (const p of list) {
    const n = normalisePath(p);
    if (!out.includes(n)) {
      out.push(n);
    }
  }
  return out;
}

function hosts(list: readonly string[] | undefined): string[] {
  if (list === undefined) {
    return [];
  }
  if (list.length > MAX_LIMIT_ITEMS) {
    throw new RangeError(`too many hosts (max ${MAX_LIMIT_ITEMS})`);
  }
  const out: string[] = [];
  for (const h of list) {
    if (typeof h !== "string") {
      throw new RangeError("invalid host pattern");
    }
    const lower = h.toLowerCase();
    if (lower.length > 253 || !HOST.test(lower)) {
      throw new RangeError(`invalid host pattern: ${h}`);
    }
    if (!out.includes(lower)) {
      out.push(lower);
    }
  }
  return out;
}

function nonNegative(v: bigint | number | undefined, name: string): bigint | undefined {
  if (v === undefined) {
    return undefined;
  }
  const b = typeof v === "bigint" ? v : Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (b === undefined || b < 0n || b > 2n ** 63n - 1n) {
    throw new RangeError(`${name} must be a non-negative 64-bit integer`);
  }
  return b;
}

/**
 * Builds validated limits (the `ResourceLimits` constructor): throws RangeError when a value is
 * out of range, a host or path is not in normal form, or network and hosts disagree.
 */
export function makeLimits(v: {
  fuel?: bigint | number | undefined;
  memoryBytes?: bigint | number | undefined;
  wallTimeMs?: number | bigint | undefined;
  network: boolean;
  hosts?: readonly string[] | undefined;
  fsRead?: readonly string[] | undefined;
  fsWrite?: readonly string[] | undefined;
}): Limits {
  const fuel = nonNegative(v.fuel, "fuel");
  const memoryBytes = nonNegative(v.memoryBytes, "memoryBytes");
  let wallTimeMs: number | undefined;
  if (v.wallTimeMs !== undefined) {
    const w = Number(v.wallTimeMs);
    if (!Number.isSafeInteger(w) || w < 0 || w > MAX_WALL_MS) {
      throw new RangeError("wallTimeMs must be between 0 and 366 days");
    }
    wallTimeMs = w;
  }
  const h = hosts(v.hosts);
  if (!v.network && h.length > 0) {
    throw new RangeError("hosts given but network is not allowed");
  }
  if (v.network && h.length === 0) {
    throw new RangeError("network allowed but no host is listed (egress needs an allow-list)");
  }
  const out: { -readonly [K in keyof Limits]: Limits[K] } = {
    network: v.network,
    hosts: Object.freeze(h),
    fsRead: Object.freeze(paths(v.fsRead, "fsRead")),
    fsWrite: Object.freeze(paths(v.fsWrite, "fsWrite")),
  };
  if (fuel !== undefined) out.fuel = fuel;
  if (memoryBytes !== undefined) out.memoryBytes = memoryBytes;
  if (wallTimeMs !== undefined) out.wallTimeMs = wallTimeMs;
  return Object.freeze(out);
}

/** Limits from caller input (network allowed exactly when hosts are listed). */
export function limitsFrom(input: LimitsInput): Limits {
  return makeLimits({ ...input, network: (input.hosts ?? []).length > 0 });
}

function numberWithin(child: bigint | number | undefined, parent: bigint | number | undefined): boolean {
  if (parent === undefined) {
    return true;
  }
  return child !== undefined && child <= parent;
}

function under(path: string, roots: readonly string[]): boolean {
  for (const root of roots) {
    if (path === root || root === "/" || path.startsWith(root + "/")) {
      return true;
    }
  }
  return false;
}

/** True when egress to `host` is allowed (`*.example.com` covers strict subdomains only). */
export function hostAllowed(limits: Limits, host: string): boolean {
  if (!limits.network || typeof host !== "string") {
    return false;
  }
  const h = host.toLowerCase();
  for (const allowed of limits.hosts) {
    if (allowed === h) {
      return true;
    }
    if (allowed.startsWith("*.")) {
      const suffix = allowed.slice(1);
      const candidate = h.startsWith("*.") ? h.slice(1) : h;
      if (candidate.endsWith(suffix) && candidate.length > suffix.length) {
        return true;
      }
    }
  }
  return false;
}

/** True when `path` lies at or below a granted read or write path. */
export function canRead(limits: Limits, path: string): boolean {
  return under(path, limits.fsRead) || under(path, limits.fsWrite);
}

/** True when `path` lies at or below a granted write path. */
export function canWrite(limits: Limits, path: string): boolean {
  return under(path, limits.fsWrite);
}

/** The first dimension in which `child` is broader than `parent` (`limit.*`), or null. */
export function limitsViolation(child: Limits, parent: Limits): string | null {
  if (!numberWithin(child.fuel, parent.fuel)) return "limit.fuel";
  if (!numberWithin(child.memoryBytes, parent.memoryBytes)) return "limit.memory";
  if (!numberWithin(child.wallTimeMs, parent.wallTimeMs)) return "limit.wall_time";
  if (child.network && !parent.network) return "limit.network";
  for (const h of child.hosts) {
    if (!hostAllowed(parent, h)) return "limit.hosts";
  }
  for (const p of child.fsRead) {
    if (!under(p, parent.fsRead)) return "limit.fs_read";
  }
  for (const p of child.fsWrite) {
    if (!under(p, parent.fsWrite)) return "limit.fs_write";
  }
  return null;
}

/** The canonical JSON object of limits. */
export function limitsToJson(l: Limits): Record<string, bigint | number | boolean | string[] | undefined> {
  return {
    fuel: l.fuel,
    memory_bytes: l.memoryBytes,
    wall_time_ms: l.wallTimeMs,
    network: l.network,
    hosts: [...l.hosts],
    fs_read: [...l.fsRead],
    fs_write: [...l.fsWrite],
  };
}

