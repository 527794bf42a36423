/**
 * The devnet example genesis (`genesis.example.json`), built from the public seeds of
 * `genesisSeeds.ts`: 4 ML-DSA-44 validators with equal stake, and 3 funded accounts (one with
 * its key given, one hybrid account known only by address, and liquid balance for validator 0).
 *
 * The file is generated (`npx tsx core/state/vectors/test/generate.ts`) and a test checks it
 * equals this function's output, so the file and its documented seeds never drift apart.
 */
import { addressFromPublicKey, encodeAddress, schemeInfo, toHex, type KeyPair, type SignatureBackend } from '../crypto/index.ts';
import { keyPairFromLabel } from './genesisSeeds.ts';

/** 2026-01-01T00:00:00Z: a fixed, documented start time (a devnet may override it). */
const EXAMPLE_GENESIS_TIME_MS = 1_767_225_600_000;
const VALIDATOR_STAKE = '10000000';

function addressText(keys: KeyPair): string {
  return encodeAddress(addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey));
}

/** The example genesis as pretty-printed JSON text (2-space indent, trailing newline). */
export function buildExampleGenesisText(backend: SignatureBackend): string {
  const validators = [0, 1, 2, 3].map((i) => keyPairFromLabel(backend, 'ml-dsa-44', `devnet-validator-${i}`));
  const known = keyPairFromLabel(backend, 'ml-dsa-44', 'devnet-account-0');
  const hybrid = keyPairFromLabel(backend, 'ml-dsa-44+ed25519', 'devnet-account-1');
  const v0 = validators[0] as KeyPair;
  const doc = {
    chain_id: 'kaldrix-devnet',
    genesis_time_ms: EXAMPLE_GENESIS_TIME_MS,
    params: { max_parents: 16, epoch_length: 60, unbonding_epochs: 2 },
    accounts: [
      { address: addressText(known), balance: '1000000000000', scheme: known.scheme, public_key: toHex(known.publicKey) },
      { address: addressText(hybrid), balance: '500000000000' },
      { address: addressText(v0), balance: '1000000' },
    ],
    validators: validators.map((keys) => ({
      address: addressText(keys),
      scheme: keys.scheme,
      public_key: toHex(keys.publicKey),
      stake: VALIDATOR_STAKE,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
