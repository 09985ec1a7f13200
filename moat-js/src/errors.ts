/**
 * Stable reason codes, identical to moat-core's `dev.moat.check.ReasonCode` (spec/PROTOCOL.md
 * section 13). Callers and tests compare codes, never message text.
 */
export const ReasonCode = {
  MALFORMED: "malformed",
  OVERSIZED: "oversized",
  BAD_SIGNATURE: "bad_signature",
  ID_KEY_MISMATCH: "id_key_mismatch",
  UNTRUSTED_ROOT: "untrusted_root",
  BROKEN_CHAIN: "broken_chain",
  BROADENED: "broadened",
  DEPTH_EXCEEDED: "depth_exceeded",
  EXPIRED: "expired",
  REVOKED: "revoked",
  NOT_SUBJECT: "not_subject",
  INVALID_RESOURCE: "invalid_resource",
  NOT_GRANTED: "not_granted",
  EXPLICITLY_DENIED: "explicitly_denied",
  REPLAY: "replay",
  STALE: "stale",
  DIGEST_MISMATCH: "digest_mismatch",
  UNKNOWN_SENDER: "unknown_sender",
  UNKNOWN_RECIPIENT: "unknown_recipient",
  WRONG_AUDIENCE: "wrong_audience",
  POLICY_MISMATCH: "policy_mismatch",
  RATE_LIMITED: "rate_limited",
  MONITOR_BLOCKED: "monitor_blocked",
  SANDBOX_LIMIT: "sandbox_limit",
  ARGUMENT_REJECTED: "argument_rejected",
  NOT_APPROVED: "not_approved",
  INTERNAL: "internal",
} as const;

/** One of the stable wire codes, for example `"not_granted"`. */
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

/** Extra structure a failure may carry: the failing chain link, the attenuation rule. */
export interface FailureInfo {
  /** Index of the first failing link of a chain (chain verification only). */
  readonly link?: number;
  /** The attenuation rule broken (`scope`, `actions`, `denials`, `limit.*`, `expiry`, `issued_at`, `issuer`, `depth`). */
  readonly rule?: string;
}

/**
 * Every refusal of this package: a stable `code` and a human `message`. The message never holds
 * key material; it may name ids, resources and rules.
 */
export class MoatError extends Error {
  readonly code: ReasonCode;
  readonly link: number | undefined;
  readonly rule: string | undefined;

  constructor(code: ReasonCode, message: string, info: FailureInfo = {}) {
    super(message);
    this.name = "MoatError";
    this.code = code;
    this.link = info.link;
    this.rule = info.rule;
  }

  /** The same failure, attributed to chain link `link` (its message prefixed). */
  atLink(link: number): MoatError {
    return new MoatError(this.code, `link ${link}: ${this.message}`, { link, rule: this.rule });
  }
}

/** A `malformed` refusal. */
export function malformed(message: string): MoatError {
  return new MoatError(ReasonCode.MALFORMED, message);
}

/** An `oversized` refusal. */
export function oversized(message: string): MoatError {
  return new MoatError(ReasonCode.OVERSIZED, message);
}

/**
 * Runs `body`; a `MoatError` passes through, anything else (a bug, a hook that threw) becomes a
 * MoatError with `fallback` (fail closed, never an untyped throw).
 */
export function guarded<T>(fallback: ReasonCode, what: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof MoatError) {
      throw e;
    }
    throw new MoatError(fallback, `${what}: ${e instanceof Error ? e.name : typeof e}`);
  }
}
