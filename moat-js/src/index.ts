/**
 * @moat/core: Moat protocol v1 (spec/PROTOCOL.md) for TypeScript and JavaScript, byte-compatible
 * with moat-core (Java). Zero runtime dependencies: Node's own `crypto` does Ed25519 and SHA-256.
 */
export { MoatError, ReasonCode } from "./errors.js";
export type { FailureInfo } from "./errors.js";
export { encodeBase64Url, tryDecodeBase64Url, isBase64Url } from "./base64url.js";
export { canonicalJson, canonicalJsonBytes, parseJsonObject, parseCanonicalJsonObject, MAX_NESTING_DEPTH, MAX_NUMBER_LENGTH } from "./json.js";
export type { JsonValue, JsonObject, CanonicalValue } from "./json.js";
export {
  canonicalise, canonicaliseObject, encodeCanonical, toolArguments, compareCodePoints, JsonNumber, JsonProblem, CanonicalJsonError, DEFAULT_JSON_LIMITS,
} from "./canonical.js";
export type { JsonLimits, JsonInput } from "./canonical.js";
export { formatTime, tryParseTime } from "./time.js";
export { Domain, sha256, domainHash, frame, isValidPublicKey, verifyFramed } from "./crypto.js";
export { Keypair, agentIdOf, isAgentId, agentIdMatches, isAgentName, AGENT_ID_PREFIX } from "./identity.js";
export { ResourcePattern, resourceProblem, isValidResource, MAX_RESOURCE_LENGTH, MAX_SEGMENTS } from "./resources.js";
export { Scope, ANY_ACTION } from "./scope.js";
export type { ScopeInput } from "./scope.js";
export { hostAllowed, canRead, canWrite, limitsViolation, UNLIMITED_COMPUTE_NO_IO } from "./limits.js";
export type { Limits, LimitsInput } from "./limits.js";
export {
  TokenChain, issueToken, decodeClaims, encodeClaims, evaluateClaims, attenuationViolation, describeRule,
  DEFAULT_TOKEN_LIMITS, DEFAULT_MAX_DEPTH, MAX_SCOPES,
} from "./token.js";
export type { TokenClaims, TokenLimits, SignedToken, Grant } from "./token.js";
export { TokenVerifier, VerifiedCapability, NO_REVOCATION, revocationList } from "./verifier.js";
export type { RevocationCheck, VerifierOptions } from "./verifier.js";
export {
  MessageEnvelope, MessageSigner, verifyMessage, decodeHeader, encodeHeader, isEndpointName, policyBinding, policyBindingsEqual,
  DEFAULT_MESSAGE_LIMITS, MAX_HEADER_BYTES,
} from "./message.js";
export type { MessageHeader, MessageLimits, PolicyBinding, AuthenticatedMessage, MessageVerifyOptions } from "./message.js";
export {
  verifyAuditLog, verifyAuditBytes, parseAuditLine, parseCheckpointLine, parseLogKeyFile, auditEntryBody, createAuditEntry, signCheckpoint,
  logKeyFileLine, MAX_AUDIT_LINE_BYTES,
} from "./audit.js";
export type { AuditBreak, AuditBreakKind, AuditSource, AuditVerification, AuditEntry, AuditEvent, AuditCheckpoint, AuditVerifyOptions } from "./audit.js";
export { loadPrivateKeyFile, loadIdentityFile, MAX_KEY_FILE_BYTES } from "./keyfiles.js";
export type { AgentIdentity } from "./keyfiles.js";
