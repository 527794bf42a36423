/**
 * The cheap re-check of a light state read back from storage: do its pieces still hang
 * together? Hashes and links only, no signature — so a reload resumes in milliseconds
 * (DESIGN.md §2 Light client: "persists what it verified, re-checks it cheaply on load").
 *
 * What it catches: a stored value edited or corrupted after it was verified (a head whose hash
 * is not its checkpoint's, a committee other than the one the last handover named, epoch links
 * out of order or not ending at the head). What it cannot catch: a state forged as a whole by
 * whoever can write the store — the store is as trusted as the code that reads it; only a
 * re-sync from the root re-verifies signatures.
 */
import { checkpointHash, isEndOfEpoch, type Checkpoint } from '../consensus/index.ts';
import { bytesEqual, type Hash32 } from '../crypto/index.ts';
import { err, ok, type Result } from '../result.ts';
import { committeeHash } from './committeeCodec.ts';
import { MAX_EPOCH_LINKS, type LightState, type TrustRoot } from './types.ts';

export type RecheckReject =
  | { readonly code: 'WRONG_CHAIN'; readonly where: 'root' | 'head'; readonly expected: string; readonly actual: string }
  | { readonly code: 'HASH_MISMATCH'; readonly where: 'root' | 'head' }
  | { readonly code: 'HEAD_BEFORE_ROOT'; readonly rootSequence: bigint; readonly headSequence: bigint }
  | { readonly code: 'COMMITTEE_EPOCH_MISMATCH'; readonly expected: bigint; readonly actual: bigint }
  | { readonly code: 'COMMITTEE_HASH_MISMATCH'; readonly expected: Hash32; readonly actual: Hash32 }
  | { readonly code: 'BROKEN_EPOCH_CHAIN'; readonly index: number; readonly reason: string }
  | { readonly code: 'HEAD_NOT_LINKED'; readonly reason: string };

/** The epoch whose committee is trusted right after `checkpoint`. */
const epochAfter = (checkpoint: Checkpoint): bigint => (isEndOfEpoch(checkpoint) ? checkpoint.epoch + 1n : checkpoint.epoch);

function rootEpoch(root: TrustRoot): bigint {
  return root.kind === 'genesis' ? 0n : epochAfter(root.checkpoint.checkpoint);
}

function checkCheckpoints(state: LightState): Result<void, RecheckReject> {
  const { root, head, chainId } = state;
  if (root.kind === 'checkpoint') {
    const pinned = root.checkpoint;
    if (pinned.checkpoint.chainId !== chainId) return err({ code: 'WRONG_CHAIN', where: 'root', expected: chainId, actual: pinned.checkpoint.chainId });
    if (!bytesEqual(checkpointHash(pinned.checkpoint), pinned.hash)) return err({ code: 'HASH_MISMATCH', where: 'root' });
    if (head === undefined || head.checkpoint.sequence < pinned.checkpoint.sequence) {
      return err({ code: 'HEAD_BEFORE_ROOT', rootSequence: pinned.checkpoint.sequence, headSequence: head?.checkpoint.sequence ?? 0n });
    }
  }
  if (head === undefined) return ok(undefined);
  if (head.checkpoint.chainId !== chainId) return err({ code: 'WRONG_CHAIN', where: 'head', expected: chainId, actual: head.checkpoint.chainId });
  if (!bytesEqual(checkpointHash(head.checkpoint), head.hash)) return err({ code: 'HASH_MISMATCH', where: 'head' });
  return ok(undefined);
}

function checkEpochChain(state: LightState): Result<void, RecheckReject> {
  const links = state.epochChain;
  // A full list may have dropped its oldest links; a shorter one must start at the root.
  if (links.length > 0 && links.length < MAX_EPOCH_LINKS && (links[0] as (typeof links)[number]).epoch !== rootEpoch(state.root)) {
    return err({ code: 'BROKEN_EPOCH_CHAIN', index: 0, reason: 'the first handover is not of the root epoch' });
  }
  for (let i = 1; i < links.length; i++) {
    const previous = links[i - 1] as (typeof links)[number];
    const link = links[i] as (typeof links)[number];
    if (link.epoch !== previous.epoch + 1n) return err({ code: 'BROKEN_EPOCH_CHAIN', index: i, reason: `epoch ${link.epoch} after ${previous.epoch}` });
    if (link.sequence <= previous.sequence) return err({ code: 'BROKEN_EPOCH_CHAIN', index: i, reason: `sequence ${link.sequence} after ${previous.sequence}` });
  }
  return ok(undefined);
}

function checkHeadAndCommittee(state: LightState): Result<void, RecheckReject> {
  const { head, committee, epochChain, root } = state;
  const last = epochChain[epochChain.length - 1];
  const expectedEpoch = head === undefined ? rootEpoch(root) : epochAfter(head.checkpoint);
  if (committee.epoch !== expectedEpoch) return err({ code: 'COMMITTEE_EPOCH_MISMATCH', expected: expectedEpoch, actual: committee.epoch });
  const expectedHash = last === undefined ? root.committeeHash : last.nextCommitteeHash;
  const actualHash = committeeHash(committee);
  if (!bytesEqual(expectedHash, actualHash)) return err({ code: 'COMMITTEE_HASH_MISMATCH', expected: expectedHash, actual: actualHash });
  if (last === undefined || head === undefined) {
    return last === undefined ? ok(undefined) : err({ code: 'HEAD_NOT_LINKED', reason: 'handovers without a head' });
  }
  if (isEndOfEpoch(head.checkpoint)) {
    const same = last.sequence === head.checkpoint.sequence && bytesEqual(last.checkpointHash, head.hash);
    return same ? ok(undefined) : err({ code: 'HEAD_NOT_LINKED', reason: 'an end-of-epoch head must be the last handover' });
  }
  if (last.epoch + 1n !== head.checkpoint.epoch || last.sequence >= head.checkpoint.sequence) {
    return err({ code: 'HEAD_NOT_LINKED', reason: 'the head is not in the epoch after the last handover' });
  }
  return ok(undefined);
}

/** Re-checks a stored state without signatures; `ok` means it may be trusted again as it was. */
export function recheckLightState(state: LightState): Result<void, RecheckReject> {
  const checkpoints = checkCheckpoints(state);
  if (!checkpoints.ok) return checkpoints;
  const chain = checkEpochChain(state);
  if (!chain.ok) return chain;
  return checkHeadAndCommittee(state);
}
