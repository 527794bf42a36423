import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, contextBytes, CONTEXTS, EMPTY_MERKLE_ROOT, hashDomain, merkleRoot, verifySignature } from '../crypto/index.ts';
import { decodeSlotHeader, EVIDENCE_MESSAGE_MAX_BYTES, evidenceCodec, verifyEvidence, type Evidence } from '../state/index.ts';
import {
  checkpointCodec,
  checkpointHash,
  checkpointMaxBytes,
  checkpointTxRoot,
  decodeCheckpoint,
  encodeCheckpoint,
  isEndOfEpoch,
  tryEncodeCheckpoint,
  type Checkpoint,
  type NextCommitteeMember,
} from './checkpoint.ts';
import {
  CHECKPOINT_SIGNING_CONTEXT,
  checkpointEquivocationEvidence,
  checkpointMessageOfHash,
  checkpointSignedMessage,
  checkpointVoteCodec,
  checkpointVoteItem,
  signCheckpoint,
} from './checkpointSign.ts';
import { backend, CHAIN, makeValidators, sampleCheckpoint } from './test/certificateFixtures.ts';

const validators = makeValidators('checkpoint-test', [10n, 10n, 10n, 10n]);
const signer0 = validators.signers[0];
const member0 = validators.committee.members[0];
if (signer0 === undefined || member0 === undefined) throw new Error('fixture');

const nextCommittee: readonly NextCommitteeMember[] = validators.committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake + 1n }));

const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const nextMembers = fc
  .uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 4, selector: (a) => Buffer.from(a).toString('hex') })
  .chain((bodies) =>
    fc.tuple(
      fc.constant([...bodies].sort((a, b) => Buffer.compare(a, b)).map((b) => Uint8Array.of(0, ...b))),
      fc.array(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), { minLength: bodies.length, maxLength: bodies.length }),
    ),
  )
  .map(([addresses, stakes]) =>
    addresses.map((address, i) => ({ address, key: { scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(1312).fill(i) }, stake: stakes[i] as bigint })),
  );
const arbitraryCheckpoint: fc.Arbitrary<Checkpoint> = fc.record({
  chainId: fc.string({ minLength: 1, maxLength: 20 }),
  epoch: u64,
  sequence: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
  lastCommitIndex: u64,
  commitDigest: hash32,
  stateRoot: hash32,
  txRoot: hash32,
  previousCheckpointHash: hash32,
  nextCommittee: fc.option(nextMembers, { nil: undefined }),
});

describe('checkpoint encoding', () => {
  it('round-trips, is frozen, and carries the next committee only when given', () => {
    const plain = sampleCheckpoint();
    const d = decodeCheckpoint(encodeCheckpoint(plain));
    if (!d.ok) throw new Error(d.error.code);
    expect(Object.isFrozen(d.value)).toBe(true);
    expect(d.value.nextCommittee).toBeUndefined();
    expect(isEndOfEpoch(d.value)).toBe(false);
    const last = sampleCheckpoint({ nextCommittee });
    const e = decodeCheckpoint(encodeCheckpoint(last));
    expect(e.ok && isEndOfEpoch(e.value)).toBe(true);
    expect(e.ok && encodeCheckpoint(e.value)).toEqual(encodeCheckpoint(last));
  });

  it('stays within checkpointMaxBytes', () => {
    expect(encodeCheckpoint(sampleCheckpoint({ chainId: 'x'.repeat(32) })).length).toBe(checkpointMaxBytes(0));
    expect(encodeCheckpoint(sampleCheckpoint({ nextCommittee })).length).toBeLessThanOrEqual(checkpointMaxBytes(nextCommittee.length));
  });

  it('refuses sequence 0, an empty, unsorted, duplicated or zero-stake next committee', () => {
    const bad: Array<[string, Checkpoint]> = [
      ['sequence 0', sampleCheckpoint({ sequence: 0n })],
      ['empty', sampleCheckpoint({ nextCommittee: [] })],
      ['unsorted', sampleCheckpoint({ nextCommittee: [...nextCommittee].reverse() })],
      ['duplicate', sampleCheckpoint({ nextCommittee: [nextCommittee[0] as NextCommitteeMember, nextCommittee[0] as NextCommitteeMember] })],
      ['zero stake', sampleCheckpoint({ nextCommittee: [{ ...(nextCommittee[0] as NextCommitteeMember), stake: 0n }] })],
    ];
    for (const [name, c] of bad) {
      expect(() => encodeCheckpoint(c), name).toThrow(RangeError);
      expect(tryEncodeCheckpoint(c).ok, name).toBe(false);
    }
    // The same faults arriving as bytes are typed decode errors.
    const bytes = encodeCheckpoint(sampleCheckpoint({ sequence: 1n }));
    bytes.set(new Uint8Array(8), 1 + CHAIN.length + 8); // sequence := 0
    const r = decodeCheckpoint(bytes);
    expect(r.ok ? 'accepted' : r.error.code).toBe('INVALID_VALUE');
  });

  it('property: arbitrary checkpoints round-trip through the codec', () => {
    fc.assert(
      fc.property(arbitraryCheckpoint, (c) => {
        const bytes = encodeCheckpoint(c);
        const d = checkpointCodec.decode(bytes);
        if (!d.ok) throw new Error(d.error.code);
        // bytesEqual, not toEqual: deep equality of kilobyte arrays dominates the run time.
        expect(bytesEqual(encodeCheckpoint(d.value), bytes)).toBe(true);
        expect(bytesEqual(checkpointHash(d.value), checkpointHash(c))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: random and mutated bytes never throw; accepted bytes re-encode identically', () => {
    const valid = encodeCheckpoint(sampleCheckpoint({ nextCommittee }));
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
        const m = valid.slice();
        m[i] = b;
        return m;
      }),
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    );
    fc.assert(
      fc.property(inputs, (bytes) => {
        const r = decodeCheckpoint(bytes);
        if (r.ok) expect(bytesEqual(encodeCheckpoint(r.value), bytes)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('checkpoint hash and tx root', () => {
  it('changes with every field', () => {
    const base = checkpointHash(sampleCheckpoint());
    const variants: Partial<Checkpoint>[] = [
      { chainId: 'other' },
      { epoch: 1n },
      { sequence: 2n },
      { lastCommitIndex: 11n },
      { commitDigest: new Uint8Array(32) },
      { stateRoot: new Uint8Array(32) },
      { txRoot: new Uint8Array(32) },
      { previousCheckpointHash: new Uint8Array(32) },
      { nextCommittee },
    ];
    for (const v of variants) expect(checkpointHash(sampleCheckpoint(v)), JSON.stringify(Object.keys(v))).not.toEqual(base);
  });

  it('is the domain hash of the encoding', () => {
    const c = sampleCheckpoint();
    expect(checkpointHash(c)).toEqual(hashDomain('kaldrix/checkpoint-hash/v1', encodeCheckpoint(c)));
  });

  it('tx root is the Merkle root of the executed ids, empty root when none', () => {
    const ids = [new Uint8Array(32).fill(7), new Uint8Array(32).fill(8)];
    expect(checkpointTxRoot(ids)).toEqual(merkleRoot(ids));
    expect(checkpointTxRoot([])).toEqual(EMPTY_MERKLE_ROOT);
  });
});

describe('checkpoint signatures', () => {
  it('the signed message is slot header || chain id || checkpoint hash, small enough for evidence', () => {
    const c = sampleCheckpoint({ epoch: 3n, sequence: 77n, chainId: 'x'.repeat(32) });
    const m = checkpointSignedMessage(c);
    expect(decodeSlotHeader(m)).toEqual({ epoch: 3n, roundOrSequence: 77n });
    expect(m[16]).toBe(32);
    expect(new TextDecoder().decode(m.subarray(17, 49))).toBe('x'.repeat(32));
    expect(m.subarray(49)).toEqual(checkpointHash(c));
    expect(m.length).toBe(81);
    expect(m.length).toBeLessThanOrEqual(EVIDENCE_MESSAGE_MAX_BYTES);
  });

  it('a vote verifies under the checkpoint context and NOT as a vertex, a transaction or for another checkpoint', async () => {
    const c = sampleCheckpoint();
    const vote = await signCheckpoint(signer0, c);
    expect(vote.sequence).toBe(1n);
    expect(vote.checkpointHash).toEqual(checkpointHash(c));
    expect(checkpointMessageOfHash(c, vote.checkpointHash)).toEqual(checkpointSignedMessage(c));
    const item = checkpointVoteItem(checkpointSignedMessage(c), member0.key, vote.signature);
    expect(verifySignature(backend, item)).toBe(true);
    expect(verifySignature(backend, { ...item, context: contextBytes(CONTEXTS.vertex) })).toBe(false);
    expect(verifySignature(backend, { ...item, context: contextBytes(CONTEXTS.tx) })).toBe(false);
    expect(verifySignature(backend, { ...item, message: checkpointSignedMessage(sampleCheckpoint({ lastCommitIndex: 11n })) })).toBe(false);
    expect(CHECKPOINT_SIGNING_CONTEXT).toEqual(contextBytes(CONTEXTS.checkpoint));
  });

  it('the vote codec round-trips', async () => {
    const vote = await signCheckpoint(signer0, sampleCheckpoint());
    const bytes = checkpointVoteCodec.encode(vote);
    // u64 sequence || 32-byte checkpoint hash || varint(len) || tagged signature.
    expect(bytes.subarray(8, 40)).toEqual(vote.checkpointHash);
    const d = checkpointVoteCodec.decode(bytes);
    expect(d.ok && d.value.sequence).toBe(1n);
    expect(d.ok && d.value.checkpointHash).toEqual(vote.checkpointHash);
    expect(d.ok && d.value.signature.bytes).toEqual(vote.signature.bytes);
    expect(d.ok && checkpointVoteCodec.encode(d.value)).toEqual(bytes);
  });

  it('two signatures on different checkpoints for one (epoch, sequence) are valid slashing evidence', async () => {
    const a = sampleCheckpoint({ stateRoot: new Uint8Array(32).fill(0xaa) });
    const b = sampleCheckpoint({ stateRoot: new Uint8Array(32).fill(0xbb) });
    const evidence: Evidence = {
      context: 'checkpoint',
      offender: member0.address,
      first: { message: checkpointSignedMessage(a), signature: (await signCheckpoint(signer0, a)).signature },
      second: { message: checkpointSignedMessage(b), signature: (await signCheckpoint(signer0, b)).signature },
    };
    expect(verifyEvidence(evidence, member0.key, backend)).toEqual({ ok: true, value: undefined });
    expect(evidenceCodec.decode(evidenceCodec.encode(evidence)).ok).toBe(true);
    // The same signatures filed as vertex evidence do not verify: the contexts differ.
    expect(verifyEvidence({ ...evidence, context: 'vertex' }, member0.key, backend).ok).toBe(false);
    // Two checkpoints of different sequences are no equivocation.
    const c = sampleCheckpoint({ sequence: 2n });
    const other = { ...evidence, second: { message: checkpointSignedMessage(c), signature: (await signCheckpoint(signer0, c)).signature } };
    expect(verifyEvidence(other, member0.key, backend)).toEqual({ ok: false, error: { code: 'DIFFERENT_SLOT' } });
  });

  it('checkpointEquivocationEvidence builds that evidence from the two votes alone', async () => {
    const a = sampleCheckpoint({ stateRoot: new Uint8Array(32).fill(0xaa) });
    const b = sampleCheckpoint({ stateRoot: new Uint8Array(32).fill(0xbb) });
    const voteA = await signCheckpoint(signer0, a);
    const voteB = await signCheckpoint(signer0, b);
    const evidence = checkpointEquivocationEvidence(a, voteA, voteB, member0.address);
    expect(evidence.context).toBe('checkpoint');
    expect(evidence.first.message).toEqual(checkpointSignedMessage(a));
    expect(evidence.second.message).toEqual(checkpointSignedMessage(b));
    expect(verifyEvidence(evidence, member0.key, backend)).toEqual({ ok: true, value: undefined });
    expect(() => checkpointEquivocationEvidence(a, voteA, voteA, member0.address)).toThrow(RangeError);
    expect(() => checkpointEquivocationEvidence(a, voteA, { ...voteB, sequence: 2n }, member0.address)).toThrow(RangeError);
  });
});
