/**
 * Test support for the resume-point tests (resumePoints.test.ts, stateSync.test.ts): real
 * certified resume points taken from a 4-validator run across epoch changes (epochs of two
 * checkpoints, real ML-DSA certificates), and fresh LevelDB stores that `closeStores` removes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidatorResumePoint } from '../../../core/validator/index.ts';
import { EPOCH_TEST_PARAMS, createNetwork, makeChain, submitTransfers, verifyPool, type Chain, type Node } from '../../../core/validator/test/harness.ts';
import type { ResumeTrust } from '../resumePoints.ts';
import { openPeerStore, type LevelPeerStore } from '../store/index.ts';

const dirs: string[] = [];
const stores: LevelPeerStore[] = [];

export async function freshStore(): Promise<LevelPeerStore> {
  const dir = mkdtempSync(join(tmpdir(), 'kaldrix-resume-'));
  dirs.push(dir);
  const opened = await openPeerStore(dir);
  if (!opened.ok) throw new Error(opened.error.code);
  stores.push(opened.value);
  return opened.value;
}

export async function closeStores(): Promise<void> {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export type PointsRun = {
  readonly chain: Chain;
  /** The validator the points were taken from (its certificates and committees, for the tests' expectations). */
  readonly v1: Node;
  /** One point per checkpoint v1 held, oldest first. */
  readonly points: readonly ValidatorResumePoint[];
  readonly trust: ResumeTrust;
};

export async function takeResumePoints(): Promise<PointsRun> {
  const chain = makeChain(4, 4, EPOCH_TEST_PARAMS);
  const net = await createNetwork({ chain, nodes: chain.committee.members.map((m) => ({ id: `v${m.index}`, index: m.index })), trace: false });
  await submitTransfers(chain, net.nodes, 2);
  const v1 = net.node('v1');
  const points: ValidatorResumePoint[] = [];
  for (let atMs = 200; atMs <= 1400; atMs += 100) {
    await net.run(atMs);
    const point = v1.validator.resumePoint();
    if (point !== undefined && points.at(-1)?.certificate.checkpoint.sequence !== point.certificate.checkpoint.sequence) points.push(point);
  }
  return { chain, v1, points, trust: { chainId: chain.genesis.chainId, genesisCommittee: chain.committee, verifier: await verifyPool() } };
}
