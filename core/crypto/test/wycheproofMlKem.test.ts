/**
 * Wycheproof conformance for ML-KEM-768 (C2SP/wycheproof `testvectors_v1/mlkem_768_test.json`,
 * Apache-2.0; see LICENSE beside the vectors).
 *
 * Each test gives `seed` (d || z, KALDRIX's stored secret key form), the expected encapsulation
 * key `ek`, a ciphertext `c` and the expected shared secret `K`. Valid tests must reproduce `ek`
 * and `K` exactly (including the implicit-rejection secret for bad ciphertexts); invalid tests
 * (wrong-length keys and ciphertexts) must come back as error values.
 *
 * The vectors live outside the repository: `$KALDRIX_VECTORS_DIR`, else `../shared/vectors/
 * wycheproof` beside the repository root. Without them the suite is skipped, saying so.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@noble/hashes/utils.js';
import { toHex } from '../hash.ts';
import { kemDecapsulate, kemKeygen } from '../kem.ts';

type WycheproofKemTest = {
  readonly tcId: number;
  readonly comment?: string;
  readonly flags: readonly string[];
  readonly seed: string;
  readonly ek?: string;
  readonly c: string;
  readonly K: string;
  readonly result: 'valid' | 'invalid' | 'acceptable';
};
type WycheproofKemFile = {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly { readonly parameterSet: string; readonly tests: readonly WycheproofKemTest[] }[];
};

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const vectorsDir = process.env['KALDRIX_VECTORS_DIR'] ?? path.resolve(repoRoot, '../shared/vectors/wycheproof');
const vectorFile = path.join(vectorsDir, 'mlkem_768_test.json');
const present = existsSync(vectorFile);

describe.skipIf(!present)(
  present ? 'Wycheproof ML-KEM-768' : `Wycheproof ML-KEM-768 (SKIPPED: ${vectorFile} not found; set KALDRIX_VECTORS_DIR)`,
  () => {
    const file = (present ? JSON.parse(readFileSync(vectorFile, 'utf8')) : { testGroups: [] }) as WycheproofKemFile;
    const tests = file.testGroups.filter((g) => g.parameterSet === 'ML-KEM-768').flatMap((g) => g.tests);

    it('has the tests it announces', () => {
      expect(file.algorithm).toBe('ML-KEM');
      expect(tests.length).toBe(file.numberOfTests);
      expect(tests.filter((t) => t.result === 'invalid').length).toBeGreaterThan(0);
    });

    it.each(tests.map((t) => [t.tcId, t.comment ?? t.flags.join(','), t] as const))('tcId %i: %s', (_id, _comment, t) => {
      const seed = hexToBytes(t.seed);
      const ciphertext = hexToBytes(t.c);
      const shared = kemDecapsulate('ml-kem-768', ciphertext, seed);
      if (t.result === 'valid') {
        const keys = kemKeygen('ml-kem-768', seed);
        expect(keys.ok).toBe(true);
        if (keys.ok && t.ek !== undefined) expect(toHex(keys.value.publicKey)).toBe(t.ek.toLowerCase());
        expect(shared.ok).toBe(true);
        if (shared.ok) expect(toHex(shared.value)).toBe(t.K.toLowerCase());
      } else if (t.result === 'invalid') {
        // Wycheproof's invalid ML-KEM tests are wrong-length keys or ciphertexts: an error value.
        expect(shared.ok).toBe(false);
        if (seed.length !== 64) expect(kemKeygen('ml-kem-768', seed).ok).toBe(false);
        if (!shared.ok) expect(shared.error.code).toMatch(/^BAD_(SECRET_KEY|CIPHERTEXT)_LENGTH$/);
      }
    });
  },
);
