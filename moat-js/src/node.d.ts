// Minimal declarations of the Node 20 built-ins this package uses, so the only dev dependency is
// TypeScript itself. Buffers are typed as the Uint8Array they extend.
declare module "node:crypto" {
  export interface KeyObject {
    readonly type: "secret" | "public" | "private";
    export(options: { format: "jwk" }): { kty?: string; crv?: string; x?: string; d?: string };
    export(options: { format: "der"; type: "spki" | "pkcs8" }): Uint8Array;
  }
  export interface Hash {
    update(data: Uint8Array): Hash;
    digest(): Uint8Array;
  }
  export function createHash(algorithm: "sha256" | "sha512"): Hash;
  export function createPrivateKey(key: { key: Uint8Array; format: "der"; type: "pkcs8" }): KeyObject;
  export function createPublicKey(
    key: KeyObject | { key: Uint8Array; format: "der"; type: "spki" } | { key: { kty: "OKP"; crv: "Ed25519"; x: string }; format: "jwk" },
  ): KeyObject;
  export function sign(algorithm: null, data: Uint8Array, key: KeyObject): Uint8Array;
  export function verify(algorithm: null, data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean;
  export function randomBytes(size: number): Uint8Array;
  export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

declare module "node:fs" {
  export function openSync(path: string, flags: "r"): number;
  export function readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  export function closeSync(fd: number): void;
  export function existsSync(path: string): boolean;
  export function readFileSync(path: string): Uint8Array;
  export function statSync(path: string): { size: number; mode: number; isFile(): boolean };
}

declare class TextEncoder {
  encode(input: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: "utf-8", options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input: Uint8Array): string;
}

interface NodeBuffer extends Uint8Array {
  toString(encoding?: "base64url"): string;
}
declare const Buffer: {
  from(text: string, encoding: "base64url"): NodeBuffer;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBuffer;
};
