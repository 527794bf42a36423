import { describe, expect, it } from 'vitest';
import { err, ok } from '../../core/result.ts';
import type { AdmitResult, MempoolReject } from '../../core/state/mempool/index.ts';
import { relayVerdict } from './relayVerdict.ts';

const refused = (reject: MempoolReject): AdmitResult => err(reject);

describe('relayVerdict', () => {
  it('relays what the mempool admitted', () => {
    expect(relayVerdict(ok({ id: new Uint8Array(32) as never, status: 'pending' }))).toEqual({ kind: 'accept' });
  });

  it('rejects, naming the code, what is invalid on its own bytes: a forged signature, a malformed or foreign transaction', () => {
    expect(relayVerdict(refused({ code: 'BAD_SIGNATURE' }))).toEqual({ kind: 'reject', reason: 'BAD_SIGNATURE' });
    expect(relayVerdict(refused({ code: 'WRONG_CHAIN', expected: 'a', actual: 'b' }))).toEqual({ kind: 'reject', reason: 'WRONG_CHAIN' });
    expect(relayVerdict(refused({ code: 'SELF_TRANSFER' }))).toEqual({ kind: 'reject', reason: 'SELF_TRANSFER' });
  });

  it('ignores, without blame, what depends on this node state or load', () => {
    for (const reject of [
      { code: 'DUPLICATE', id: new Uint8Array(32) },
      { code: 'NONCE_TOO_LOW', nonce: 1n, accountNonce: 2n },
      { code: 'FEE_TOO_LOW', reason: 'pool-full', requiredFee: 10n },
      { code: 'SENDER_KEY_UNKNOWN' },
      { code: 'PUBLIC_KEY_REQUIRED' },
      { code: 'VERIFIER_UNAVAILABLE', reason: 'queue full' },
      { code: 'INSUFFICIENT_BALANCE', required: 2n, balance: 1n },
    ] as MempoolReject[]) {
      expect(relayVerdict(refused(reject))).toEqual({ kind: 'ignore' });
    }
  });
});
