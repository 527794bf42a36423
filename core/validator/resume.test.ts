// Resuming from a certified checkpoint, with real validators on the in-memory network: v3's
// resume point goes through its codec (the ledger by reference), v3 stops, the others move on
// beyond its DAG window (or across epoch changes), and v3 starts again from the point — it never
// re-executes what the point covers, catches up by certified ranges, agrees with everyone on
// digests, roots and certificates, proposes again, and nobody finds evidence against it.
import { describe, expect, it } from 'vitest';
import { nextCommitteeOf } from '../consensus/certificateChain.ts';
import { checkpointHash, isEndOfEpoch } from '../consensus/checkpoint.ts';
import type { Committee } from '../consensus/committee.ts';
import { toHex } from '../crypto/index.ts';
import { decodeResumePoint, encodeResumePoint, resumeEpochOf, type ValidatorResumePoint } from './resumePoint.ts';
import type { ValidatorStatus } from './types.ts';
import { createNetwork, EPOCH_TEST_PARAMS, makeChain, submitTransfers, type Chain, type Network, type Node } from './test/harness.ts';

/** Every pair of nodes agrees on every commit index both have (digest and state root). */
function expectAgreement(nodes: readonly Node[]): void {
  const byIndex = new Map<bigint, { digest: string; root: string; id: string }>();
  for (const node of nodes) {
    for (const c of node.committed) {
      const mine = { digest: toHex(c.commitDigest), root: toHex(c.stateRoot), id: node.spec.id };
      const seen = byIndex.get(c.commitIndex);
      if (seen === undefined) byIndex.set(c.commitIndex, mine);
      else expect(mine, `commit ${c.commitIndex}: ${node.spec.id} vs ${seen.id}`).toEqual({ ...seen, id: node.spec.id });
    }
  }
}

/** v3's certificates after the resume name the very checkpoints v0's do (same hash per sequence), and there are some. */
function expectSameCertificates(v3: Node, v0: Node, afterSequence: bigint): void {
  const theirs = new Map(v0.certified.map((c) => [c.checkpoint.sequence, toHex(checkpointHash(c.checkpoint))]));
  const mine = v3.certified.filter((c) => c.checkpoint.sequence > afterSequence);
  expect(mine.length).toBeGreaterThanOrEqual(2);
  for (const c of mine) expect(toHex(checkpointHash(c.checkpoint)), `checkpoint ${c.checkpoint.sequence}`).toBe(theirs.get(c.checkpoint.sequence));
}

function noEvidenceAnywhere(net: Network): void {
  for (const node of net.nodes) expect(node.validator.status().evidenceFound, `${node.spec.id} found evidence`).toBe(0);
}

/** The point as the node would store it: the record through its codec, the ledger by reference. */
function roundTrip(point: ValidatorResumePoint): ValidatorResumePoint {
  const bytes = encodeResumePoint(point);
  const decoded = decodeResumePoint(bytes);
  if (!decoded.ok) throw new Error(`resume point does not decode: ${decoded.error.code}`);
  expect(encodeResumePoint(decoded.value)).toEqual(bytes);
  return Object.freeze({ ...decoded.value, ledger: point.ledger });
}

/** The committee of the epoch `point` resumes in, as `node` learned it (genesis, or an epoch change it saw). */
function committeeFor(chain: Chain, node: Node, point: ValidatorResumePoint): Committee {
  const epoch = resumeEpochOf(point);
  const committee = epoch === 0n ? chain.committee : node.epochs.find((c) => c.epoch === epoch);
  if (committee === undefined) throw new Error(`no committee of epoch ${epoch}`);
  return committee;
}

type Run = {
  readonly net: Network;
  readonly point: ValidatorResumePoint;
  readonly roundBeforeCrash: number;
  readonly effectsBefore: number;
  /** v0 just before v3 came back. */
  readonly othersAtRestart: ValidatorStatus;
};

/**
 * v3 crashes at `crashAtMs` and restarts at `restartAtMs` from the point it had at `pointAtMs`
 * (or, with `pointWhen`, the first point that satisfies it); the network runs to `untilMs`.
 */
async function resumeRun(options: {
  readonly chain: Chain;
  readonly pointAtMs: number;
  readonly pointWhen?: (point: ValidatorResumePoint) => boolean;
  readonly crashAtMs: number;
  readonly restartAtMs: number;
  readonly untilMs: number;
  readonly restartWith?: 'store-kept' | 'store-lost';
  readonly transfers?: boolean;
}): Promise<Run> {
  const { chain } = options;
  const v3spec = { crashAtMs: options.crashAtMs, restartAtMs: options.restartAtMs, restartWith: options.restartWith ?? 'store-kept' };
  const nodes = chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index, ...(m.index === 3 ? v3spec : {}) }));
  const net = await createNetwork({ chain, nodes, trace: false });
  if (options.transfers === true) await submitTransfers(chain, net.nodes, 3);
  const v3 = net.node('v3');
  const when = options.pointWhen;
  await net.run(options.pointAtMs, when === undefined ? undefined : () => { const p = v3.validator.resumePoint(); return p !== undefined && when(p); });
  const taken = v3.validator.resumePoint();
  if (taken === undefined) throw new Error('v3 has no resume point');
  await net.run(options.crashAtMs - 1);
  const roundBeforeCrash = v3.validator.status().round;
  const point = roundTrip(taken);
  v3.resumeFrom = { point, committee: committeeFor(chain, v3, point) };
  await net.run(options.restartAtMs - 1);
  const effectsBefore = v3.effectTypes.length;
  const othersAtRestart = net.node('v0').validator.status();
  await net.run(options.untilMs);
  return { net, point, roundBeforeCrash, effectsBefore, othersAtRestart };
}

/** What every successful resume shows (`byRanges`: the network had moved on, so it caught up by certified ranges). */
function expectResumed(run: Run, byRanges = true): void {
  const { net, point, roundBeforeCrash, effectsBefore } = run;
  const v3 = net.node('v3');
  const v0 = net.node('v0');
  const status = v3.validator.status();
  const { checkpoint } = point.certificate;
  // It started at the point: its first commit is the one after it, nothing before was replayed.
  expect(v3.committed[0]?.commitIndex).toBe(checkpoint.lastCommitIndex + 1n);
  if (byRanges) expect(status.rangesAdopted).toBeGreaterThanOrEqual(1);
  expect(status.recovering).toBe(false);
  expect(v0.validator.status().lastCommitIndex - status.lastCommitIndex).toBeLessThan(10n);
  expect(status.epoch).toBe(v0.validator.status().epoch);
  expectAgreement(net.nodes);
  expectSameCertificates(v3, v0, checkpoint.sequence);
  // Back in consensus: it proposes again, above anything it signed before the crash.
  expect(v3.effectTypes.slice(effectsBefore)).toContain('proposed');
  if (status.epoch === checkpoint.epoch) expect(status.round).toBeGreaterThan(roundBeforeCrash);
  noEvidenceAnywhere(net);
  // Nothing to serve below the point: it never held those commits.
  expect(v3.validator.commitRange(checkpoint.lastCommitIndex, checkpoint.epoch)).toBeUndefined();
  expect(v3.validator.commitRange(1n, 0n)).toBeUndefined();
}

describe('resuming from a certified checkpoint', () => {
  it('after the network moved beyond its DAG window: catches up from the point, agrees, proposes again', async () => {
    const chain = makeChain(4);
    const run = await resumeRun({ chain, pointAtMs: 699, crashAtMs: 700, restartAtMs: 2000, untilMs: 3500, transfers: true });
    const { checkpoint } = run.point.certificate;
    expect(checkpoint.sequence).toBeGreaterThanOrEqual(1n);
    expect(run.point.leaderRound).toBeGreaterThan(0);
    expect(run.point.committedRefs.length).toBeGreaterThan(0);
    expect(run.point.committedRefs.every((r) => r.round > run.point.leaderRound - chain.genesis.params.gcDepthRounds - 1)).toBe(true);
    // The others collected everything up to the point's leader round before v3 came back.
    expect(run.othersAtRestart.epoch).toBe(0n);
    expect(run.othersAtRestart.gcRound).toBeGreaterThan(run.point.leaderRound);
    expectResumed(run);
  }, 120_000);

  it('right away, within the DAG window: the first commits after the point are linearized locally minus what the point committed', async () => {
    const chain = makeChain(4);
    const run = await resumeRun({ chain, pointAtMs: 699, crashAtMs: 700, restartAtMs: 720, untilMs: 2500, transfers: true });
    expect(run.othersAtRestart.gcRound).toBeLessThanOrEqual(run.point.leaderRound);
    expectResumed(run, false);
    const status = run.net.node('v3').validator.status();
    // Nothing came by ranges: the commit rule decided every leader after the point here.
    expect(status.rangeCommits).toBe(0);
    expect(status.directCommits + status.indirectCommits).toBeGreaterThan(10);
  }, 120_000);

  it('from an older point than its last commits (an old snapshot), with the store lost', async () => {
    const chain = makeChain(4);
    const run = await resumeRun({ chain, pointAtMs: 450, crashAtMs: 1100, restartAtMs: 2200, untilMs: 3600, restartWith: 'store-lost' });
    const v3 = run.net.node('v3');
    expect(run.othersAtRestart.gcRound).toBeGreaterThan(run.point.leaderRound);
    expectResumed(run);
    // The commits between the point and the crash were executed twice by v3's two lives, alike.
    expect(v3.validator.status().rangeCommits).toBeGreaterThan(5);
  }, 120_000);

  it('across epoch changes: a point of epoch 0, the others two epochs further', async () => {
    const chain = makeChain(4, 4, EPOCH_TEST_PARAMS);
    const run = await resumeRun({ chain, pointAtMs: 500, pointWhen: (p) => p.certificate.checkpoint.sequence === 1n, crashAtMs: 500, restartAtMs: 2400, untilMs: 4200 });
    expect(run.point.certificate.checkpoint.epoch).toBe(0n);
    expect(isEndOfEpoch(run.point.certificate.checkpoint)).toBe(false);
    expect(run.othersAtRestart.epoch).toBeGreaterThanOrEqual(2n);
    expectResumed(run);
    expect(run.net.node('v3').epochs.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('from an epoch\'s last checkpoint: resumes at round 1 of the next epoch with the committee it names', async () => {
    const chain = makeChain(4, 4, EPOCH_TEST_PARAMS);
    const run = await resumeRun({
      chain, pointAtMs: 1500, pointWhen: (p) => isEndOfEpoch(p.certificate.checkpoint), crashAtMs: 1600, restartAtMs: 2600, untilMs: 4000,
    });
    const { checkpoint } = run.point.certificate;
    expect(isEndOfEpoch(checkpoint)).toBe(true);
    expect(run.point.leaderRound).toBe(0);
    expect(run.point.committedRefs).toEqual([]);
    expect(resumeEpochOf(run.point)).toBe(checkpoint.epoch + 1n);
    expect(run.point.ledger.epoch).toBe(checkpoint.epoch + 1n);
    expect(nextCommitteeOf(run.point.certificate)?.members.length).toBe(4);
    expectResumed(run);
  }, 120_000);
});
