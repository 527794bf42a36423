// Receipts: what they name, and the peer list's order, uniqueness and bound.
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../consensus/index.ts';
import { makeReceipt, MAX_RECEIPT_PEERS, sameCertifiedCheckpoint, withServingPeer } from './receipt.ts';
import type { TrustedCheckpoint } from './types.ts';

const checkpoint: Checkpoint = {
  chainId: 'kaldrix-receipt-test',
  epoch: 3n,
  sequence: 42n,
  lastCommitIndex: 120n,
  commitDigest: new Uint8Array(32).fill(1),
  stateRoot: new Uint8Array(32).fill(2),
  txRoot: new Uint8Array(32).fill(3),
  previousCheckpointHash: new Uint8Array(32).fill(4),
};
const trusted: TrustedCheckpoint = { checkpoint, hash: new Uint8Array(32).fill(9) };

describe('verification receipts', () => {
  it('name the height, epoch, checkpoint hash, state root, peers and the check', () => {
    const r = makeReceipt(trusted, 'account-inclusion', ['p1', 'p2', 'p1']);
    expect(r).toEqual({
      sequence: 42n,
      epoch: 3n,
      lastCommitIndex: 120n,
      checkpointHash: trusted.hash,
      stateRoot: checkpoint.stateRoot,
      servedBy: ['p1', 'p2'],
      proofChecked: 'account-inclusion',
    });
    expect(Object.isFrozen(r) && Object.isFrozen(r.servedBy)).toBe(true);
  });

  it('keep each peer once, in answer order, at most MAX_RECEIPT_PEERS', () => {
    let r = makeReceipt(trusted, 'certificate', []);
    for (let i = 0; i < MAX_RECEIPT_PEERS + 5; i++) r = withServingPeer(withServingPeer(r, `p${i}`), 'p0');
    expect(r.servedBy.length).toBe(MAX_RECEIPT_PEERS);
    expect(r.servedBy[0]).toBe('p0');
    expect(new Set(r.servedBy).size).toBe(MAX_RECEIPT_PEERS);
  });

  it('tell whether two answers rest on the same certified checkpoint', () => {
    const a = makeReceipt(trusted, 'certificate', ['p1']);
    expect(sameCertifiedCheckpoint(a, makeReceipt(trusted, 'account-exclusion', ['p2']))).toBe(true);
    expect(sameCertifiedCheckpoint(a, makeReceipt({ ...trusted, hash: new Uint8Array(32) }, 'certificate', []))).toBe(false);
  });
});
