// The resume point's codec (round trip, typed rejects for truncated, extended and altered bytes)
// and createValidator's checks of a resume point against its other inputs, on a real point
// taken from a 4-validator run.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesFixed, list, struct, u64, varint, DECODE_ERROR_CODES } from '../codec/index.ts';
import { certificateCodec, type Certificate } from '../consensus/certificate.ts';
import { createCommittee } from '../consensus/committee.ts';
import { epochLeaderSeed } from '../consensus/leaderSchedule.ts';
import { bytesEqual, HASH32_BYTES, toHex } from '../crypto/index.ts';
import { vertexRefCodec } from '../dag/index.ts';
import { createMempool } from '../state/mempool/index.ts';
import { createValidator } from './validator.ts';
import { decodeResumePoint, encodeResumePoint, resumeEpochOf, type ResumePointRecord, type ValidatorResumePoint } from './resumePoint.ts';
import { createNetwork, makeChain, submitTransfers, verifyPool, type Chain } from './test/harness.ts';
import type { ValidatorComponents, ValidatorInit } from './types.ts';

/** The record's layout without the consistency checks: to write bytes the encoder refuses. */
const unchecked = struct({
  certificate: certificateCodec,
  closingLeaderTimestampMs: u64,
  leaderRound: varint,
  leaderSeed: bytesFixed(HASH32_BYTES),
  committedRefs: list(vertexRefCodec, { maxItems: 1 << 20 }),
});
const writeUnchecked = (r: ResumePointRecord): Uint8Array => unchecked.encode({ ...r, closingLeaderTimestampMs: BigInt(r.closingLeaderTimestampMs) });

let chain: Chain;
let point: ValidatorResumePoint;

beforeAll(async () => {
  chain = makeChain(4);
  const net = await createNetwork({ chain, trace: false });
  // Transfers, so the point's ledger is not the genesis one.
  await submitTransfers(chain, net.nodes, 2);
  await net.run(700);
  const taken = net.node('v3').validator.resumePoint();
  if (taken === undefined) throw new Error('no resume point after 700 ms');
  point = taken;
}, 60_000);

describe('resume point codec', () => {
  it('round trip: the same record, frozen, and the same bytes again', () => {
    const bytes = encodeResumePoint(point);
    const decoded = decodeResumePoint(bytes);
    if (!decoded.ok) throw new Error(decoded.error.code);
    const { ledger: _ledger, ...record } = point;
    expect(decoded.value).toEqual(record);
    expect(Object.isFrozen(decoded.value)).toBe(true);
    expect(Object.isFrozen(decoded.value.committedRefs)).toBe(true);
    expect(encodeResumePoint(decoded.value)).toEqual(bytes);
    expect(point.committedRefs.length).toBeGreaterThan(1);
    expect(toHex(point.certificate.checkpoint.stateRoot)).not.toBe(toHex(chain.ledger.tree.root()));
  });

  it('every truncation is refused as TRUNCATED, an extra byte as TRAILING_BYTES, a cap as TOO_LARGE', () => {
    const bytes = encodeResumePoint(point);
    for (let length = 0; length < bytes.length; length += length < 64 || bytes.length - length < 64 ? 1 : 13) {
      const decoded = decodeResumePoint(bytes.subarray(0, length));
      expect(decoded.ok ? 'ok' : decoded.error.code, `prefix of ${length} bytes`).toBe('TRUNCATED');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    const extended = decodeResumePoint(longer);
    expect(extended.ok ? 'ok' : extended.error.code).toBe('TRAILING_BYTES');
    const capped = decodeResumePoint(bytes, bytes.length - 1);
    expect(capped.ok ? 'ok' : capped.error.code).toBe('TOO_LARGE');
  });

  const invalid = (change: (r: ResumePointRecord) => ResumePointRecord): string => {
    const decoded = decodeResumePoint(writeUnchecked(change(point)));
    if (decoded.ok) return 'accepted';
    return decoded.error.code === 'INVALID_VALUE' ? decoded.error.reason : decoded.error.code;
  };

  it('well-formed bytes whose parts do not fit together: INVALID_VALUE naming the problem', () => {
    const refs = point.committedRefs;
    expect(invalid((r) => r)).toBe('accepted');
    expect(invalid((r) => ({ ...r, committedRefs: [...refs].reverse() }))).toMatch(/canonical order/);
    expect(invalid((r) => ({ ...r, committedRefs: [refs[0] as never, ...refs] }))).toMatch(/canonical order/);
    expect(invalid((r) => ({ ...r, leaderRound: r.leaderRound - 1 }))).toMatch(/outside/);
    expect(invalid((r) => ({ ...r, leaderRound: r.leaderRound + 1 }))).toMatch(/end with the leader/);
    expect(invalid((r) => ({ ...r, leaderRound: 0, committedRefs: [] }))).toMatch(/leaderRound 0 is only/);
    expect(invalid((r) => ({ ...r, committedRefs: refs.map((ref, i) => (i === 0 ? { ...ref, author: 4 } : ref)) }))).toMatch(/author 4/);
  });

  it('an epoch\'s last checkpoint: round 0, no references, and the next epoch\'s seed only', () => {
    const { checkpoint } = point.certificate;
    const nextCommittee = chain.committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake }));
    const certificate: Certificate = { ...point.certificate, checkpoint: { ...checkpoint, nextCommittee } };
    const seed = epochLeaderSeed(checkpoint.epoch + 1n, checkpoint.commitDigest);
    const last = (r: ResumePointRecord): ResumePointRecord => ({ ...r, certificate, leaderRound: 0, committedRefs: [], leaderSeed: seed });
    expect(invalid(last)).toBe('accepted');
    expect(resumeEpochOf({ certificate })).toBe(checkpoint.epoch + 1n);
    expect(invalid((r) => ({ ...last(r), leaderSeed: point.leaderSeed }))).toMatch(/next epoch's/);
    expect(invalid((r) => ({ ...last(r), leaderRound: r.leaderRound }))).toMatch(/round 0 of the next epoch/);
    expect(invalid((r) => ({ ...last(r), committedRefs: r.committedRefs }))).toMatch(/round 0 of the next epoch/);
  });

  it('the encoder refuses a record that does not hold together (a bug of the caller)', () => {
    expect(() => encodeResumePoint({ ...point, leaderRound: point.leaderRound + 1 })).toThrow(RangeError);
  });

  it('property: any flipped byte decodes to a typed error or to a record that re-encodes to the same bytes', () => {
    const bytes = encodeResumePoint(point);
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const altered = bytes.slice();
        altered[at] = (altered[at] as number) ^ mask;
        const decoded = decodeResumePoint(altered);
        if (decoded.ok) expect(bytesEqual(encodeResumePoint(decoded.value), altered)).toBe(true);
        else expect(DECODE_ERROR_CODES).toContain(decoded.error.code);
      }),
      { numRuns: 150 },
    );
  });
});

describe('createValidator with init.resume', () => {
  const build = (components: Partial<ValidatorComponents>, init: Partial<ValidatorInit>) => async () => {
    const pool = await verifyPool();
    const mempool = createMempool({ verifier: pool, accounts: { account: () => undefined } }, { chainId: chain.genesis.chainId });
    return createValidator(
      { committee: chain.committee, ledger: point.ledger, mempool, ...components },
      { selfIndex: 3, params: chain.genesis.params, leaderSeed: point.leaderSeed, genesisHash: chain.genesisHash, genesisTimeMs: chain.genesis.genesisTimeMs, resume: point, ...init },
    );
  };

  it('starts at the point: commit index and digest, checkpoint, root; asks for ranges from there; without `restart` it first learns its last round', async () => {
    const validator = await build({}, {})();
    const { checkpoint } = point.certificate;
    const status = validator.status();
    expect(status.lastCommitIndex).toBe(checkpoint.lastCommitIndex);
    expect(toHex(status.commitDigest)).toBe(toHex(checkpoint.commitDigest));
    expect(toHex(status.stateRoot)).toBe(toHex(checkpoint.stateRoot));
    expect([status.lastCheckpointSequence, status.lastCertifiedSequence]).toEqual([checkpoint.sequence, checkpoint.sequence]);
    expect(status.gcRound).toBe(Math.max(0, point.leaderRound - chain.genesis.params.gcDepthRounds));
    expect(validator.resumePoint()).toBe(point);
    const effects = validator.step({ type: 'start', nowMs: chain.genesis.genesisTimeMs + 5_000 });
    expect(effects).toContainEqual({ type: 'requestCommitRange', fromIndex: checkpoint.lastCommitIndex + 1n, epoch: 0n });
    expect(effects.map((e) => e.type)).toContain('requestLatestVertices');
    expect(effects.map((e) => e.type)).not.toContain('sign');
    expect(validator.status().recovering).toBe(true);
    expect(validator.commitRange(1n, 0n)).toBeUndefined();
  });

  it('inconsistent input is a caller bug: a RangeError naming the mismatch', async () => {
    const genesisLedger = chain.ledger;
    await expect(build({ ledger: genesisLedger }, {})()).rejects.toThrow(/components\.ledger root .* is not the checkpoint's state root/);
    await expect(build({}, { resume: { ...point, ledger: genesisLedger } })()).rejects.toThrow(/init\.resume\.ledger root/);
    const laterLedger = { ...point.ledger, epoch: 1n };
    await expect(build({ ledger: laterLedger }, { resume: { ...point, ledger: laterLedger } })()).rejects.toThrow(/ledger is in epoch 1, the resume point resumes in epoch 0/);
    await expect(build({ committee: createCommittee(1n, chain.genesis.validators) }, {})()).rejects.toThrow(/committee is of epoch 1/);
    const five = makeChain(5);
    await expect(build({ committee: five.committee }, { selfIndex: 0 })()).rejects.toThrow(/does not fit components\.committee \(BITMAP_SIZE_MISMATCH\)/);
    await expect(build({}, { leaderSeed: chain.leaderSeed.map((b) => b ^ 1) })()).rejects.toThrow(/leader seed/);
    await expect(build({}, { params: { ...chain.genesis.params, chainId: 'another-chain' } })()).rejects.toThrow(/checkpoint of chain/);
    await expect(build({}, { resume: { ...point, leaderRound: point.leaderRound + 1 } })()).rejects.toThrow(RangeError);
  });
});
