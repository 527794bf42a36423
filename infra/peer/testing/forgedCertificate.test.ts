// The test-only lie must be a lie an honest light client catches: a newer checkpoint with an
// invented state root under signatures that signed something else → refused (no signer verifies), head kept.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../../core/consensus/index.ts';
import { toHex } from '../../../core/crypto/index.ts';
import { acceptCheckpoint, trustGenesis } from '../../../core/light/index.ts';
import { runFixture, type Fixture } from '../../../core/light/test/fixture.ts';
import { FORGED_CERTIFICATE_ADDRESS_ENV, forgeNewerCertificate, forgedCertificateAddress } from './forgedCertificate.ts';

let f: Fixture;
beforeAll(async () => {
  f = await runFixture();
}, 60_000);

const first = (): Certificate => f.certificates[0] as Certificate;

describe('forgeNewerCertificate', () => {
  it('claims the next sequence with another state root, linked to the real head', () => {
    const real = first();
    const forged = forgeNewerCertificate(real);
    expect(forged.checkpoint.sequence).toBe(real.checkpoint.sequence + 1n);
    expect(toHex(forged.checkpoint.stateRoot)).not.toBe(toHex(real.checkpoint.stateRoot));
    expect(forged.signatures).toBe(real.signatures);
  });

  it('is refused by the light client for its signatures, and the honest head stays', async () => {
    const accepted = await acceptCheckpoint(trustGenesis(f.chain.genesis), first(), f.pool);
    if (!accepted.ok) throw new Error(`the real certificate was refused: ${accepted.error.code}`);
    const state = accepted.value.state;
    const refused = await acceptCheckpoint(state, forgeNewerCertificate(first()), f.pool);
    // No signature verifies: core/light names that a wrong validator set (none of them signed this).
    expect(refused.ok ? 'accepted' : refused.error.code).toBe('WRONG_VALIDATOR_SET');
    expect(state.head?.checkpoint.sequence).toBe(first().checkpoint.sequence);
  });
});

describe('forgedCertificateAddress', () => {
  it('reads an address text from the environment, and nothing else', () => {
    expect(forgedCertificateAddress({})).toBeUndefined();
    expect(forgedCertificateAddress({ [FORGED_CERTIFICATE_ADDRESS_ENV]: 'kdx1qxexdfaazdzyze49uks0lvh4' })).toBe('kdx1qxexdfaazdzyze49uks0lvh4');
    expect(forgedCertificateAddress({ [FORGED_CERTIFICATE_ADDRESS_ENV]: 'yes' })).toBeUndefined();
    expect(forgedCertificateAddress({ [FORGED_CERTIFICATE_ADDRESS_ENV]: 'kdx1 ; rm -rf' })).toBeUndefined();
  });
});
