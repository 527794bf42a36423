/**
 * core/crypto — KALDRIX's post-quantum cryptography: signature schemes behind backends, the
 * domain-separation contexts, self-describing key and signature encodings, BLAKE3 hashing and
 * Merkle proofs, addresses, ML-KEM-768 and X-Wing key agreement, encrypted key files, and the
 * verify pool with its cache. DESIGN.md §2 Cryptography; the rules as built: docs/crypto.md.
 */
export type { KeyPair, SchemeName, Signature, SignatureBackend, Signer, VerifyItem } from './types.ts';

export {
  DEFAULT_SCHEME,
  SCHEME_NAMES,
  SCHEMES,
  isSignatureLengthValid,
  parseSchemeName,
  schemeByTag,
  schemeInfo,
  type SchemeInfo,
} from './schemes.ts';
export { CONTEXT_MAX_BYTES, CONTEXTS, contextBytes, type ContextName, type ContextText } from './contexts.ts';
export {
  decodePublicKey,
  decodeSignature,
  encodePublicKey,
  encodeSignature,
  type CryptoDecodeError,
  type TaggedPublicKey,
} from './signatureEncoding.ts';

export { createNobleBackend } from './backends/noble.ts';
/** The bytes every KALDRIX signature covers: 0x00 || len(ctx) || ctx || message (docs/crypto.md). */
export { frameMessage } from './backends/_framing.ts';
export { LIBOQS_SCHEMES, loadLiboqsBackend, type LiboqsBackendInit, type LiboqsScheme } from './backends/liboqs.ts';
export { createLocalSigner, type LocalSignerInit } from './signer.ts';
export { verifySignature } from './verify.ts';

export {
  BLAKE3_KEY_BYTES,
  BLAKE3_OUT_BYTES,
  blake3DeriveKey,
  blake3Hash,
  blake3KeyedHash,
  createBlake3,
  deriveContextKey,
  deriveKeyHash,
  deriveKeyHashPair,
  type Blake3ContextKey,
  type Blake3Hasher,
  type Blake3Options,
} from './blake3.ts';
export {
  HASH32_BYTES,
  bytesEqual,
  compareBytes,
  createDomainHash,
  createDomainHasher,
  hash,
  hashDomain,
  isHash32,
  parseHex,
  toHex,
  type Hash32,
  type HexError,
} from './hash.ts';
export {
  EMPTY_MERKLE_ROOT,
  MAX_MERKLE_LEAVES,
  MAX_MERKLE_PROOF_SIBLINGS,
  decodeMerkleProof,
  encodeMerkleProof,
  merkleLeafHash,
  merkleNodeHash,
  merklePathLength,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
  type MerkleProof,
  type MerkleProofError,
} from './merkle.ts';
export {
  ADDRESS_BYTES,
  ADDRESS_PREFIX,
  ADDRESS_TEXT_LENGTH,
  ADDRESS_VERSION_0,
  addressFromPublicKey,
  encodeAddress,
  parseAddress,
  type AddressError,
} from './address.ts';
export {
  KEM_KINDS,
  KEM_PARAMS,
  kemDecapsulate,
  kemEncapsulate,
  kemKeygen,
  type KemEncapsulation,
  type KemError,
  type KemKeyPair,
  type KemKind,
  type KemParams,
} from './kem.ts';
export {
  DEFAULT_SCRYPT_N,
  KEYFILE_VERSION,
  MIN_SCRYPT_N,
  decryptKeyFile,
  encryptKeyFile,
  isKeyFileScheme,
  type DecryptKeyFileOptions,
  type EncryptKeyFileOptions,
  type KeyFileContents,
  type KeyFileError,
} from './keyfile.ts';
export { PLAINTEXT_MARKER_FIELD, decodePlaintextKeyFile, encodePlaintextKeyFile, type PlaintextKeyFileError } from './plaintextKeyFile.ts';

export {
  DEFAULT_VERIFY_CACHE_ENTRIES,
  createVerifyCache,
  type VerifyCache,
  type VerifyCacheInit,
  type VerifyCacheStats,
} from './verifyCache.ts';
export {
  DEFAULT_VERIFY_BATCH_SIZE,
  DEFAULT_VERIFY_MAX_QUEUED,
  VerifyPoolError,
  createVerifyPool,
  type QuorumOutcome,
  type SignerOutcome,
  type VerifyPool,
  type VerifyPoolComponents,
  type VerifyPoolErrorCode,
  type VerifyPoolInit,
  type VerifyPoolStats,
} from './verifyPool.ts';
export {
  answerVerifyRequest,
  parseVerifyRequest,
  parseVerifyWorkerMessage,
  type VerifyWorkerMessage,
  type VerifyWorkerPort,
} from './verifyProtocol.ts';
