import { describe, expect, it } from 'vitest';
import { concatBytes } from '@noble/hashes/utils.js';
import { encodeSlotHeader } from './evidence.ts';
import { encodeSignedTx, encodeTx } from './txCodec.ts';
import { decodeSignedTx } from './txDecode.ts';
import type { TxRejectCode } from './txReject.ts';
import { signatureCodec } from './txFields.ts';
import { ALICE, BOB, alice, bob, fakeSignature, params, tagged, transferBody, tx } from './test/fixtures.ts';
import type { SignedTx } from './types.ts';
import { U64_MAX } from './types.ts';

const sig44 = fakeSignature('ml-dsa-44');
const withKey = (s: Omit<SignedTx, 'signature' | 'publicKey'> & Partial<SignedTx>): SignedTx => ({
  publicKey: tagged(alice),
  signature: sig44,
  ...s,
});
const msg = (slot: bigint, tail: number) => Uint8Array.from([...encodeSlotHeader(1n, slot), tail]);

const cases: readonly { readonly name: string; readonly code: TxRejectCode; readonly bytes: () => Uint8Array }[] = [
  { name: 'truncated input', code: 'MALFORMED', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody()) })).slice(0, 50) },
  { name: 'trailing bytes', code: 'MALFORMED', bytes: () => concatBytes(encodeSignedTx(withKey({ tx: tx(transferBody()) })), Uint8Array.of(0)) },
  { name: 'unknown body tag', code: 'MALFORMED', bytes: () => { const b = encodeTx(tx(transferBody())); b[1 + 12 + 33 + 16] = 9; return b; } },
  { name: 'above max_tx_bytes', code: 'TOO_LARGE', bytes: () => new Uint8Array(params.maxTxBytes + 1) },
  {
    name: 'carried public key with a wrong length',
    code: 'BAD_PUBLIC_KEY',
    bytes: () => concatBytes(encodeTx(tx(transferBody())), Uint8Array.of(1, 11, 1), new Uint8Array(10), signatureCodec.encode(sig44)),
  },
  {
    name: 'rotate-key new key with an unknown scheme tag',
    code: 'BAD_PUBLIC_KEY',
    bytes: () => {
      const body = encodeTx(tx({ kind: 'rotate-key', value: { newKey: tagged(bob), possession: fakeSignature(bob.scheme) } }));
      const at = 1 + 12 + 33 + 16 + 1 + 2; // tag byte, then varint(1345) = 2 bytes, then the scheme tag
      body[at] = 0x7f;
      return concatBytes(body, Uint8Array.of(0), signatureCodec.encode(sig44));
    },
  },
  {
    name: 'signature with an unknown scheme tag',
    code: 'BAD_SIGNATURE_ENCODING',
    bytes: () => concatBytes(encodeTx(tx(transferBody())), Uint8Array.of(0, 3, 0x09, 0xaa, 0xbb)),
  },
  { name: 'other chain', code: 'WRONG_CHAIN', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody(), { chainId: 'other' }) })) },
  { name: "key of someone else", code: 'ADDRESS_MISMATCH', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody()), publicKey: tagged(bob), signature: fakeSignature(bob.scheme) })) },
  { name: 'signature scheme ≠ key scheme', code: 'SIGNATURE_SCHEME_MISMATCH', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody()), signature: fakeSignature(bob.scheme) })) },
  { name: 'transfer of 0', code: 'ZERO_AMOUNT', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody(0n)) })) },
  { name: 'bond of 0', code: 'ZERO_AMOUNT', bytes: () => encodeSignedTx(withKey({ tx: tx({ kind: 'bond', value: { amount: 0n } }) })) },
  { name: 'unbond of 0', code: 'ZERO_AMOUNT', bytes: () => encodeSignedTx(withKey({ tx: tx({ kind: 'unbond', value: { amount: 0n } }) })) },
  { name: 'transfer to self', code: 'SELF_TRANSFER', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody(5n, ALICE)) })) },
  { name: 'amount + fee > u64', code: 'AMOUNT_OVERFLOW', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody(U64_MAX)) })) },
  { name: 'bond amount + fee > u64', code: 'AMOUNT_OVERFLOW', bytes: () => encodeSignedTx(withKey({ tx: tx({ kind: 'bond', value: { amount: U64_MAX } }) })) },
  { name: 'nonce 2^64 − 1', code: 'NONCE_OVERFLOW', bytes: () => encodeSignedTx(withKey({ tx: tx(transferBody(), { nonce: U64_MAX }) })) },
  {
    name: 'possession signed by another scheme',
    code: 'POSSESSION_SCHEME_MISMATCH',
    bytes: () => encodeSignedTx(withKey({ tx: tx({ kind: 'rotate-key', value: { newKey: tagged(bob), possession: sig44 } }) })),
  },
  {
    name: 'evidence with two equal messages',
    code: 'INVALID_EVIDENCE',
    bytes: () => {
      const m = { message: msg(1n, 1), signature: sig44 };
      return encodeSignedTx(withKey({ tx: tx({ kind: 'evidence', value: { evidence: { context: 'vertex', offender: BOB, first: m, second: m } } }) }));
    },
  },
];

describe('decodeSignedTx rejects', () => {
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const r = decodeSignedTx(c.bytes(), params);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(c.code);
        expect(Object.isFrozen(r.error)).toBe(true);
      }
    });
  }

  it('every reject code is reachable', () => {
    const all: readonly TxRejectCode[] = [
      'MALFORMED', 'TOO_LARGE', 'BAD_PUBLIC_KEY', 'BAD_SIGNATURE_ENCODING', 'WRONG_CHAIN', 'ADDRESS_MISMATCH',
      'SIGNATURE_SCHEME_MISMATCH', 'ZERO_AMOUNT', 'SELF_TRANSFER', 'AMOUNT_OVERFLOW', 'NONCE_OVERFLOW',
      'POSSESSION_SCHEME_MISMATCH', 'INVALID_EVIDENCE',
    ];
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(all));
  });

  it('accepts a well-formed transaction of each kind (signatures are checked elsewhere)', () => {
    const bodies: SignedTx['tx']['body'][] = [
      transferBody(),
      { kind: 'bond', value: { amount: 1n } },
      { kind: 'unbond', value: { amount: 1n } },
      { kind: 'rotate-key', value: { newKey: tagged(bob), possession: fakeSignature(bob.scheme) } },
      { kind: 'evidence', value: { evidence: { context: 'checkpoint', offender: BOB, first: { message: msg(3n, 1), signature: sig44 }, second: { message: msg(3n, 2), signature: sig44 } } } },
    ];
    for (const body of bodies) {
      const bytes = encodeSignedTx(withKey({ tx: tx(body) }));
      const r = decodeSignedTx(bytes, params);
      expect(r.ok, body.kind).toBe(true);
      if (r.ok) expect(encodeSignedTx(r.value)).toEqual(bytes);
    }
    const noKey = encodeSignedTx({ tx: tx(transferBody()), signature: sig44 });
    expect(decodeSignedTx(noKey, params).ok).toBe(true);
  });

  it('reports where a malformed encoding failed', () => {
    const r = decodeSignedTx(concatBytes(encodeTx(tx(transferBody())), Uint8Array.of(1, 11, 1), new Uint8Array(10), signatureCodec.encode(sig44)), params);
    expect(!r.ok && r.error.code === 'BAD_PUBLIC_KEY' && r.error.decodeError.path).toBe('publicKey');
  });
});
