// Test support only: real certificates from a real run. The validator harness runs its epoch
// scenario (4 validators and an observer; u0 bonds to join, v3 unbonds to leave during epoch
// 0; epochs are 2 checkpoints long) for 1.4 s of virtual time, so v0's certified list holds
// sequences 1..7: the end-of-epoch certificates of epochs 0, 1 and 2 (sequences 2, 4, 6) and
// regular ones between them, all made by real validators with real ML-DSA-44 signatures.
// Run once per test file (beforeAll), about 3 s.
import type { Certificate } from '../../consensus/index.ts';
import { createLocalSigner, type KeyPair } from '../../crypto/index.ts';
import type { Ledger } from '../../state/index.ts';
import { epochScenario, noble, verifyPool, type Chain } from '../../validator/test/harness.ts';
import type { LightVerifier } from '../types.ts';

export type Fixture = {
  readonly chain: Chain;
  /** v0's certificates, by ascending sequence. */
  readonly certificates: readonly Certificate[];
  readonly endOfEpoch: readonly Certificate[];
  /** v0's ledger at the end of the run. */
  readonly ledger: Ledger;
  readonly pool: LightVerifier;
};

/** Virtual time of the run: past three handovers (epochs 0, 1 and 2 end at sequences 2, 4 and 6). */
export const FIXTURE_RUN_MS = 1400;

export async function runFixture(): Promise<Fixture> {
  const { chain, net } = await epochScenario({ run: false });
  await net.run(FIXTURE_RUN_MS);
  const v0 = net.node('v0');
  const certificates = [...v0.certified].sort((a, b) => (a.checkpoint.sequence < b.checkpoint.sequence ? -1 : 1));
  return {
    chain,
    certificates,
    endOfEpoch: certificates.filter((c) => c.checkpoint.nextCommittee !== undefined),
    ledger: v0.validator.ledger(),
    pool: await verifyPool(),
  };
}

/** A local signer for a key of the run (deterministic ML-DSA-44 signing). */
export const signerOf = (keys: KeyPair) => createLocalSigner(noble, keys);
