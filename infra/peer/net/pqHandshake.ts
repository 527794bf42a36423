/**
 * The post-quantum link handshake `/kaldrix/pq-handshake/1`: messages, transcript and key
 * schedule (pure functions; the exchange over a stream is `_pqHandshakeRun.ts`).
 *
 * DESIGN.md §2 Network, spec in docs/pq-links.md. On top of noise, both sides send an
 * ephemeral X-Wing key (X25519 + ML-KEM-768, draft-connolly-cfrg-xwing-kem), encapsulate to
 * the other's, and derive the link key with BLAKE3 `derive_key` over both shared secrets and
 * the transcript. A validator also signs the transcript with its committee key (FIPS 204
 * context `kaldrix/peer-handshake/v1`), which is how a libp2p peer proves its seat.
 *
 * Caveats: the noise layer under it is classical; this layer adds confidentiality against a
 * recording adversary with a future quantum computer, and post-quantum authentication only for
 * validators (a non-validator's link is anonymous, as its libp2p key is classical).
 */
import { bytes, bytesFixed, option, struct, u16, u8, utf8 } from '../../../core/codec/index.ts';
import { KEM_PARAMS, blake3DeriveKey, blake3Hash, blake3KeyedHash } from '../../../core/crypto/index.ts';
import { TAGGED_SIGNATURE_MAX_BYTES } from '../../../core/state/index.ts';

export const PQ_HANDSHAKE_VERSION = 1;
export const PQ_KEM = 'x-wing' as const;

/** Peer ids are base58 multihashes (52 characters for Ed25519); 128 leaves room for other key types. */
const PEER_ID_MAX_BYTES = 128;
/** Chain ids are at most 32 bytes (core/state CHAIN_ID_MAX_BYTES). */
const CHAIN_ID_MAX_BYTES = 32;

export const helloCodec = struct({
  version: u8,
  chainId: utf8({ maxBytes: CHAIN_ID_MAX_BYTES }),
  ephemeralPublicKey: bytesFixed(KEM_PARAMS[PQ_KEM].publicKeyBytes),
});

export const finishCodec = struct({
  ciphertext: bytesFixed(KEM_PARAMS[PQ_KEM].ciphertextBytes),
  /** A validator's seat and its tagged signature over `seatSigningMessage`. */
  seat: option(struct({ index: u16, signature: bytes({ maxBytes: TAGGED_SIGNATURE_MAX_BYTES }) })),
});

export const confirmCodec = bytesFixed(32);

/** The largest handshake frame: a Finish with the largest signature of any scheme. */
export const PQ_HANDSHAKE_MAX_FRAME_BYTES = KEM_PARAMS[PQ_KEM].ciphertextBytes + 1 + 2 + 4 + TAGGED_SIGNATURE_MAX_BYTES;

export type HandshakeRole = 'initiator' | 'responder';
const ROLE_BYTE: Readonly<Record<HandshakeRole, number>> = Object.freeze({ initiator: 0, responder: 1 });

const transcriptCodec = struct({
  label: utf8({ maxBytes: 32 }),
  chainId: utf8({ maxBytes: CHAIN_ID_MAX_BYTES }),
  initiatorPeerId: utf8({ maxBytes: PEER_ID_MAX_BYTES }),
  responderPeerId: utf8({ maxBytes: PEER_ID_MAX_BYTES }),
  initiatorEphemeral: bytesFixed(KEM_PARAMS[PQ_KEM].publicKeyBytes),
  responderEphemeral: bytesFixed(KEM_PARAMS[PQ_KEM].publicKeyBytes),
});

export type TranscriptInput = {
  readonly chainId: string;
  readonly initiatorPeerId: string;
  readonly responderPeerId: string;
  readonly initiatorEphemeral: Uint8Array;
  readonly responderEphemeral: Uint8Array;
};

/** BLAKE3 of the canonical transcript: what both sides agree on after the Hello exchange. */
export function transcriptHash(input: TranscriptInput): Uint8Array {
  return blake3Hash(transcriptCodec.encode({ label: 'kaldrix/pq-handshake/v1', ...input }));
}

const seatMessageCodec = struct({ transcriptHash: bytesFixed(32), role: u8, seat: u16 });

/**
 * What a validator signs: the transcript hash, its role (so a signature cannot be reflected
 * back as the other side's) and the seat it claims.
 */
export function seatSigningMessage(transcript: Uint8Array, role: HandshakeRole, seat: number): Uint8Array {
  return seatMessageCodec.encode({ transcriptHash: transcript, role: ROLE_BYTE[role], seat });
}

/** The link keys of one connection, per direction, plus what both sides show to confirm them. */
export type LinkKeys = {
  readonly initiatorToResponder: Uint8Array;
  readonly responderToInitiator: Uint8Array;
  readonly initiatorConfirm: Uint8Array;
  readonly responderConfirm: Uint8Array;
  /** Names the session without revealing its keys (logs, tests: both sides must agree). */
  readonly sessionId: Uint8Array;
};

export type KeyScheduleInput = {
  readonly transcript: Uint8Array;
  /** Shared secret of the ciphertext the initiator sent (encapsulated to the responder's key). */
  readonly initiatorSecret: Uint8Array;
  readonly responderSecret: Uint8Array;
  readonly initiatorCiphertext: Uint8Array;
  readonly responderCiphertext: Uint8Array;
};

/**
 * master = BLAKE3-derive_key("kaldrix/pq-link/v1 master", ss_i ‖ ss_r ‖ BLAKE3(transcript ‖ ct_i ‖ ct_r));
 * every key is a keyed BLAKE3 of the master over its label. Either shared secret alone keeps
 * the master secret, and the ciphertexts are bound in, so a swapped ciphertext gives other keys.
 */
export function deriveLinkKeys(input: KeyScheduleInput): LinkKeys {
  const bound = blake3Hash(concat(input.transcript, input.initiatorCiphertext, input.responderCiphertext));
  const master = blake3DeriveKey('kaldrix/pq-link/v1 master', concat(input.initiatorSecret, input.responderSecret, bound));
  const label = (text: string) => blake3KeyedHash(master, new TextEncoder().encode(text));
  const keys: LinkKeys = Object.freeze({
    initiatorToResponder: label('initiator->responder'),
    responderToInitiator: label('responder->initiator'),
    initiatorConfirm: label('confirm initiator'),
    responderConfirm: label('confirm responder'),
    sessionId: label('session id'),
  });
  master.fill(0);
  return keys;
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
