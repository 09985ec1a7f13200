import { Domain, constantTimeEqual, publicKeyObject, verifyFramed } from "./crypto.js";
import { MoatError, ReasonCode } from "./errors.js";
import { agentIdMatches } from "./identity.js";
import { Limits } from "./limits.js";
import {
  DEFAULT_MAX_DEPTH, DEFAULT_TOKEN_LIMITS, TokenChain, TokenClaims, TokenLimits, attenuationViolation, decodeClaims,
  describeRule, evaluateClaims,
} from "./token.js";
import { formatTime } from "./time.js";

const CONSTRUCT = Symbol("VerifiedCapability");

/** Consulted at every link: a revoked issuer, subject or token id refuses the whole chain. */
export interface RevocationCheck {
  isAgentRevoked(agentId: string): boolean;
  isTokenRevoked(tokenId: string): boolean;
}

/** Nothing is revoked. */
export const NO_REVOCATION: RevocationCheck = Object.freeze({ isAgentRevoked: () => false, isTokenRevoked: () => false });

/** A revocation list from sets of agent ids and token ids. */
export function revocationList(agents: Iterable<string> = [], tokens: Iterable<string> = []): RevocationCheck {
  const a = new Set(agents);
  const t = new Set(tokens);
  return { isAgentRevoked: (id) => a.has(id), isTokenRevoked: (id) => t.has(id) };
}

/** Options of a {@link TokenVerifier}. Nothing is trusted until a root is named. */
export interface VerifierOptions {
  /** Trusted root issuers: agent ids, or a live predicate. */
  readonly trustedRoots: Iterable<string> | ((agentId: string) => boolean);
  /** The clock, epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Delegation depth cap, 0 to 64 (default 8). */
  readonly maxDepth?: number;
  /** How far in the future an issued-at may lie, 0 to 300 000 ms (default 30 000). */
  readonly maxClockSkewMs?: number;
  readonly revocation?: RevocationCheck;
  readonly limits?: TokenLimits;
}

/**
 * A chain that {@link TokenVerifier} checked end to end. Only the verifier constructs one.
 */
export class VerifiedCapability {
  /** The leaf's claims. */
  readonly leaf: TokenClaims;
  /** The earliest expiry along the chain (exclusive), epoch ms. */
  readonly notAfter: number;

  /** @internal Only {@link TokenVerifier} holds the key that constructs one. */
  constructor(key: symbol, readonly chain: TokenChain, readonly links: readonly TokenClaims[]) {
    if (key !== CONSTRUCT) {
      throw new TypeError("a VerifiedCapability comes only from TokenVerifier");
    }
    this.leaf = links[links.length - 1]!;
    this.notAfter = Math.min(...links.map((t) => t.exp));
  }

  /** Who may use this capability (the leaf's subject). */
  get subject(): string {
    return this.leaf.subject;
  }

  /** The trusted root issuer. */
  get rootIssuer(): string {
    return this.links[0]!.issuer;
  }

  /** The limits that apply (the leaf's). */
  get limits(): Limits {
    return this.leaf.limits;
  }

  /** `null` when the leaf allows `action` on `resource`, else the reason code (section 6.4). */
  evaluate(resource: string, action: string): ReasonCode | null {
    return evaluateClaims(this.leaf, resource, action);
  }

  isActionAllowed(resource: string, action: string): boolean {
    return this.evaluate(resource, action) === null;
  }

  toString(): string {
    return `VerifiedCapability[subject=${this.subject}, root=${this.rootIssuer}, links=${this.links.length}]`;
  }
}

/**
 * Verifies token chains offline with every check of moat-core's `TokenVerifier`, in its order
 * (spec/PROTOCOL.md section 9). `verify` throws a {@link MoatError} naming the failing `link`;
 * an unexpected error (a trust predicate or revocation hook that throws) is `internal`.
 */
export class TokenVerifier {
  readonly #trusted: (id: string) => boolean;
  readonly #now: () => number;
  readonly #maxDepth: number;
  readonly #skew: number;
  readonly #revocation: RevocationCheck;
  readonly #limits: TokenLimits;

  constructor(options: VerifierOptions) {
    const roots = options.trustedRoots;
    if (typeof roots === "function") {
      this.#trusted = roots;
    } else {
      const set = new Set(roots);
      this.#trusted = (id) => set.has(id);
    }
    this.#now = options.now ?? Date.now;
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 64) {
      throw new RangeError("maxDepth must be 0..64");
    }
    const skew = options.maxClockSkewMs ?? 30_000;
    if (!Number.isInteger(skew) || skew < 0 || skew > 300_000) {
      throw new RangeError("clock skew must be 0..5 minutes");
    }
    const limits = options.limits ?? DEFAULT_TOKEN_LIMITS;
    if (!(limits.maxTokenBytes > 0 && limits.maxLinks > 0 && limits.maxChainBytes > 0)) {
      throw new RangeError("limits must be positive");
    }
    this.#maxDepth = maxDepth;
    this.#skew = skew;
    this.#revocation = options.revocation ?? NO_REVOCATION;
    this.#limits = limits;
  }

  /** Parses (wire bytes or text) and verifies; throws MoatError. */
  verify(chain: Uint8Array | string | TokenChain): VerifiedCapability {
    const c = chain instanceof TokenChain ? chain : TokenChain.parse(chain, this.#limits);
    try {
      return this.#walk(c);
    } catch (e) {
      if (e instanceof MoatError) {
        throw e;
      }
      throw new MoatError(ReasonCode.INTERNAL, `chain verification failed: ${e instanceof Error ? e.name : "error"}`);
    }
  }

  /** As {@link verify}, returning the failure instead of throwing. */
  check(chain: Uint8Array | string | TokenChain): { ok: true; value: VerifiedCapability } | { ok: false; error: MoatError } {
    try {
      return { ok: true, value: this.verify(chain) };
    } catch (e) {
      return { ok: false, error: e instanceof MoatError ? e : new MoatError(ReasonCode.INTERNAL, "chain verification failed") };
    }
  }

  #walk(chain: TokenChain): VerifiedCapability {
    const signed = chain.links;
    if (signed.length > this.#limits.maxLinks) {
      throw new MoatError(ReasonCode.OVERSIZED, `chain has ${signed.length} links, limit ${this.#limits.maxLinks}`);
    }
    const now = this.#now();
    const verified: TokenClaims[] = [];
    let parent: TokenClaims | null = null;
    for (let i = 0; i < signed.length; i++) {
      const link = signed[i]!;
      const fail = (code: ReasonCode, why: string, rule?: string): never => {
        throw new MoatError(code, `link ${i}: ${why}`, rule === undefined ? { link: i } : { link: i, rule });
      };
      if (publicKeyObject(link.key) === null) {
        fail(ReasonCode.MALFORMED, "issuer key is not a valid Ed25519 public key");
      }
      if (!verifyFramed(link.key, Domain.TOKEN, link.payload, link.sig)) {
        fail(ReasonCode.BAD_SIGNATURE, "signature does not verify");
      }
      let t: TokenClaims;
      try {
        t = decodeClaims(link.payload, this.#limits.maxTokenBytes);
      } catch (e) {
        if (e instanceof MoatError) {
          throw e.atLink(i);
        }
        throw new MoatError(ReasonCode.MALFORMED, `link ${i}: undecodable payload`, { link: i });
      }
      if (!constantTimeEqual(t.issuerKey, link.key) || !agentIdMatches(t.issuer, link.key)) {
        fail(ReasonCode.ID_KEY_MISMATCH, "issuer id or key does not match the signing key");
      }
      if (parent === null) {
        if (t.parent !== undefined || t.depth !== 0) {
          fail(ReasonCode.BROKEN_CHAIN, "the first link must be a root token");
        }
        if (!this.#trusted(t.issuer)) {
          fail(ReasonCode.UNTRUSTED_ROOT, `root issuer ${t.issuer} is not trusted`);
        }
      } else {
        if (t.issuer !== parent.subject) {
          fail(ReasonCode.BROKEN_CHAIN, `issuer is not the subject of link ${i - 1}`);
        }
        if (parent.id !== t.parent || t.depth !== parent.depth + 1) {
          fail(ReasonCode.BROKEN_CHAIN, `parent id or depth does not continue link ${i - 1}`);
        }
      }
      if (t.depth > this.#maxDepth) {
        fail(ReasonCode.DEPTH_EXCEEDED, `depth ${t.depth} exceeds the cap of ${this.#maxDepth}`);
      }
      if (parent !== null) {
        const rule = attenuationViolation(parent, t);
        if (rule !== null) {
          fail(ReasonCode.BROADENED, `${rule} (${describeRule(rule)})`, rule);
        }
      }
      if (!(now < t.exp)) {
        fail(ReasonCode.EXPIRED, `expired at ${formatTime(t.exp)}`);
      }
      if (t.iat > now + this.#skew) {
        fail(ReasonCode.EXPIRED, `not valid before ${formatTime(t.iat)}`);
      }
      if (this.#revocation.isAgentRevoked(t.issuer) || this.#revocation.isAgentRevoked(t.subject)) {
        fail(ReasonCode.REVOKED, "issuer or subject is revoked");
      }
      if (this.#revocation.isTokenRevoked(t.id)) {
        fail(ReasonCode.REVOKED, `token ${t.id} is revoked`);
      }
      verified.push(t);
      parent = t;
    }
    return new VerifiedCapability(CONSTRUCT, chain, Object.freeze(verified));
  }

  /** Re-checks time and revocation for a cached capability (no signatures): null when still valid. */
  recheck(capability: VerifiedCapability): MoatError | null {
    try {
      const now = this.#now();
      let i = 0;
      for (const t of capability.links) {
        if (!(now < t.exp)) {
          return new MoatError(ReasonCode.EXPIRED, `link ${i}: expired at ${formatTime(t.exp)}`, { link: i });
        }
        if (this.#revocation.isAgentRevoked(t.issuer) || this.#revocation.isAgentRevoked(t.subject) ||
            this.#revocation.isTokenRevoked(t.id)) {
          return new MoatError(ReasonCode.REVOKED, `link ${i}: revoked`, { link: i });
        }
        i++;
      }
      return null;
    } catch {
      return new MoatError(ReasonCode.INTERNAL, "recheck failed");
    }
  }
}
