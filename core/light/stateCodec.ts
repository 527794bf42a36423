/**
 * The light state as canonical bytes, for persistence (IndexedDB in the browser worker), so a
 * reload resumes where the client was instead of re-syncing from its root.
 *
 * Encoding (docs/codec.md), fields in this order:
 *
 *   version     u8 = 1
 *   chainId     utf8{1..32}
 *   root        union: 0 genesis { genesisHash 32 B, committeeHash 32 B }
 *                      1 checkpoint { checkpoint, hash 32 B, u64 pinnedAtMs, committeeHash 32 B }
 *   committee   committeeCodec (committeeCodec.ts): the committee trusted now
 *   head        option { checkpoint, hash 32 B }
 *   epochChain  list{≤100,000} { u64 epoch, u64 sequence, checkpointHash 32 B, nextCommitteeHash 32 B }
 *
 * No signature is stored (DESIGN.md §2: "raw signatures are not stored after verification").
 * The cache of accepted hashes is not stored either: a decoded state starts with the head's
 * hash alone. Decoding checks form only; `recheckLightState` (recheck.ts) checks that the
 * pieces still hang together before the state is trusted again — `loadLightState` does both.
 */
import { bytesFixed, list, literals, map, option, refine, struct, u64, union, type Codec, type DecodeError } from '../codec/index.ts';
import { checkpointCodec } from '../consensus/index.ts';
import { HASH32_BYTES, toHex } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { chainIdCodec } from '../state/index.ts';
import { committeeCodec } from './committeeCodec.ts';
import { recheckLightState, type RecheckReject } from './recheck.ts';
import { MAX_EPOCH_LINKS, type EpochLink, type LightState, type TrustRoot, type TrustedCheckpoint } from './types.ts';

const hash32 = bytesFixed(HASH32_BYTES);

const trustedCheckpointCodec: Codec<TrustedCheckpoint> = struct({ checkpoint: checkpointCodec, hash: hash32 });

/** Milliseconds since 1970 as u64; above 2^53 − 1 a number could not hold it exactly, so it is refused. */
const pinnedAtMsCodec: Codec<number> = map(
  refine(u64, (value) => (value > BigInt(Number.MAX_SAFE_INTEGER) ? 'pinnedAtMs exceeds 2^53 - 1' : undefined)),
  {
    fromWire: (value) => Number(value),
    toWire: (value) => {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('pinnedAtMs must be a non-negative safe integer');
      return BigInt(value);
    },
  },
);

const rootWireCodec = union({
  genesis: [0, struct({ genesisHash: hash32, committeeHash: hash32 })],
  checkpoint: [1, struct({ checkpoint: trustedCheckpointCodec, pinnedAtMs: pinnedAtMsCodec, committeeHash: hash32 })],
});

const epochLinkCodec: Codec<EpochLink> = struct({ epoch: u64, sequence: u64, checkpointHash: hash32, nextCommitteeHash: hash32 });

/** The format version: a future layout gets a new number, and old bytes stay readable or are refused. */
export const LIGHT_STATE_VERSION = 1;

const wireCodec = struct({
  version: literals({ v1: LIGHT_STATE_VERSION }),
  chainId: chainIdCodec,
  root: rootWireCodec,
  committee: committeeCodec,
  head: option(trustedCheckpointCodec),
  epochChain: list(epochLinkCodec, { maxItems: MAX_EPOCH_LINKS }),
});

type Wire = Parameters<typeof wireCodec.encode>[0];

function rootOfWire(chainId: string, root: Wire['root']): TrustRoot {
  return root.kind === 'genesis'
    ? Object.freeze({ kind: 'genesis', chainId, ...root.value })
    : Object.freeze({ kind: 'checkpoint', chainId, ...root.value });
}

function wireOfRoot(root: TrustRoot): Wire['root'] {
  return root.kind === 'genesis'
    ? { kind: 'genesis', value: { genesisHash: root.genesisHash, committeeHash: root.committeeHash } }
    : { kind: 'checkpoint', value: { checkpoint: root.checkpoint, pinnedAtMs: root.pinnedAtMs, committeeHash: root.committeeHash } };
}

export const lightStateCodec: Codec<LightState> = map(wireCodec, {
  fromWire: (wire) =>
    Object.freeze({
      chainId: wire.chainId,
      root: rootOfWire(wire.chainId, wire.root),
      committee: wire.committee,
      head: wire.head,
      epochChain: wire.epochChain,
      acceptedHashes: Object.freeze(wire.head === undefined ? [] : [toHex(wire.head.hash)]),
    }),
  toWire: (state) => ({
    version: 'v1' as const,
    chainId: state.chainId,
    root: wireOfRoot(state.root),
    committee: state.committee,
    head: state.head,
    epochChain: state.epochChain,
  }),
});

export const encodeLightState = (state: LightState): Uint8Array => lightStateCodec.encode(state);

/** Decodes stored bytes (form only; see `loadLightState`). Frozen on success. */
export function decodeLightState(bytes: Uint8Array, maxBytes?: number): Result<LightState, DecodeError> {
  return lightStateCodec.decode(bytes, maxBytes === undefined ? {} : { maxBytes });
}

export type LoadReject = { readonly code: 'MALFORMED_STATE'; readonly reason: DecodeError } | RecheckReject;

/** Decode, then the cheap re-check: what a shell runs on stored bytes at start-up. */
export function loadLightState(bytes: Uint8Array, maxBytes?: number): Result<LightState, LoadReject> {
  const decoded = decodeLightState(bytes, maxBytes);
  if (!decoded.ok) return err({ code: 'MALFORMED_STATE', reason: decoded.error });
  const rechecked = recheckLightState(decoded.value);
  return rechecked.ok ? ok(decoded.value) : err(rechecked.error);
}
