/**
 * Starting a validator from a resume point (`init.resume`): the consistency checks, and the
 * state the parts start in.
 *
 * docs/protocol.md "Resuming from a checkpoint". The inputs come from the node's own store, so
 * a mismatch between them is the shell's bug, never a peer's: each check throws a RangeError
 * naming what does not fit. The certificate's signatures are NOT verified here (the validator
 * does no crypto inline): the shell verifies them against the committee before resuming. The
 * committee is checked cheaply against the certificate: a mid-epoch certificate must pass
 * `checkCertificateCheaply` against it (same epoch, bitmap size, a quorum of its stake, its
 * schemes); an epoch's last certificate must name it as the next committee.
 */
import { checkCertificateCheaply } from '../consensus/certificateVerify.ts';
import { nextCommitteeOf } from '../consensus/certificateChain.ts';
import { checkpointHash, isEndOfEpoch } from '../consensus/checkpoint.ts';
import type { Committee } from '../consensus/committee.ts';
import { bytesEqual, toHex, type Hash32 } from '../crypto/index.ts';
import type { VertexRef } from '../dag/index.ts';
import { stateRoot, type Ledger } from '../state/index.ts';
import type { EpochContext } from './_epoch.ts';
import { resumeEpochOf, resumeRecordProblem, type ValidatorResumePoint } from './resumePoint.ts';

/** Where the commit chain, the checkpoint chain and the DAG continue from. */
export type ResumeStart = {
  readonly commitIndex: bigint;
  readonly commitDigest: Hash32;
  readonly checkpointSequence: bigint;
  readonly checkpointHash: Hash32;
  readonly closingLeaderTimestampMs: number;
  /** Round of the last committed leader in the epoch resumed in (0: the epoch starts). */
  readonly leaderRound: number;
  readonly committedRefs: readonly VertexRef[];
};

const fail = (what: string): never => {
  throw new RangeError(`createValidator: init.resume does not fit: ${what}`);
};

function sameCommittee(a: Committee, b: Committee): boolean {
  return a.epoch === b.epoch && a.members.length === b.members.length && a.members.every((m, i) => {
    const o = b.members[i];
    return o !== undefined && bytesEqual(m.address, o.address) && m.stake === o.stake && m.key.scheme === o.key.scheme && bytesEqual(m.key.publicKey, o.key.publicKey);
  });
}

/** Throws a RangeError naming the first mismatch between the resume point and the other inputs; returns where to start. */
export function checkResume(point: ValidatorResumePoint, parts: { readonly committee: Committee; readonly ledger: Ledger; readonly leaderSeed: Hash32; readonly chainId: string }): ResumeStart {
  const { checkpoint } = point.certificate;
  const problem = resumeRecordProblem(point);
  if (problem !== undefined) fail(problem);
  if (checkpoint.chainId !== parts.chainId) fail(`checkpoint of chain ${checkpoint.chainId}, params.chainId is ${parts.chainId}`);
  const epoch = resumeEpochOf(point);
  if (parts.committee.epoch !== epoch) fail(`components.committee is of epoch ${parts.committee.epoch}, the resume point resumes in epoch ${epoch}`);
  if (isEndOfEpoch(checkpoint)) {
    const next = nextCommitteeOf(point.certificate);
    if (next === undefined || !sameCommittee(next, parts.committee)) fail('components.committee is not the next committee the end-of-epoch certificate names');
  } else {
    const cheap = checkCertificateCheaply(point.certificate, { chainId: parts.chainId, committee: parts.committee });
    if (!cheap.ok) fail(`the certificate does not fit components.committee (${cheap.error.code})`);
  }
  for (const [name, ledger] of [['components.ledger', parts.ledger], ['init.resume.ledger', point.ledger]] as const) {
    const root = stateRoot(ledger);
    if (!bytesEqual(root, checkpoint.stateRoot)) fail(`${name} root ${toHex(root)} is not the checkpoint's state root ${toHex(checkpoint.stateRoot)}`);
    if (ledger.epoch !== epoch) fail(`${name} is in epoch ${ledger.epoch}, the resume point resumes in epoch ${epoch}`);
  }
  if (!bytesEqual(parts.leaderSeed, point.leaderSeed)) fail('init.leaderSeed is not the resume point\'s leader seed');
  return Object.freeze({
    commitIndex: checkpoint.lastCommitIndex,
    commitDigest: checkpoint.commitDigest,
    checkpointSequence: checkpoint.sequence,
    checkpointHash: checkpointHash(checkpoint),
    closingLeaderTimestampMs: point.closingLeaderTimestampMs,
    leaderRound: point.leaderRound,
    committedRefs: point.committedRefs,
  });
}

/**
 * Puts a fresh epoch context where the resume point left the DAG: the linearizer counts the
 * committed references as ordered (its last leader the point's), and the store accepts nothing
 * below the gc round that follows. Nothing when the epoch starts (round 0).
 */
export function seedEpochContext(context: EpochContext, start: ResumeStart): void {
  const leader = start.committedRefs[start.committedRefs.length - 1];
  if (start.leaderRound === 0 || leader === undefined) return;
  context.linearizer.adopt({ leader, vertices: start.committedRefs });
  context.store.gc(context.linearizer.gcRound());
}
