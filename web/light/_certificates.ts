/**
 * What the session does with certificates peers serve: ask for them, decode them, and admit
 * them through core/light (`advanceEpoch` for the epoch ratchet, `acceptCheckpoint` for the
 * newest) — and what follows a refusal (docs/light-client.md "Accepting a certificate").
 *
 * - Verified: the head moves; the receipt names the peer; the state is marked for storage.
 * - The same checkpoint again (the cache): the peer is added to the head's receipt.
 * - Older than the head: the peer is behind; nothing happens.
 * - Of a later epoch than the trusted committee's: the client is behind; the caller ratchets.
 * - Another certified checkpoint at the head's sequence (STALE with conflictsWithHead): both
 *   certificates go to `buildLightEvidence`; a real conflict raises the `conflict` alarm.
 * - Anything else (bad or foreign signatures, a broken chain, a wrong chain, bytes that do not
 *   decode): the peer lied. It is banned for the session, a `forged-certificate` alarm names it,
 *   the bytes are kept for the evidence file, and the head is untouched.
 */
import { decodeCertificate, type Certificate } from '../../core/consensus/index.ts';
import {
  acceptCheckpoint,
  advanceEpoch,
  buildLightEvidence,
  encodeLightEvidence,
  makeReceipt,
  verifyLightEvidence,
  withServingPeer,
  type CheckpointReject,
} from '../../core/light/index.ts';
import { bytesEqual } from '../../core/crypto/index.ts';
import {
  MAX_CERTIFICATE_BYTES,
  MAX_EPOCH_CERTIFICATES_PER_REQUEST,
  epochCertificatesRequestCodec,
  epochCertificatesResponseCodec,
  latestCertificateRequestCodec,
  latestCertificateResponseCodec,
} from '../../core/net/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { describeRefusal, refusalCode, refusalLine, type Refusal } from './_describe.ts';
import { ban, raiseAlarm, type SessionContext } from './_context.ts';
import { markDisconnected, type PeerEntry } from './_peers.ts';
import type { AskError, LightProtocolName } from './_transport.ts';

/** Unanswered requests in a row before the connection is dropped and redialled. */
export const MAX_FAILURES_IN_ROW = 3;
/** Epoch-certificate rounds per sync: 64 epochs each, so 1,600 rounds cover MAX_EPOCH_LINKS. */
export const MAX_EPOCH_SYNC_ROUNDS = 1_600;

export type Admitted = 'accepted' | 'same' | 'stale' | 'ahead' | 'refused';

/** One request to one peer; transport failures update the peer's state and come back as `undefined`. */
export async function askPeer(ctx: SessionContext, peer: PeerEntry, name: LightProtocolName, request: Uint8Array): Promise<Uint8Array | undefined> {
  const answer = await ctx.transport.ask(peer.peerId, name, request);
  if (ctx.closed || peer.state === 'banned') return undefined;
  if (answer.ok) {
    peer.failuresInRow = 0;
    return answer.value;
  }
  noteFailure(ctx, peer, answer.error);
  return undefined;
}

function noteFailure(ctx: SessionContext, peer: PeerEntry, error: AskError): void {
  const reason = `${error.code}: ${error.message}`;
  if (error.code === 'TOO_LARGE') {
    ban(ctx, peer, reason);
    return;
  }
  peer.failuresInRow += 1;
  if (error.code === 'NOT_CONNECTED' || error.code === 'DIAL_FAILED' || peer.failuresInRow >= MAX_FAILURES_IN_ROW) {
    void ctx.transport.hangUp(peer.peerId);
    markDisconnected(peer, ctx.clock.nowMs(), reason);
  } else {
    peer.reason = reason;
  }
  ctx.changed();
}

/** Bans the peer, raises the alarm and keeps the bytes for the evidence file. The head stays. */
export function refuse(ctx: SessionContext, peer: PeerEntry, refusal: Refusal, bytes: Uint8Array): void {
  ctx.evidence = { kind: 'forged', record: Object.freeze({ peerId: peer.peerId, multiaddr: peer.multiaddr, refusal, bytes, trusted: ctx.light, atMs: ctx.clock.nowMs() }) };
  ban(ctx, peer, refusalLine(refusal));
  raiseAlarm(ctx, { kind: 'forged-certificate', peers: [peer.peerId], summary: `${peer.peerId} served a certificate that failed verification — ${refusalCode(refusal)}: ${describeRefusal(refusal)}` });
}

export function decodeServed(ctx: SessionContext, peer: PeerEntry, bytes: Uint8Array): Certificate | undefined {
  const decoded = decodeCertificate(bytes, MAX_CERTIFICATE_BYTES);
  if (decoded.ok) return decoded.value;
  refuse(ctx, peer, { kind: 'malformed', what: 'the certificate', reason: decoded.error }, bytes);
  return undefined;
}

/** The peer's newest certificate (undefined: none, unanswered, or malformed — the latter bans it). */
export async function askLatest(ctx: SessionContext, peer: PeerEntry): Promise<{ readonly certificate: Certificate; readonly bytes: Uint8Array } | undefined> {
  const answer = await askPeer(ctx, peer, 'latestCertificate', latestCertificateRequestCodec.encode({}));
  if (answer === undefined) return undefined;
  const decoded = latestCertificateResponseCodec.decode(answer);
  if (!decoded.ok) {
    refuse(ctx, peer, { kind: 'malformed', what: 'the latest-certificate answer', reason: decoded.error }, answer);
    return undefined;
  }
  if (decoded.value === undefined) return undefined;
  const certificate = decodeServed(ctx, peer, decoded.value);
  return certificate === undefined ? undefined : { certificate, bytes: decoded.value };
}

/** Admits the newest certificate a peer served (acceptCheckpoint), with everything a refusal implies. */
export function considerLatest(ctx: SessionContext, peer: PeerEntry, certificate: Certificate, bytes: Uint8Array): Promise<Admitted> {
  return ctx.serial(async () => {
    if (ctx.closed || peer.state === 'banned') return 'refused';
    const before = ctx.light;
    const result = await acceptCheckpoint(before, certificate, ctx.verifier, [peer.peerId]);
    if (ctx.closed) return 'refused';
    if (!result.ok) return afterRefusal(ctx, peer, certificate, bytes, result.error);
    const { sequence } = certificate.checkpoint;
    const head = ctx.head;
    if (result.value.receipt.proofChecked === 'certificate-cached') {
      if (head === undefined || !bytesEqual(head.receipt.checkpointHash, result.value.receipt.checkpointHash)) return 'stale';
      ctx.head = { ...head, receipt: withServingPeer(head.receipt, peer.peerId) };
      peer.verifiedSequence = sequence;
      ctx.changed();
      return 'same';
    }
    ctx.light = result.value.state;
    ctx.head = { receipt: result.value.receipt, served: { peer: peer.peerId, certificate }, certifyingCommittee: before.committee };
    peer.verifiedSequence = sequence;
    ctx.dirty = true;
    ctx.changed();
    return 'accepted';
  });
}

async function afterRefusal(ctx: SessionContext, peer: PeerEntry, certificate: Certificate, bytes: Uint8Array, reject: CheckpointReject): Promise<Admitted> {
  switch (reject.code) {
    case 'STALE_CHECKPOINT':
      if (reject.conflictsWithHead) return conflict(ctx, peer, certificate, bytes, reject);
      return 'stale';
    case 'WRONG_EPOCH':
      // A later epoch: this client is behind (ratchet first). An earlier one: the peer is.
      return reject.checkpointEpoch > reject.committeeEpoch ? 'ahead' : 'stale';
    default:
      refuse(ctx, peer, { kind: 'certificate', reject }, bytes);
      return 'refused';
  }
}

async function conflict(ctx: SessionContext, peer: PeerEntry, certificate: Certificate, bytes: Uint8Array, reject: CheckpointReject): Promise<Admitted> {
  const head = ctx.head;
  const sequence = certificate.checkpoint.sequence;
  if (head?.served === undefined) {
    ctx.evidence = { kind: 'conflict-unprovable' };
    raiseAlarm(ctx, { kind: 'conflict', peers: [peer.peerId], summary: `${peer.peerId} served another checkpoint at the head's sequence ${sequence}; the head came from storage, so the conflict cannot be proven here` });
    return 'refused';
  }
  const trust = { chainId: ctx.light.chainId, committee: head.certifyingCommittee };
  const built = await buildLightEvidence(trust, head.served, { peer: peer.peerId, certificate }, ctx.verifier);
  if (!built.ok) {
    // Not a second certified checkpoint after all: the new certificate does not verify.
    const reason = built.error.code === 'CERTIFICATE_INVALID' ? built.error.reason : undefined;
    refuse(ctx, peer, { kind: 'certificate', reject: reason ?? reject }, bytes);
    return 'refused';
  }
  const report = await verifyLightEvidence(encodeLightEvidence(built.value), ctx.verifier, { chainId: ctx.light.chainId });
  if (!report.ok) throw new Error(`light client: evidence built here failed its own re-check (${report.error.code})`);
  ctx.evidence = { kind: 'conflict', evidence: built.value, report: report.value };
  peer.reason = `served a conflicting certified checkpoint at sequence ${sequence}`;
  const { offenders, offenderStake, totalStake } = report.value;
  raiseAlarm(ctx, {
    kind: 'conflict',
    peers: [head.served.peer, peer.peerId],
    summary: `two certified checkpoints at sequence ${sequence}: ${offenders.length} validators (${offenderStake} of ${totalStake} stake) signed both`,
  });
  return 'refused';
}

export type EpochSyncOutcome = 'done' | 'unanswered' | 'refused';

/** Ratchets through the end-of-epoch certificates `peer` serves, from the trusted committee's epoch on. */
export async function syncEpochsFrom(ctx: SessionContext, peer: PeerEntry): Promise<EpochSyncOutcome> {
  for (let round = 0; round < MAX_EPOCH_SYNC_ROUNDS; round++) {
    const request = epochCertificatesRequestCodec.encode({ fromEpoch: ctx.light.committee.epoch, max: MAX_EPOCH_CERTIFICATES_PER_REQUEST });
    const answer = await askPeer(ctx, peer, 'epochCertificates', request);
    if (answer === undefined) return 'unanswered';
    const list = epochCertificatesResponseCodec.decode(answer);
    if (!list.ok) {
      refuse(ctx, peer, { kind: 'malformed', what: 'the epoch-certificates answer', reason: list.error }, answer);
      return 'refused';
    }
    if (list.value.length === 0) return 'done';
    ctx.epochSync = { done: ctx.epochSync.done, total: ctx.epochSync.done + list.value.length };
    ctx.changed();
    const epochBefore = ctx.light.committee.epoch;
    for (const bytes of list.value) {
      const certificate = decodeServed(ctx, peer, bytes);
      if (certificate === undefined) return 'refused';
      const step = await ratchet(ctx, peer, certificate, bytes);
      if (step === 'refused') return 'refused';
      if (step === 'behind') return 'done';
    }
    // Only certificates already passed (the cache answered): asking again would bring the same.
    if (ctx.light.committee.epoch === epochBefore) return 'done';
  }
  return 'done';
}

async function ratchet(ctx: SessionContext, peer: PeerEntry, certificate: Certificate, bytes: Uint8Array): Promise<'applied' | 'behind' | 'refused'> {
  return ctx.serial(async () => {
    if (ctx.closed || peer.state === 'banned') return 'refused';
    const before = ctx.light;
    const next = await advanceEpoch(before, certificate, ctx.verifier);
    if (ctx.closed) return 'refused';
    if (!next.ok) return afterEpochRefusal(ctx, peer, certificate, bytes, next.error);
    ctx.light = next.value;
    if (next.value !== before && next.value.head !== undefined) {
      ctx.head = { receipt: makeReceipt(next.value.head, 'certificate', [peer.peerId]), served: { peer: peer.peerId, certificate }, certifyingCommittee: before.committee };
      peer.verifiedSequence = certificate.checkpoint.sequence;
      ctx.dirty = true;
    }
    ctx.epochSync = { done: ctx.epochSync.done + 1, total: Math.max(ctx.epochSync.total, ctx.epochSync.done + 1) };
    ctx.changed();
    return 'applied';
  });
}

async function afterEpochRefusal(ctx: SessionContext, peer: PeerEntry, certificate: Certificate, bytes: Uint8Array, reject: CheckpointReject): Promise<'behind' | 'refused'> {
  // Ours is further than this peer's list reaches (it served epochs already passed): nothing to apply.
  if (reject.code === 'WRONG_EPOCH' && reject.checkpointEpoch < reject.committeeEpoch) return 'behind';
  if (reject.code === 'STALE_CHECKPOINT' && !reject.conflictsWithHead) return 'behind';
  const admitted = await afterRefusal(ctx, peer, certificate, bytes, reject);
  return admitted === 'stale' ? 'behind' : 'refused';
}

/** The newest certificate of one peer, admitted, ratcheting first when it is of a later epoch. */
export async function refreshFrom(ctx: SessionContext, peer: PeerEntry): Promise<Result<Admitted, 'unanswered'>> {
  const latest = await askLatest(ctx, peer);
  if (latest === undefined) return peer.state === 'banned' ? ok('refused') : err('unanswered');
  let admitted = await considerLatest(ctx, peer, latest.certificate, latest.bytes);
  if (admitted === 'ahead' && (await syncEpochsFrom(ctx, peer)) === 'done') admitted = await considerLatest(ctx, peer, latest.certificate, latest.bytes);
  return ok(admitted);
}
