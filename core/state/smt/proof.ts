/**
 * State proofs: what they claim, and their canonical bytes.
 *
 * Spec: docs/state-tree.md §Proofs. A proof is the path from the root toward a key: the sibling
 * hash at each level, top down, and how the path ends:
 *   - `inclusion`: in the leaf of this very key (the verifier hashes the claimed value itself);
 *   - `empty`: in an empty subtree, so the key is absent;
 *   - `otherLeaf`: in the leaf of another key sharing the path prefix (its key and value hash
 *     are included), so the key is absent.
 *
 * Wire format (core/codec, docs/codec.md), compact because most siblings near the bottom of a
 * long shared prefix are empty:
 *   ending        union: 0 inclusion {} | 1 empty {} | 2 otherLeaf { key: bytes32, valueHash: bytes32 }
 *   depth         varint, 0..256: the number of siblings
 *   presentBits   bytes{≤32}: ⌈depth/8⌉ bytes, bit d (MSB first) set when sibling d is not empty
 *   siblings      list(bytes32){≤256}: the non-empty siblings, top down
 * Canonical: the bitmap is exactly ⌈depth/8⌉ bytes with zero padding bits, the list holds exactly
 * popcount(presentBits) hashes, none of them the empty-subtree hash (that would be a second
 * encoding of the same proof), and when depth > 0 the deepest sibling is present (a real tree
 * never has a lone leaf or empty subtree beside an empty sibling). So encode(decode(b)) = b.
 */
import { bytes, bytesFixed, list, map, refine, struct, union, varint, type DecodeError } from '../../codec/index.ts';
import type { Hash32 } from '../../crypto/hash.ts';
import type { Result } from '../../result.ts';
import { EMPTY_SUBTREE_HASH, MAX_TREE_DEPTH, isEmptySubtreeHash } from './hashing.ts';

export type ProofEnding =
  | { readonly kind: 'inclusion' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'otherLeaf'; readonly key: Uint8Array; readonly valueHash: Hash32 };

export type StateProof = {
  readonly ending: ProofEnding;
  /** `siblings[d]` is the hash of the subtree beside the path at depth d + 1, root side first. */
  readonly siblings: readonly Hash32[];
};

/** Largest encoded proof: ending 65 + depth 2 + bitmap 33 + siblings 2 + 256 × 32. */
export const MAX_STATE_PROOF_BYTES = 65 + 2 + 33 + 2 + MAX_TREE_DEPTH * 32;

const MAX_BITMAP_BYTES = MAX_TREE_DEPTH / 8;

const empty = struct({});
const hash32 = bytesFixed(32);

const WireProof = struct({
  ending: union({
    inclusion: [0, empty],
    empty: [1, empty],
    otherLeaf: [2, struct({ key: hash32, valueHash: hash32 })],
  }),
  depth: varint,
  presentBits: bytes({ maxBytes: MAX_BITMAP_BYTES }),
  siblings: list(hash32, { maxItems: MAX_TREE_DEPTH }),
});

type WireProof = Parameters<typeof WireProof.encode>[0];

const CanonicalWireProof = refine(WireProof, checkCanonical);

/** The proof codec: `encode` throws on a malformed proof (a bug), `decode` returns typed errors. */
export const StateProofCodec = map(CanonicalWireProof, { fromWire, toWire });

/** Canonical bytes of `proof`; throws RangeError/TypeError on a malformed one. */
export function encodeStateProof(proof: StateProof): Uint8Array {
  return StateProofCodec.encode(proof);
}

/** Decodes untrusted proof bytes; never throws on bad bytes. The result is frozen and owns its bytes. */
export function decodeStateProof(input: Uint8Array): Result<StateProof, DecodeError> {
  return StateProofCodec.decode(input, { maxBytes: MAX_STATE_PROOF_BYTES });
}

function checkCanonical(wire: WireProof): string | undefined {
  const { depth, presentBits, siblings } = wire;
  if (depth > MAX_TREE_DEPTH) return `depth ${depth} exceeds ${MAX_TREE_DEPTH}`;
  if (presentBits.length !== Math.ceil(depth / 8)) return `presentBits must be ${Math.ceil(depth / 8)} bytes for depth ${depth}`;
  let present = 0;
  for (let d = 0; d < presentBits.length * 8; d++) {
    if (!isBitSet(presentBits, d)) continue;
    if (d >= depth) return 'presentBits has a padding bit set';
    present++;
  }
  if (present !== siblings.length) return `presentBits marks ${present} siblings but ${siblings.length} are listed`;
  if (siblings.some(isEmptySubtreeHash)) return 'an empty-subtree hash is listed instead of left out';
  if (depth > 0 && !isBitSet(presentBits, depth - 1)) return 'the deepest sibling must not be empty';
  return undefined;
}

function fromWire(wire: WireProof): StateProof {
  const { ending, depth, presentBits, siblings } = wire;
  const full: Hash32[] = [];
  let next = 0;
  for (let d = 0; d < depth; d++) {
    full.push(isBitSet(presentBits, d) ? (siblings[next++] as Hash32) : EMPTY_SUBTREE_HASH.slice());
  }
  const proofEnding: ProofEnding = ending.kind === 'otherLeaf'
    ? Object.freeze({ kind: 'otherLeaf', key: ending.value.key, valueHash: ending.value.valueHash })
    : Object.freeze({ kind: ending.kind });
  return Object.freeze({ ending: proofEnding, siblings: Object.freeze(full) });
}

function toWire(proof: StateProof): WireProof {
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.siblings)) {
    throw new TypeError('state proof must be an object with a siblings array');
  }
  const depth = proof.siblings.length;
  if (depth > MAX_TREE_DEPTH) throw new RangeError(`state proof depth ${depth} exceeds ${MAX_TREE_DEPTH}`);
  const presentBits = new Uint8Array(Math.ceil(depth / 8));
  const siblings: Hash32[] = [];
  proof.siblings.forEach((sibling, d) => {
    if (!(sibling instanceof Uint8Array)) throw new TypeError(`state proof siblings[${d}] must be a Uint8Array`);
    if (isEmptySubtreeHash(sibling)) return;
    presentBits[d >>> 3] = (presentBits[d >>> 3] as number) | (0x80 >>> (d & 7));
    siblings.push(sibling);
  });
  return { ending: wireEnding(proof.ending), depth, presentBits, siblings };
}

function wireEnding(ending: ProofEnding): WireProof['ending'] {
  switch (ending?.kind) {
    case 'inclusion':
    case 'empty':
      return { kind: ending.kind, value: {} };
    case 'otherLeaf':
      return { kind: 'otherLeaf', value: { key: ending.key, valueHash: ending.valueHash } };
    default:
      throw new TypeError('state proof ending must be inclusion, empty or otherLeaf');
  }
}

/** Bit `index` of `bits`, most significant bit of byte 0 first (the key-bit order). */
function isBitSet(bits: Uint8Array, index: number): boolean {
  return (((bits[index >>> 3] as number) >>> (7 - (index & 7))) & 1) === 1;
}
