/**
 * The serving side of catch-up: a bounded log of the validator's recent executed commits (their
 * signed vertices in execution order) and of the certificates that close them, from which a
 * certified commit range is cut for a peer that fell behind (`commitRange.ts`).
 *
 * Bounds: at most `maxCommits` commits and `maxBytes` of their vertices' signatures, transactions
 * and evidence (oldest dropped first; the newest commit is kept whatever its size) — under load a
 * commit carries hundreds of transfers, so a count alone bounds nothing — and certificates only
 * while a kept commit precedes them. A peer further behind than the log reaches gets nothing
 * here; it needs state sync from a certified checkpoint (docs/protocol.md "Catch-up").
 * The vertices are the store's own frozen objects, so keeping them costs references, not
 * copies; they are encoded only when a range is asked for.
 */
import type { Certificate } from '../consensus/certificate.ts';
import { isEndOfEpoch } from '../consensus/checkpoint.ts';
import type { SignedVertex } from '../dag/index.ts';
import { MAX_RANGE_COMMITS, type CommitRange, type RangeCommit } from './commitRange.ts';

export type LoggedCommit = RangeCommit & { readonly epoch: bigint };

export type CommitLog = {
  record(commit: LoggedCommit): void;
  certified(certificate: Certificate): void;
  /**
   * For a peer in `epoch` whose next commit is `fromIndex`: the longest range from there that
   * ends at a certificate of that epoch, within MAX_RANGE_COMMITS — or, when the peer has
   * executed all of its epoch, the epoch's end certificate alone (no commits). Undefined when
   * the log does not reach back to `fromIndex` or no certificate closes a range from there yet.
   */
  rangeFrom(fromIndex: bigint, epoch: bigint): CommitRange | undefined;
  /** What the log holds now: commits, their bytes (`loggedBytesOf`), the oldest index. */
  held(): { readonly commits: number; readonly bytes: number; readonly oldestIndex: bigint | undefined };
};

/** Bytes a logged commit holds beyond references: its vertices' signatures, transactions and evidence. */
export function loggedBytesOf(commit: RangeCommit): number {
  let bytes = 0;
  for (const { vertex, signature } of commit.vertices) {
    bytes += signature.bytes.length;
    for (const tx of vertex.transactions) bytes += tx.length;
    for (const e of vertex.evidence) bytes += e.length;
  }
  return bytes;
}

export function createCommitLog(maxCommits: number, maxBytes: number = Number.MAX_SAFE_INTEGER): CommitLog {
  if (!Number.isSafeInteger(maxCommits) || maxCommits < 1) throw new RangeError('createCommitLog: maxCommits must be a positive integer');
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError('createCommitLog: maxBytes must be a positive integer');
  const commits: LoggedCommit[] = [];
  /** loggedBytesOf each kept commit, in step with `commits`. */
  const sizes: number[] = [];
  let bytes = 0;
  /** Certificates by the index of the last commit they certify, ascending. */
  const certificates: Certificate[] = [];

  const record = (commit: LoggedCommit): void => {
    const last = commits[commits.length - 1];
    if (last !== undefined && commit.index !== last.index + 1n) throw new Error(`commit log: commit ${commit.index} does not follow ${last.index}`);
    const size = loggedBytesOf(commit);
    commits.push(commit);
    sizes.push(size);
    bytes += size;
    while (commits.length > maxCommits || (bytes > maxBytes && commits.length > 1)) {
      commits.shift();
      bytes -= sizes.shift() as number;
    }
    const oldest = commits[0] as LoggedCommit;
    while (certificates.length > 0 && (certificates[0] as Certificate).checkpoint.lastCommitIndex < oldest.index) certificates.shift();
  };

  const certified = (certificate: Certificate): void => {
    const last = certificates[certificates.length - 1];
    if (last !== undefined && certificate.checkpoint.lastCommitIndex <= last.checkpoint.lastCommitIndex) return;
    certificates.push(certificate);
  };

  const rangeFrom = (fromIndex: bigint, epoch: bigint): CommitRange | undefined => {
    const oldest = commits[0];
    if (oldest === undefined || fromIndex < oldest.index) return undefined;
    const start = Number(fromIndex - oldest.index);
    const first = commits[start];
    if (first === undefined || first.epoch !== epoch) {
      // The asker executed everything of its epoch: what it may lack is the certificate of the
      // epoch's last checkpoint (it was cut off while the votes rode). No commits, just that.
      const closing = certificates.find((c) => c.checkpoint.epoch === epoch && c.checkpoint.lastCommitIndex === fromIndex - 1n && isEndOfEpoch(c.checkpoint));
      return closing === undefined ? undefined : Object.freeze({ commits: Object.freeze([]), certificate: closing });
    }
    let chosen: Certificate | undefined;
    for (const certificate of certificates) {
      const end = certificate.checkpoint.lastCommitIndex;
      if (end < fromIndex || certificate.checkpoint.epoch !== first.epoch) continue;
      if (end - fromIndex + 1n > BigInt(MAX_RANGE_COMMITS)) break;
      chosen = certificate;
    }
    if (chosen === undefined) return undefined;
    const count = Number(chosen.checkpoint.lastCommitIndex - fromIndex + 1n);
    const slice = commits.slice(start, start + count);
    if (slice.length !== count || slice.some((c) => c.epoch !== first.epoch)) return undefined;
    return Object.freeze({
      commits: Object.freeze(slice.map((c): RangeCommit => Object.freeze({ index: c.index, how: c.how, vertices: c.vertices as readonly SignedVertex[] }))),
      certificate: chosen,
    });
  };

  return Object.freeze({ record, certified, rangeFrom, held: () => Object.freeze({ commits: commits.length, bytes, oldestIndex: commits[0]?.index }) });
}
