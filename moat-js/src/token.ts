import { encodeBase64Url, tryDecodeBase64Url } from "./base64url.js";
import { Domain, domainHash, publicKeyObject, randomBytes } from "./crypto.js";
import { MoatError, ReasonCode, malformed } from "./errors.js";
import { Fields } from "./fields.js";
import { Keypair, agentIdMatches, isAgentId } from "./identity.js";
import { JsonValue, bytesEqual, canonicalJsonBytes, parseJsonObject } from "./json.js";
import { Limits, LimitsInput, MAX_LIMIT_ITEMS, limitsFrom, limitsToJson, limitsViolation, makeLimits, UNLIMITED_COMPUTE_NO_IO } from "./limits.js";
import { ResourcePattern, isValidResource } from "./resources.js";
import { ANY_ACTION, MAX_ACTIONS, Scope, ScopeInput } from "./scope.js";
import { formatTime } from "./time.js";

/** At most this many allow and this many deny scopes per token. */
export const MAX_SCOPES = 64;
/** Default cap on delegation depth (a root is depth 0). */
export const DEFAULT_MAX_DEPTH = 8;

/** Size limits for untrusted token input (spec/PROTOCOL.md section 12). */
export interface TokenLimits {
  readonly maxTokenBytes: number;
  readonly maxLinks: number;
  readonly maxChainBytes: number;
}

/** 64 KiB per payload, 16 links, 1 MiB per chain. */
export const DEFAULT_TOKEN_LIMITS: TokenLimits = Object.freeze({ maxTokenBytes: 64 * 1024, maxLinks: 16, maxChainBytes: 1024 * 1024 });

/**
 * The claims of one capability token (spec/PROTOCOL.md section 6.1). Plain data: holding one
 * proves nothing; only {@link TokenVerifier} turns a chain into a {@link VerifiedCapability}.
 */
export interface TokenClaims {
  readonly id: string;
  readonly issuer: string;
  readonly issuerKey: Uint8Array;
  readonly subject: string;
  readonly parent: string | undefined;
  readonly depth: number;
  readonly allow: readonly Scope[];
  readonly deny: readonly Scope[];
  readonly limits: Limits;
  /** Issued at, epoch milliseconds. */
  readonly iat: number;
  /** Expiry (exclusive), epoch milliseconds. */
  readonly exp: number;
}

function checkClaims(c: TokenClaims): TokenClaims {
  if (!agentIdMatches(c.issuer, c.issuerKey)) {
    throw new RangeError("issuer id does not belong to the issuer key");
  }
  if (c.depth < 0) {
    throw new RangeError("depth must not be negative");
  }
  if ((c.depth === 0) !== (c.parent === undefined)) {
    throw new RangeError("a root token (depth 0) has no parent; a delegated one has one");
  }
  if (c.allow.length > MAX_SCOPES || c.deny.length > MAX_SCOPES) {
    throw new RangeError(`at most ${MAX_SCOPES} allow and ${MAX_SCOPES} deny scopes`);
  }
  if (!(c.exp > c.iat)) {
    throw new RangeError("expiry must be after issued-at");
  }
  return Object.freeze({ ...c, allow: Object.freeze([...c.allow]), deny: Object.freeze([...c.deny]) });
}

/** The canonical payload bytes of claims. */
export function encodeClaims(c: TokenClaims): Uint8Array {
  return canonicalJsonBytes({
    v: 1,
    id: c.id,
    issuer: c.issuer,
    issuer_key: encodeBase64Url(c.issuerKey),
    subject: c.subject,
    parent: c.parent,
    depth: c.depth,
    allow: c.allow.map((s) => s.toJSON()),
    deny: c.deny.map((s) => s.toJSON()),
    limits: limitsToJson(c.limits),
    iat: formatTime(c.iat),
    exp: formatTime(c.exp),
  });
}

const TOKEN_FIELDS = new Set(["v", "id", "issuer", "issuer_key", "subject", "parent", "depth", "allow", "deny", "limits", "iat", "exp"]);
const SCOPE_FIELDS = new Set(["resource", "actions"]);
const LIMIT_FIELDS = new Set(["fuel", "memory_bytes", "wall_time_ms", "network", "hosts", "fs_read", "fs_write"]);

function agentId(text: string): string {
  if (!isAgentId(text)) {
    throw new RangeError("not an agent id (expected agent: and 32 base32 characters)");
  }
  return text;
}

function scopesFrom(f: Fields, field: string): Scope[] {
  const out: Scope[] = [];
  for (const n of f.array(field, MAX_SCOPES)) {
    const s = Fields.of(n, "scope", SCOPE_FIELDS);
    const pattern = ResourcePattern.parse(s.string("resource"));
    out.push(Scope.from(pattern, s.strings("actions", MAX_ACTIONS)));
  }
  return out;
}

function limitsOf(node: JsonValue): Limits {
  const f = Fields.of(node, "limits", LIMIT_FIELDS);
  const wall = f.optionalInteger("wall_time_ms");
  const fuel = f.optionalInteger("fuel");
  const memoryBytes = f.optionalInteger("memory_bytes");
  const network = f.bool("network");
  const hosts = f.strings("hosts", MAX_LIMIT_ITEMS);
  const fsRead = f.strings("fs_read", MAX_LIMIT_ITEMS);
  const fsWrite = f.strings("fs_write", MAX_LIMIT_ITEMS);
  if (wall !== undefined && (wall < 0n || wall > 31_622_400_000n)) {
    throw new RangeError("wall_time_ms must be between 0 and 366 days");
  }
  return makeLimits({ fuel, memoryBytes, wallTimeMs: wall === undefined ? undefined : Number(wall), network, hosts, fsRead, fsWrite });
}

/** Decodes claims from a parsed payload object (`TokenCodec.fromJson`), refusing as moat-core does. */
function claimsFromJson(node: JsonValue): TokenClaims {
  const f = Fields.of(node, "token", TOKEN_FIELDS);
  if (f.integer("v") !== 1n) {
    throw malformed("token: unsupported version");
  }
  try {
    const id = f.string("id");
    const idBytes = tryDecodeBase64Url(id);
    if (idBytes === null) {
      throw new RangeError("base64url: invalid");
    }
    if (idBytes.length !== 16) {
      throw malformed("token: id must be 16 bytes");
    }
    const issuerKey = f.bytes("issuer_key", 32);
    if (publicKeyObject(issuerKey) === null) {
      throw new RangeError("Ed25519 public key is not a valid curve point");
    }
    const depth = f.integer("depth");
    if (depth < 0n || depth > 1024n) {
      throw malformed("token: depth out of range");
    }
    const issuer = agentId(f.string("issuer"));
    if (!agentIdMatches(issuer, issuerKey)) {
      throw new MoatError(ReasonCode.ID_KEY_MISMATCH, "token: issuer id is not derived from issuer_key");
    }
    const subject = agentId(f.string("subject"));
    const parent = f.optionalString("parent");
    const allow = scopesFrom(f, "allow");
    const deny = scopesFrom(f, "deny");
    const limits = limitsOf(f.value("limits"));
    const iat = f.time("iat");
    const exp = f.time("exp");
    return checkClaims({ id, issuer, issuerKey, subject, parent, depth: Number(depth), allow, deny, limits, iat, exp });
  } catch (e) {
    if (e instanceof MoatError) {
      throw e;
    }
    if (e instanceof RangeError) {
      throw malformed(`token: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Decodes a payload: strict parse (at most `maxPayloadBytes`), claims, then the bytes must be
 * exactly the canonical encoding of the claims (`SignedToken.decodeClaims`).
 */
export function decodeClaims(payload: Uint8Array, maxPayloadBytes: number = DEFAULT_TOKEN_LIMITS.maxTokenBytes): TokenClaims {
  const claims = claimsFromJson(parseJsonObject(payload, maxPayloadBytes, "token payload"));
  if (!bytesEqual(encodeClaims(claims), payload)) {
    throw malformed("token payload is not in canonical form");
  }
  return claims;
}

/**
 * Evaluates a request on one token's own scopes (spec/PROTOCOL.md section 6.4): `null` when
 * allowed, else `invalid_resource`, `explicitly_denied` or `not_granted`. Denials win.
 */
export function evaluateClaims(t: TokenClaims, resource: string, action: string): ReasonCode | null {
  if (typeof resource !== "string" || typeof action !== "string" || action.length === 0 || action === ANY_ACTION ||
      !isValidResource(resource)) {
    return ReasonCode.INVALID_RESOURCE;
  }
  for (const d of t.deny) {
    if (d.matches(resource, action)) {
      return ReasonCode.EXPLICITLY_DENIED;
    }
  }
  for (const a of t.allow) {
    if (a.matches(resource, action)) {
      return null;
    }
  }
  return ReasonCode.NOT_GRANTED;
}

/**
 * The first attenuation rule `child` breaks against `parent` (spec/PROTOCOL.md section 8), or
 * null: `scope`, `actions`, `denials`, `limit.*`, `expiry`, `issued_at`.
 */
export function attenuationViolation(parent: TokenClaims, child: TokenClaims): string | null {
  for (const c of child.allow) {
    let covered = false;
    let resourceCovered = false;
    for (const p of parent.allow) {
      if (p.covers(c)) {
        covered = true;
        break;
      }
      resourceCovered ||= p.pattern.covers(c.pattern);
    }
    if (!covered) {
      return resourceCovered ? "actions" : "scope";
    }
  }
  for (const d of parent.deny) {
    if (!child.deny.some((x) => x.equals(d))) {
      return "denials";
    }
  }
  const limit = limitsViolation(child.limits, parent.limits);
  if (limit !== null) {
    return limit;
  }
  if (child.exp > parent.exp) {
    return "expiry";
  }
  if (child.iat < parent.iat) {
    return "issued_at";
  }
  return null;
}

const RULES: Record<string, string> = {
  scope: "a granted resource is not covered by the parent's scopes",
  actions: "a granted action is not allowed by the parent on that resource",
  denials: "a parent denial was dropped",
  expiry: "the child expires after its parent",
  issued_at: "the child is issued before its parent",
  "limit.fuel": "fuel limit is looser than the parent's",
  "limit.memory": "memory limit is looser than the parent's",
  "limit.wall_time": "wall-time limit is looser than the parent's",
  "limit.network": "network egress is allowed but the parent forbids it",
  "limit.hosts": "an egress host is not allowed by the parent",
  "limit.fs_read": "a read path is outside the parent's read paths",
  "limit.fs_write": "a write path is outside the parent's write paths",
};

/** A one-line explanation of an attenuation rule. */
export function describeRule(rule: string): string {
  return RULES[rule] ?? rule;
}

/** One link as it travels: issuer key, exact payload bytes, signature. Unverified. */
export interface SignedToken {
  readonly key: Uint8Array;
  readonly payload: Uint8Array;
  readonly sig: Uint8Array;
}

/** What an issuer grants: subject, scopes, limits and lifetime. Expiry is required. */
export interface Grant {
  readonly subject: string;
  readonly allow: readonly ScopeInput[];
  readonly deny?: readonly ScopeInput[];
  /** When delegating, leaving this out inherits the parent's limits. */
  readonly limits?: LimitsInput;
  /** Epoch ms; defaults to `clock()`. */
  readonly issuedAt?: number;
  /** Epoch ms; or give `validForMs`. */
  readonly expiresAt?: number;
  readonly validForMs?: number;
  /** Defaults to `Date.now`. */
  readonly clock?: () => number;
}

function newId(): string {
  return encodeBase64Url(randomBytes(16));
}

function grantTimes(g: Grant): { iat: number; exp: number } {
  const iat = Math.floor(g.issuedAt ?? (g.clock ?? Date.now)());
  let exp: number;
  if (g.expiresAt !== undefined) {
    exp = Math.floor(g.expiresAt);
  } else {
    if (g.validForMs === undefined || !(g.validForMs > 0)) {
      throw new RangeError("a grant needs a positive lifetime or an expiry");
    }
    exp = iat + Math.floor(g.validForMs);
  }
  return { iat, exp };
}

function scopesOf(list: readonly ScopeInput[] | undefined): Scope[] {
  return (list ?? []).map((s) => Scope.of(s.resource, s.actions));
}

function checkGrant(g: Grant): void {
  if (!isAgentId(g.subject)) {
    throw new RangeError("grant subject is not an agent id");
  }
  if (!g.allow || g.allow.length === 0) {
    throw new RangeError("a grant needs at least one allowed scope");
  }
}

/** Runs local (trusted) construction code, turning RangeErrors into `malformed` MoatErrors. */
function building<T>(body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) {
      throw malformed(e.message);
    }
    throw e;
  }
}

const MAX_DECODED_LEAVES = 4096;
const DECODED_LEAVES = new Map<string, TokenClaims>();

/**
 * A capability as it travels: signed links, root first. Wire form (canonical JSON)
 * `{"chain":[{"key","payload","sig"},...],"v":1}`. Immutable. New links only through
 * {@link issueToken} and {@link TokenChain.delegate}, which enforce attenuation.
 */
export class TokenChain {
  readonly links: readonly SignedToken[];
  #encoded: Uint8Array | undefined;
  #hash: Uint8Array | undefined;
  #leaf: TokenClaims | MoatError | undefined;

  private constructor(links: readonly SignedToken[]) {
    this.links = Object.freeze([...links]);
  }

  /** @internal */
  static of(links: readonly SignedToken[]): TokenChain {
    return new TokenChain(links);
  }

  /**
   * Parses the wire form (spec/PROTOCOL.md section 7). Form only: nothing is trusted yet.
   * Throws MoatError (`oversized`, `malformed`).
   */
  static parse(bytes: Uint8Array | string, limits: TokenLimits = DEFAULT_TOKEN_LIMITS): TokenChain {
    const b = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    return parsing(() => {
      const node = parseJsonObject(b, limits.maxChainBytes, "token chain");
      const chain = TokenChain.fromJson(node, limits);
      if (!bytesEqual(chain.encoded(), b)) {
        throw malformed("token chain is not in canonical form");
      }
      return chain;
    });
  }

  /** @internal Decodes a chain from a parsed tree (envelopes embed one). */
  static fromJson(node: JsonValue, limits: TokenLimits): TokenChain {
    const f = Fields.of(node, "token chain", CHAIN_FIELDS);
    if (f.integer("v") !== 1n) {
      throw malformed("token chain: unsupported version");
    }
    const items = f.array("chain", limits.maxLinks);
    if (items.length === 0) {
      throw malformed("token chain: empty");
    }
    const links: SignedToken[] = [];
    for (const n of items) {
      const l = Fields.of(n, "signed token", LINK_FIELDS);
      const key = l.bytes("key", -1);
      const payload = l.bytes("payload", -1);
      const sig = l.bytes("sig", -1);
      if (payload.length > limits.maxTokenBytes) {
        throw new MoatError(ReasonCode.OVERSIZED, `token payload exceeds ${limits.maxTokenBytes} bytes`);
      }
      links.push(Object.freeze({ key, payload, sig }));
    }
    return new TokenChain(links);
  }

  get size(): number {
    return this.links.length;
  }

  /** The canonical wire bytes. */
  encoded(): Uint8Array {
    if (this.#encoded === undefined) {
      this.#encoded = canonicalJsonBytes({
        chain: this.links.map((t) => ({ key: encodeBase64Url(t.key), payload: encodeBase64Url(t.payload), sig: encodeBase64Url(t.sig) })),
        v: 1,
      });
    }
    return this.#encoded;
  }

  /** The wire form as text. */
  toJson(): string {
    return new TextDecoder().decode(this.encoded());
  }

  /** `hash("moat/v1/chain", encoded())`. */
  hash(): Uint8Array {
    if (this.#hash === undefined) {
      this.#hash = domainHash(Domain.CHAIN, this.encoded());
    }
    return this.#hash;
  }

  /** The claims of link `i`, decoded without verification (default payload limit). */
  claimsAt(i: number): TokenClaims {
    const link = this.links[i];
    if (link === undefined) {
      throw malformed(`token chain has no link ${i}`);
    }
    return parsing(() => decodeClaims(link.payload));
  }

  /** The leaf's claims, decoded without verification (cached by chain hash). Throws MoatError. */
  leafClaims(): TokenClaims {
    if (this.#leaf === undefined) {
      const key = encodeBase64Url(this.hash());
      const known = DECODED_LEAVES.get(key);
      if (known !== undefined) {
        this.#leaf = known;
      } else {
        try {
          const c = this.claimsAt(this.links.length - 1);
          if (DECODED_LEAVES.size >= MAX_DECODED_LEAVES) {
            DECODED_LEAVES.clear();
          }
          DECODED_LEAVES.set(key, c);
          this.#leaf = c;
        } catch (e) {
          this.#leaf = e instanceof MoatError ? e : malformed("token: undecodable");
        }
      }
    }
    if (this.#leaf instanceof MoatError) {
      throw this.#leaf;
    }
    return this.#leaf;
  }

  /**
   * Delegates a narrower capability: `holder` must be the leaf's subject; the parent's denials are
   * carried over; unset limits inherit the parent's. Throws MoatError with `rule` set when the
   * grant would broaden the leaf (`broadened`), when the holder is not the subject (rule
   * `issuer`, code `broken_chain`) or the depth cap is exceeded (rule `depth`, `depth_exceeded`).
   */
  delegate(holder: Keypair, grant: Grant, maxDepth: number = DEFAULT_MAX_DEPTH): TokenChain {
    const parent = this.leafClaims();
    if (parent.subject !== holder.id) {
      throw new MoatError(ReasonCode.BROKEN_CHAIN, `only the leaf's subject (${parent.subject}) can delegate`, { rule: "issuer" });
    }
    const child = building(() => {
      checkGrant(grant);
      const { iat, exp } = grantTimes(grant);
      const deny = [...parent.deny];
      for (const d of scopesOf(grant.deny)) {
        if (!deny.some((x) => x.equals(d))) {
          deny.push(d);
        }
      }
      return checkClaims({
        id: newId(), issuer: holder.id, issuerKey: holder.publicKey, subject: grant.subject, parent: parent.id,
        depth: parent.depth + 1, allow: scopesOf(grant.allow), deny,
        limits: grant.limits === undefined ? parent.limits : limitsFrom(grant.limits), iat, exp,
      });
    });
    const rule = attenuationViolation(parent, child);
    if (rule !== null) {
      throw new MoatError(ReasonCode.BROADENED, `attenuation rule '${rule}' violated: ${describeRule(rule)}`, { rule });
    }
    if (child.depth > maxDepth) {
      throw new MoatError(ReasonCode.DEPTH_EXCEEDED, `delegation depth ${child.depth} exceeds the cap of ${maxDepth}`, { rule: "depth" });
    }
    return new TokenChain([...this.links, sign(child, holder)]);
  }

  toString(): string {
    return `TokenChain[links=${this.links.length}]`;
  }
}

const CHAIN_FIELDS = new Set(["v", "chain"]);
const LINK_FIELDS = new Set(["key", "payload", "sig"]);

function sign(claims: TokenClaims, issuer: Keypair): SignedToken {
  const payload = encodeClaims(claims);
  return Object.freeze({ key: issuer.publicKey, payload, sig: issuer.sign(Domain.TOKEN, payload) });
}

/** Parsing of untrusted input: MoatErrors pass, anything unforeseen is `malformed`. */
function parsing<T>(body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof MoatError) {
      throw e;
    }
    throw malformed(`token chain: ${e instanceof Error ? e.name : "error"}`);
  }
}

/** Issues a root token: `issuer` grants `grant` to its subject. Throws MoatError (malformed) on bad input. */
export function issueToken(issuer: Keypair, grant: Grant): TokenChain {
  const claims = building(() => {
    checkGrant(grant);
    const { iat, exp } = grantTimes(grant);
    return checkClaims({
      id: newId(), issuer: issuer.id, issuerKey: issuer.publicKey, subject: grant.subject, parent: undefined, depth: 0,
      allow: scopesOf(grant.allow), deny: scopesOf(grant.deny),
      limits: grant.limits === undefined ? UNLIMITED_COMPUTE_NO_IO : limitsFrom(grant.limits), iat, exp,
    });
  });
  return TokenChain.of([sign(claims, issuer)]);
}
