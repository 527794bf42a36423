// The checkpointer's votes (_checkpoints.ts) with real ML-DSA-44 signatures: a vote for the own
// checkpoint aggregates; a vote for another checkpoint is verified against its own hash but never
// counts; two verified votes of one member for one sequence with different hashes are one piece
// of evidence that core/state accepts; a third adds nothing; a forged one proves nothing; held
// votes for a future sequence are judged the same way once it is cut. Also the evidence pool's
// one-entry-per-slot rule for checkpoint evidence.
import { describe, expect, it } from 'vitest';
import { checkpointHash, type Checkpoint } from '../consensus/checkpoint.ts';
import { checkpointSignedMessage, signCheckpoint, type CheckpointVote } from '../consensus/checkpointSign.ts';
import { backend, CHAIN, GENESIS_HASH, makeValidators } from '../consensus/test/certificateFixtures.ts';
import { verifySignature, type Signer } from '../crypto/index.ts';
import { decodeSlotHeader, evidenceCodec, verifyEvidence } from '../state/index.ts';
import { createCheckpointer, MAX_VOTE_LOOKAHEAD, type Checkpointer, type VoteOutcome, type VoteToVerify } from './_checkpoints.ts';
import { createEvidencePool } from './_evidencePool.ts';

// Four members of stake 10: the quorum is 27, three votes.
const v = makeValidators('checkpointer-votes', [10n, 10n, 10n, 10n]);
const { committee } = v;
const signer = (member: number): Signer => v.signers[member] as Signer;
const INTERVAL_MS = 100;

function setup(): { checkpointer: Checkpointer; cut: (sequence: bigint) => Checkpoint } {
  const checkpointer = createCheckpointer({ committee, chainId: CHAIN, genesisHash: GENESIS_HASH, genesisTimeMs: 0, checkpointIntervalMs: INTERVAL_MS });
  const cut = (sequence: bigint): Checkpoint => {
    const timestampMs = Number(sequence) * INTERVAL_MS;
    expect(checkpointer.onExecuted([], timestampMs)).toBe(sequence);
    const filled = new Uint8Array(32).fill(Number(sequence));
    return checkpointer.close({ commitIndex: sequence * 10n, commitDigest: filled, stateRoot: filled, timestampMs }, undefined);
  };
  return { checkpointer, cut };
}

/** Another checkpoint of the same (epoch, sequence): what a diverged or lying member might sign. */
const otherThan = (c: Checkpoint, byte = 0xee): Checkpoint => ({ ...c, stateRoot: new Uint8Array(32).fill(byte) });

/** Offers the vote, verifies its job for real, and adds it if it verified (as the committer does). */
function deliver(checkpointer: Checkpointer, member: number, vote: CheckpointVote): { job: VoteToVerify | undefined; valid: boolean; outcome: VoteOutcome | undefined } {
  const job = checkpointer.offerVote(member, vote);
  if (job === undefined) return { job, valid: false, outcome: undefined };
  return verifyAndAdd(checkpointer, job);
}

function verifyAndAdd(checkpointer: Checkpointer, job: VoteToVerify): { job: VoteToVerify; valid: boolean; outcome: VoteOutcome | undefined } {
  const valid = verifySignature(backend, job.item);
  return { job, valid, outcome: valid ? checkpointer.addVerifiedVote(job.member, job.vote, job.epoch) : undefined };
}

describe('checkpointer: votes carry the hash they sign', () => {
  it('a vote with the own hash is verified against the own message and aggregates into the certificate', async () => {
    const { checkpointer, cut } = setup();
    const own = cut(1n);
    const results = [];
    for (const member of [0, 1, 2]) results.push(deliver(checkpointer, member, await signCheckpoint(signer(member), own)));
    for (const r of results) {
      expect(r.job?.item.message).toEqual(checkpointSignedMessage(own));
      expect(r.valid).toBe(true);
      expect(r.outcome?.conflicting).toBe(false);
      expect(r.outcome?.equivocation).toBeUndefined();
    }
    expect(results.map((r) => r.outcome?.certificate !== undefined)).toEqual([false, false, true]);
    expect(results[2]?.outcome?.certificate?.signatures).toHaveLength(3);
    expect(checkpointer.lastCertified()).toBe(1n);
    expect(checkpointer.conflictingVotes()).toBe(0);
  });

  it('a vote for another checkpoint is verified against its own hash and never counts toward the own certificate', async () => {
    const { checkpointer, cut } = setup();
    const own = cut(1n);
    const theirs = otherThan(own);
    const r = deliver(checkpointer, 1, await signCheckpoint(signer(1), theirs));
    expect(r.job?.item.message).toEqual(checkpointSignedMessage(theirs));
    expect(r.valid).toBe(true);
    expect(r.outcome).toEqual({ certificate: undefined, equivocation: undefined, conflicting: true });
    expect(checkpointer.conflictingVotes()).toBe(1);
    // Members 0 and 2 vote for the own checkpoint: 20 of 27 — member 1's stake was not counted.
    expect(deliver(checkpointer, 0, await signCheckpoint(signer(0), own)).outcome?.certificate).toBeUndefined();
    expect(deliver(checkpointer, 2, await signCheckpoint(signer(2), own)).outcome?.certificate).toBeUndefined();
    const last = deliver(checkpointer, 3, await signCheckpoint(signer(3), own)).outcome?.certificate;
    expect(last?.signatures).toHaveLength(3);
    expect(last?.checkpoint).toEqual(own);
  });

  it('two verified votes of one member with different hashes give exactly one evidence, which core/state accepts; a third gives none', async () => {
    const { checkpointer, cut } = setup();
    const own = cut(1n);
    const member = 2;
    const first = deliver(checkpointer, member, await signCheckpoint(signer(member), own));
    expect(first.outcome?.equivocation).toBeUndefined();
    // The same vote again is not even verified.
    expect(checkpointer.offerVote(member, await signCheckpoint(signer(member), own))).toBeUndefined();
    const second = deliver(checkpointer, member, await signCheckpoint(signer(member), otherThan(own)));
    const equivocation = second.outcome?.equivocation;
    if (equivocation === undefined) throw new Error('expected evidence');
    expect(second.outcome?.conflicting).toBe(true);
    expect(equivocation.member).toBe(member);
    expect(equivocation.sequence).toBe(1n);
    const { evidence } = equivocation;
    const key = committee.members[member]?.key;
    if (key === undefined) throw new Error('fixture');
    expect(evidence.context).toBe('checkpoint');
    expect(evidence.offender).toEqual(committee.members[member]?.address);
    expect(evidence.first.message).toEqual(checkpointSignedMessage(own));
    expect(evidence.second.message).toEqual(checkpointSignedMessage(otherThan(own)));
    expect(decodeSlotHeader(evidence.first.message)).toEqual({ epoch: 0n, roundOrSequence: 1n });
    expect(verifyEvidence(evidence, key, backend)).toEqual({ ok: true, value: undefined });
    expect(verifyEvidence(evidence, committee.members[0]?.key ?? key, backend).ok).toBe(false);
    expect(evidenceCodec.decode(evidenceCodec.encode(evidence)).ok).toBe(true);
    // A third conflicting vote: not verified, and even if verified elsewhere, no second evidence.
    const third = await signCheckpoint(signer(member), otherThan(own, 0x77));
    expect(checkpointer.offerVote(member, third)).toBeUndefined();
    expect(checkpointer.addVerifiedVote(member, third, 0n).equivocation).toBeUndefined();
    expect(deliver(checkpointer, member, await signCheckpoint(signer(member), otherThan(own))).outcome).toBeUndefined();
  });

  it('the pair is found in either order, also for a checkpoint already certified', async () => {
    const { checkpointer, cut } = setup();
    const own = cut(1n);
    for (const member of [0, 1, 2]) deliver(checkpointer, member, await signCheckpoint(signer(member), own));
    expect(checkpointer.lastCertified()).toBe(1n);
    // Member 3's other vote first, then its vote for the own checkpoint, after the certificate.
    expect(deliver(checkpointer, 3, await signCheckpoint(signer(3), otherThan(own))).outcome?.equivocation).toBeUndefined();
    const late = deliver(checkpointer, 3, await signCheckpoint(signer(3), own));
    expect(late.valid).toBe(true);
    expect(late.outcome?.certificate).toBeUndefined();
    expect(late.outcome?.equivocation?.evidence.first.message).toEqual(checkpointSignedMessage(otherThan(own)));
  });

  it('a forged vote (a signature over another hash than the one it names) verifies false and proves nothing', async () => {
    const { checkpointer, cut } = setup();
    const own = cut(1n);
    const member = 1;
    deliver(checkpointer, member, await signCheckpoint(signer(member), own));
    const honest = await signCheckpoint(signer(member), own);
    const forged: CheckpointVote = { ...honest, checkpointHash: checkpointHash(otherThan(own)) };
    const r = deliver(checkpointer, member, forged);
    expect(r.job).toBeDefined();
    expect(r.valid).toBe(false);
    expect(checkpointer.conflictingVotes()).toBe(0);
    // Another member's real signature over that hash, claimed by `member`: also false.
    const stolen: CheckpointVote = await signCheckpoint(signer(0), otherThan(own));
    expect(deliver(checkpointer, member, stolen).valid).toBe(false);
    // The record is intact: a genuine conflicting vote still gives exactly one evidence.
    const real = deliver(checkpointer, member, await signCheckpoint(signer(member), otherThan(own)));
    expect(real.outcome?.equivocation).toBeDefined();
  });

  it('held votes for a sequence not cut yet: two different hashes of one member are both verified at the cut', async () => {
    const { checkpointer, cut } = setup();
    cut(1n);
    // What sequence 2 will be, signed ahead by member 3 — and a second, different checkpoint.
    const preview = setup();
    preview.cut(1n);
    const future = preview.cut(2n);
    expect(checkpointer.offerVote(3, await signCheckpoint(signer(3), future))).toBeUndefined();
    expect(checkpointer.offerVote(3, await signCheckpoint(signer(3), otherThan(future)))).toBeUndefined();
    expect(checkpointer.offerVote(3, await signCheckpoint(signer(3), otherThan(future, 0x55)))).toBeUndefined();
    const own = cut(2n);
    expect(checkpointHash(own)).toEqual(checkpointHash(future));
    const jobs = checkpointer.takeHeldVotes(2n);
    // At most two different hashes per member are held: that is already an equivocation.
    expect(jobs.map((j) => j.item.message)).toEqual([checkpointSignedMessage(own), checkpointSignedMessage(otherThan(own))]);
    const outcomes = jobs.map((j) => verifyAndAdd(checkpointer, j).outcome);
    expect(outcomes.map((o) => o?.conflicting)).toEqual([false, true]);
    expect(outcomes.filter((o) => o?.equivocation !== undefined)).toHaveLength(1);
  });

  it('is bounded: votes beyond the lookahead are ignored, records of old sequences are forgotten, other epochs dropped', async () => {
    const { checkpointer, cut } = setup();
    const first = cut(1n);
    const far = { ...first, sequence: 1n + MAX_VOTE_LOOKAHEAD + 1n };
    expect(checkpointer.offerVote(0, await signCheckpoint(signer(0), far))).toBeUndefined();
    expect(checkpointer.takeHeldVotes(far.sequence)).toEqual([]);
    deliver(checkpointer, 0, await signCheckpoint(signer(0), first));
    // A vote verified for another epoch's committee (across a switch) is dropped.
    expect(checkpointer.addVerifiedVote(0, await signCheckpoint(signer(0), otherThan(first)), 1n)).toEqual({ certificate: undefined, equivocation: undefined, conflicting: false });
    for (let s = 2n; s <= 2n + MAX_VOTE_LOOKAHEAD; s++) cut(s);
    // Sequence 1 left the window: a conflicting vote for it is not even verified.
    expect(checkpointer.offerVote(0, await signCheckpoint(signer(0), otherThan(first)))).toBeUndefined();
  });
});

describe('evidence pool: checkpoint evidence', () => {
  it('one entry per slot id; the entry rides out as evidenceCodec bytes', async () => {
    const { checkpointer, cut } = setup();
    const own = cut(1n);
    deliver(checkpointer, 1, await signCheckpoint(signer(1), own));
    const equivocation = deliver(checkpointer, 1, await signCheckpoint(signer(1), otherThan(own))).outcome?.equivocation;
    if (equivocation === undefined) throw new Error('expected evidence');
    const pool = createEvidencePool(committee, 4);
    const slot = { context: 'checkpoint', sequence: 1n } as const;
    const found = pool.offerEvidence(equivocation.evidence, slot, 1);
    expect(found).toEqual({ evidence: equivocation.evidence, slot, author: 1 });
    // The same slot again (say, the pair in the other order) is not a second entry.
    const swapped = { ...equivocation.evidence, first: equivocation.evidence.second, second: equivocation.evidence.first };
    expect(pool.offerEvidence(swapped, slot, 1)).toBeUndefined();
    expect(pool.size()).toBe(1);
    expect(() => pool.offerEvidence(equivocation.evidence, { context: 'vertex', round: 3 }, 1)).toThrow(RangeError);
    expect(pool.take(8)).toEqual([evidenceCodec.encode(equivocation.evidence)]);
    expect(pool.size()).toBe(0);
  });
});
