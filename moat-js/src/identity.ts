import * as nodeCrypto from "node:crypto";
import { encodeBase64Url } from "./base64url.js";
import { Domain, domainHash, isValidPublicKey, privateKeyFromSeed, randomBytes, signFramed } from "./crypto.js";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
/** The prefix of every agent id. */
export const AGENT_ID_PREFIX = "agent:";

function base32(data: Uint8Array, length: number): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < length; i++) {
    buffer = ((buffer << 8) | (data[i] as number)) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) {
    out += ALPHABET[(buffer << (5 - bits)) & 31];
  }
  return out;
}

/**
 * The agent id of a 32-byte Ed25519 public key (spec/PROTOCOL.md section 3):
 * `agent:` + lower-case base32 of the first 20 bytes of `hash("moat/v1/agent-id", key)`.
 */
export function agentIdOf(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) {
    throw new RangeError("an Ed25519 public key is 32 bytes");
  }
  const b64 = encodeBase64Url(publicKey);
  let id = IDS.get(b64);
  if (id === undefined) {
    id = AGENT_ID_PREFIX + base32(domainHash(Domain.AGENT_ID, publicKey), 20);
    if (IDS.size >= MAX_CACHED_IDS) {
      IDS.clear();
    }
    IDS.set(b64, id);
  }
  return id;
}

// Ids of keys seen before (an issuer on every chain, a sender on every message); bounded.
const MAX_CACHED_IDS = 4096;
const IDS = new Map<string, string>();

/** True when `text` is `agent:` followed by exactly 32 characters of `[a-z2-7]`. */
export function isAgentId(text: unknown): text is string {
  return typeof text === "string" && /^agent:[a-z2-7]{32}$/.test(text);
}

/** True when `id` is the agent id derived from `publicKey`. */
export function agentIdMatches(id: string, publicKey: Uint8Array): boolean {
  return publicKey.length === 32 && agentIdOf(publicKey) === id;
}

/** True for a local agent name: `[A-Za-z0-9][A-Za-z0-9._-]{0,63}` without `..`. */
export function isAgentName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) && !name.includes("..");
}

/**
 * An agent's signing identity: an Ed25519 key and the agent id derived from it. The seed stays
 * inside (not enumerable, not in `toString` or JSON); export it only with {@link Keypair.exportSeed}.
 */
export class Keypair {
  /** The 32-byte public key. */
  readonly publicKey: Uint8Array;
  /** The agent id derived from the public key. */
  readonly id: string;
  readonly #key: nodeCrypto.KeyObject;
  readonly #seed: Uint8Array;

  private constructor(seed: Uint8Array) {
    const { key, publicKey } = privateKeyFromSeed(seed);
    this.#seed = seed;
    this.#key = key;
    this.publicKey = publicKey;
    this.id = agentIdOf(publicKey);
  }

  /** A fresh random identity. */
  static generate(): Keypair {
    return new Keypair(randomBytes(32));
  }

  /** Rebuilds a key from its 32-byte seed (the array is copied). */
  static fromSeed(seed: Uint8Array): Keypair {
    if (!(seed instanceof Uint8Array) || seed.length !== 32) {
      throw new RangeError("an Ed25519 seed is 32 bytes");
    }
    return new Keypair(new Uint8Array(seed));
  }

  /** Signs `tag || 0x00 || bytes`. */
  sign(tag: string, bytes: Uint8Array): Uint8Array {
    return signFramed(this.#key, tag, bytes);
  }

  /** A copy of the seed, for key-file writers only. */
  exportSeed(): Uint8Array {
    return new Uint8Array(this.#seed);
  }

  /** The public key as base64url. */
  get publicKeyBase64Url(): string {
    return encodeBase64Url(this.publicKey);
  }

  toString(): string {
    return `Keypair[id=${this.id}]`;
  }

  toJSON(): { id: string; public_key: string } {
    return { id: this.id, public_key: this.publicKeyBase64Url };
  }
}

export { isValidPublicKey };
