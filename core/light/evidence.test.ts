// Conflict evidence from two certificates for one slot: the real certificate of sequence 1
// (served by one peer) and a conflicting one — another state root for the same slot — signed
// by genesis committee members with their real keys (served by another peer). The evidence
// names the double signers, exports to bytes and JSON, and re-checks on its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint, signerBitmapOf, signerIndices, type Certificate } from '../consensus/index.ts';
import { toHex, type KeyPair } from '../crypto/index.ts';
import { verifyEvidence } from '../state/index.ts';
import { acceptCheckpoint } from './acceptCheckpoint.ts';
import { committeeHash } from './committeeCodec.ts';
import {
  buildLightEvidence,
  decodeLightEvidence,
  encodeLightEvidence,
  lightEvidenceBytesFromJson,
  lightEvidenceToJson,
  offenderSlashingEvidence,
  verifyLightEvidence,
  type LightEvidence,
} from './evidence.ts';
import { noble } from '../validator/test/harness.ts';
import { runFixture, signerOf, type Fixture } from './test/fixture.ts';
import { trustGenesis } from './trustRoot.ts';

let f: Fixture;
let real: Certificate;
let conflicting: Certificate;
/** The conflicting certificate's signers: members 0, 1 and 3 (the real one has its own three). */
const LIARS = [0, 1, 3] as const;
beforeAll(async () => {
  f = await runFixture();
  real = f.certificates[0] as Certificate;
  const checkpoint = { ...real.checkpoint, stateRoot: new Uint8Array(32).fill(7) };
  const signatures = [];
  for (const m of LIARS) signatures.push((await signCheckpoint(signerOf(f.chain.validatorKeys[m] as KeyPair), checkpoint)).signature);
  conflicting = { checkpoint, signers: signerBitmapOf(4, LIARS), signatures };
}, 60_000);

const trust = () => ({ chainId: f.chain.genesis.chainId, committee: f.chain.committee });
async function evidence(): Promise<LightEvidence> {
  const built = await buildLightEvidence(trust(), { peer: 'honest-peer', certificate: real }, { peer: 'lying-peer', certificate: conflicting }, f.pool);
  if (!built.ok) throw new Error(built.error.code);
  return built.value;
}

describe('conflicting certified checkpoints', () => {
  it('the client sees the conflict as a stale checkpoint that conflicts with its head', async () => {
    const head = await acceptCheckpoint(trustGenesis(f.chain.genesis), real, f.pool, ['honest-peer']);
    if (!head.ok) throw new Error(head.error.code);
    const second = await acceptCheckpoint(head.value.state, conflicting, f.pool, ['lying-peer']);
    expect(second).toMatchObject({ ok: false, error: { code: 'STALE_CHECKPOINT', conflictsWithHead: true } });
    // Alone, each would have been accepted: both are really certified.
    expect((await acceptCheckpoint(trustGenesis(f.chain.genesis), conflicting, f.pool)).ok).toBe(true);
  });

  it('the evidence names the double signers: the intersection, at least f + 1 of stake', async () => {
    const e = await evidence();
    const realSigners = [...signerIndices(real.signers)];
    const expected = LIARS.filter((m) => realSigners.includes(m));
    expect(e.offenders).toEqual(expected);
    expect(e.offenders.length).toBeGreaterThanOrEqual(2);
    expect([e.first.peer, e.second.peer].sort()).toEqual(['honest-peer', 'lying-peer']);
    // One conflict, one encoding: the order does not depend on who reported first.
    const swapped = await buildLightEvidence(trust(), { peer: 'lying-peer', certificate: conflicting }, { peer: 'honest-peer', certificate: real }, f.pool);
    expect(swapped.ok && toHex(encodeLightEvidence(swapped.value))).toBe(toHex(encodeLightEvidence(e)));
  });

  it('exported bytes re-check on their own; JSON carries them', async () => {
    const e = await evidence();
    const bytes = encodeLightEvidence(e);
    const decoded = decodeLightEvidence(bytes);
    expect(decoded.ok && toHex(encodeLightEvidence(decoded.value))).toBe(toHex(bytes));
    const report = await verifyLightEvidence(bytes, f.pool, { chainId: f.chain.genesis.chainId, expectedCommitteeHash: committeeHash(f.chain.committee) });
    if (!report.ok) throw new Error(report.error.code);
    expect(report.value).toMatchObject({ epoch: 0n, sequence: 1n, offenders: e.offenders, totalStake: f.chain.committee.totalStake });
    expect(report.value.offenderStake).toBeGreaterThanOrEqual(f.chain.committee.validityStake);

    const json = lightEvidenceToJson(e, report.value);
    expect(JSON.parse(json)).toMatchObject({ format: 'kaldrix-light-evidence/v1', sequence: '1', peers: report.value.peers });
    const fromJson = lightEvidenceBytesFromJson(json);
    expect(fromJson.ok && toHex(fromJson.value)).toBe(toHex(bytes));
    expect(lightEvidenceBytesFromJson('{"format":"kaldrix-light-evidence/v1","bytes":"zz"}')).toMatchObject({ ok: false, error: { code: 'BAD_JSON' } });

    // Each offender's pair is double-sign evidence the chain itself accepts.
    const slashing = offenderSlashingEvidence(e, report.value.checkpointHashes);
    expect(slashing.length).toBe(e.offenders.length);
    for (const item of slashing) {
      const offender = f.chain.committee.members.find((m) => toHex(m.address) === toHex(item.offender));
      if (offender === undefined) throw new Error('slashing evidence for a non-member');
      expect(verifyEvidence(item, offender.key, noble).ok).toBe(true);
    }
  });

  it('the re-check refuses evidence that does not prove a conflict', async () => {
    const e = await evidence();
    const check = (x: LightEvidence, expect = {}) => verifyLightEvidence(encodeLightEvidence(x), f.pool, expect);
    expect(await check({ ...e, offenders: e.offenders.slice(1) })).toMatchObject({ ok: false, error: { code: 'OFFENDERS_MISMATCH' } });
    expect(await check({ ...e, second: e.first })).toMatchObject({ ok: false, error: { code: 'SAME_CHECKPOINT' } });
    expect(await check({ ...e, first: e.second, second: e.first })).toMatchObject({ ok: false, error: { code: 'NOT_CANONICAL_ORDER' } });
    const later = f.certificates[1] as Certificate;
    expect(await check({ ...e, second: { peer: 'p', certificate: later } })).toMatchObject({ ok: false, error: { code: 'NOT_SAME_SLOT' } });
    const sig = conflicting.signatures[0] as Certificate['signatures'][number];
    const broken = { ...conflicting, signatures: [{ ...sig, bytes: sig.bytes.map((b, i) => (i === 5 ? b ^ 1 : b)) }, ...conflicting.signatures.slice(1)] };
    const which = e.first.certificate === conflicting ? 'first' : 'second';
    expect(await check({ ...e, [which]: { peer: 'lying-peer', certificate: broken } })).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_INVALID', which } });
    expect(await check(e, { expectedCommitteeHash: new Uint8Array(32) })).toMatchObject({ ok: false, error: { code: 'COMMITTEE_NOT_TRUSTED' } });
    expect(await check(e, { chainId: 'other' })).toMatchObject({ ok: false, error: { code: 'WRONG_CHAIN' } });
    expect(await verifyLightEvidence(Uint8Array.of(1, 2, 3), f.pool)).toMatchObject({ ok: false, error: { code: 'MALFORMED_EVIDENCE' } });
  });

  it('two certificates of different slots, or one of them unverified, are no evidence', async () => {
    const notSame = await buildLightEvidence(trust(), { peer: 'a', certificate: real }, { peer: 'b', certificate: f.certificates[1] as Certificate }, f.pool);
    expect(notSame).toMatchObject({ ok: false, error: { code: 'NOT_SAME_SLOT' } });
    const short = { ...conflicting, signers: signerBitmapOf(4, LIARS.slice(0, 2)), signatures: conflicting.signatures.slice(0, 2) };
    const weak = await buildLightEvidence(trust(), { peer: 'a', certificate: real }, { peer: 'b', certificate: short }, f.pool);
    expect(weak).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_INVALID', which: 'second', reason: { code: 'INSUFFICIENT_STAKE' } } });
  });
});
