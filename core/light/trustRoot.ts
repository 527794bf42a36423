/**
 * Where a light client's trust starts: the genesis (its chain id, hash and validator set), or
 * a checkpoint pinned by its operator (a certificate and the committee that signed it).
 *
 * DESIGN.md §2 Light client ("trusts one thing: a genesis (or a pinned checkpoint) with its
 * validator set"). A pinned checkpoint is weak subjectivity in Ethereum's sense: a committee
 * whose members have since unbonded could sign a different history at no cost, so an old pin
 * deserves a warning. The checkpoint carries no clock, so age counts from `pinnedAtMs`, the
 * moment the operator took the pin; `nowMs` comes in as an argument (core reads no clock).
 * An old pin is a WARNING VALUE, not an error: the operator decides. The pinned certificate
 * itself is verified against the committee given with it, so a pin with the wrong committee
 * (or a corrupted certificate) is refused before anything is trusted.
 */
import { createCommittee, trustAfter, verifyCertificate, type CertReject, type Certificate, type Committee } from '../consensus/index.ts';
import { toHex } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { genesisHash, type Genesis } from '../state/index.ts';
import { committeeHash } from './committeeCodec.ts';
import type { LightState, LightVerifier, TrustedCheckpoint } from './types.ts';

/** Default bound on a pin's age before it earns a warning: two weeks, a common unbonding period. */
export const DEFAULT_MAX_PIN_AGE_MS = 14 * 24 * 60 * 60 * 1000;

export type TrustWarning =
  | { readonly code: 'PIN_OLD'; readonly ageMs: number; readonly maxAgeMs: number }
  /** The pin claims to be taken after `nowMs`: a wrong clock on one side or the other. */
  | { readonly code: 'PIN_IN_FUTURE'; readonly aheadMs: number };

export type PinReject =
  | { readonly code: 'COMMITTEE_EPOCH_MISMATCH'; readonly committeeEpoch: bigint; readonly checkpointEpoch: bigint }
  | { readonly code: 'PIN_CERTIFICATE_INVALID'; readonly reason: CertReject };

export type PinnedCheckpoint = {
  readonly certificate: Certificate;
  /** The committee of the certificate's epoch (the one that signed it). */
  readonly committee: Committee;
  readonly pinnedAtMs: number;
};

export type PinOptions = {
  readonly nowMs: number;
  /** Age beyond which the pin earns `PIN_OLD`. Default DEFAULT_MAX_PIN_AGE_MS. */
  readonly maxPinAgeMs?: number;
};

export type PinnedTrust = { readonly state: LightState; readonly warnings: readonly TrustWarning[] };

/** A light state trusting the genesis: epoch 0, its validator set, no checkpoint yet. */
export function trustGenesis(genesis: Genesis): LightState {
  const committee = createCommittee(0n, genesis.validators);
  return Object.freeze({
    chainId: genesis.chainId,
    root: Object.freeze({ kind: 'genesis', chainId: genesis.chainId, genesisHash: genesisHash(genesis), committeeHash: committeeHash(committee) }),
    committee,
    head: undefined,
    epochChain: Object.freeze([]),
    acceptedHashes: Object.freeze([]),
  });
}

/** The warnings a pin taken at `pinnedAtMs` earns at `nowMs`. */
export function pinWarnings(pinnedAtMs: number, options: PinOptions): readonly TrustWarning[] {
  const maxAgeMs = options.maxPinAgeMs ?? DEFAULT_MAX_PIN_AGE_MS;
  if (!Number.isFinite(options.nowMs)) throw new RangeError('pinWarnings: options.nowMs must be a finite number');
  if (!Number.isFinite(pinnedAtMs)) throw new RangeError('pinWarnings: pinnedAtMs must be a finite number');
  if (!(maxAgeMs >= 0)) throw new RangeError('pinWarnings: options.maxPinAgeMs must be non-negative');
  const ageMs = options.nowMs - pinnedAtMs;
  if (ageMs < 0) return Object.freeze([Object.freeze({ code: 'PIN_IN_FUTURE', aheadMs: -ageMs })]);
  if (ageMs > maxAgeMs) return Object.freeze([Object.freeze({ code: 'PIN_OLD', ageMs, maxAgeMs })]);
  return Object.freeze([]);
}

/**
 * A light state trusting a pinned checkpoint: its certificate must verify against the given
 * committee; the state then trusts that committee (or, when the pin ends its epoch, the next
 * one it carries) and starts with the pin as its head.
 */
export async function trustCheckpoint(
  pin: PinnedCheckpoint,
  verifier: LightVerifier,
  options: PinOptions,
): Promise<Result<PinnedTrust, PinReject>> {
  if (!Number.isSafeInteger(pin.pinnedAtMs) || pin.pinnedAtMs < 0) throw new RangeError('trustCheckpoint: pin.pinnedAtMs must be a non-negative safe integer (ms since 1970)');
  const warnings = pinWarnings(pin.pinnedAtMs, options);
  const { checkpoint } = pin.certificate;
  if (pin.committee.epoch !== checkpoint.epoch) {
    return err({ code: 'COMMITTEE_EPOCH_MISMATCH', committeeEpoch: pin.committee.epoch, checkpointEpoch: checkpoint.epoch });
  }
  const trust = Object.freeze({ chainId: checkpoint.chainId, committee: pin.committee });
  const verified = await verifyCertificate(pin.certificate, trust, verifier);
  if (!verified.ok) return err({ code: 'PIN_CERTIFICATE_INVALID', reason: verified.error });
  const head: TrustedCheckpoint = Object.freeze({ checkpoint, hash: verified.value.checkpointHash });
  const committee = trustAfter(trust, pin.certificate).committee;
  const state: LightState = Object.freeze({
    chainId: checkpoint.chainId,
    root: Object.freeze({ kind: 'checkpoint', chainId: checkpoint.chainId, checkpoint: head, pinnedAtMs: pin.pinnedAtMs, committeeHash: committeeHash(committee) }),
    committee,
    head,
    epochChain: Object.freeze([]),
    acceptedHashes: Object.freeze([toHex(head.hash)]),
  });
  return ok(Object.freeze({ state, warnings }));
}
