// The commit log's bounds: a count, and the bytes its commits' vertices hold (signatures,
// transactions, evidence); the newest commit stays whatever its size.
import { describe, expect, it } from 'vitest';
import type { SignedVertex } from '../dag/index.ts';
import { createCommitLog, loggedBytesOf, type LoggedCommit } from './_commitLog.ts';

/** A commit of one vertex carrying `txBytes` of transactions and a 100-byte signature (only what the log measures). */
function commit(index: bigint, txBytes: number): LoggedCommit {
  const vertex = { transactions: [new Uint8Array(txBytes)], evidence: [] } as unknown as SignedVertex['vertex'];
  const signed = { vertex, signature: { scheme: 'ml-dsa-44', bytes: new Uint8Array(100) } } as unknown as SignedVertex;
  return { epoch: 0n, index, how: 'direct', vertices: [signed] } as unknown as LoggedCommit;
}

describe('createCommitLog bounds', () => {
  it('drops the oldest commits once their bytes pass the bound', () => {
    const log = createCommitLog(100, 10_000);
    for (let i = 1n; i <= 5n; i++) log.record(commit(i, 2_900));
    expect(loggedBytesOf(commit(1n, 2_900))).toBe(3_000);
    expect(log.held()).toEqual({ commits: 3, bytes: 9_000, oldestIndex: 3n });
  });

  it('keeps the newest commit even when it alone is larger than the bound', () => {
    const log = createCommitLog(100, 10_000);
    log.record(commit(1n, 100));
    log.record(commit(2n, 50_000));
    expect(log.held()).toEqual({ commits: 1, bytes: 50_100, oldestIndex: 2n });
  });

  it('still bounds the count', () => {
    const log = createCommitLog(2);
    for (let i = 1n; i <= 4n; i++) log.record(commit(i, 10));
    expect(log.held()).toMatchObject({ commits: 2, oldestIndex: 3n });
    expect(() => createCommitLog(2, 0)).toThrow(RangeError);
  });
});
