// Conformance: Wycheproof verification vectors (C2SP/wycheproof, Apache-2.0; see LICENSE in the
// vectors folder) on every backend that supports the scheme. ML-DSA-44/65/87 through the
// SignatureBackend (with each test's ctx), Ed25519 through the hybrid's strict Ed25519 verifier.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyEd25519Strict } from '../backends/_hybrid.ts';
import { loadLiboqsBackend } from '../backends/liboqs.ts';
import { createNobleBackend } from '../backends/noble.ts';
import type { SchemeName, SignatureBackend } from '../types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vectorsDir = process.env['KALDRIX_VECTORS_DIR'] ?? path.resolve(repoRoot, '../shared/vectors/wycheproof');
const haveVectors = existsSync(path.join(vectorsDir, 'mldsa_44_verify_test.json'));
if (!haveVectors) {
  console.warn(`wycheproof: vectors not found in ${vectorsDir}; set KALDRIX_VECTORS_DIR to run the conformance tests`);
}

type WycheproofTest = { tcId: number; comment: string; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable'; ctx?: string };
type WycheproofFile = { testGroups: { publicKey: string | { pk: string }; tests: WycheproofTest[] }[] };

function load(file: string): WycheproofFile {
  return JSON.parse(readFileSync(path.join(vectorsDir, file), 'utf8')) as WycheproofFile;
}

function publicKeyHex(g: WycheproofFile['testGroups'][number]): string {
  return typeof g.publicKey === 'string' ? g.publicKey : g.publicKey.pk;
}

/** Runs every test of a file; returns how many ran, so a vacuous pass is visible. */
function runAll(file: string, verify: (pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, ctx: Uint8Array) => boolean): number {
  let count = 0;
  for (const group of load(file).testGroups) {
    const pk = hexToBytes(publicKeyHex(group));
    for (const t of group.tests) {
      const ctx = t.ctx === undefined ? new Uint8Array(0) : hexToBytes(t.ctx);
      const got = verify(pk, hexToBytes(t.msg), hexToBytes(t.sig), ctx);
      const label = `${file} tcId ${t.tcId} (${t.comment})`;
      if (t.result === 'valid') expect(got, label).toBe(true);
      else if (t.result === 'invalid') expect(got, label).toBe(false);
      else expect(typeof got, label).toBe('boolean');
      count += 1;
    }
  }
  return count;
}

const ML_DSA_FILES: readonly (readonly [SchemeName, string])[] = [
  ['ml-dsa-44', 'mldsa_44_verify_test.json'],
  ['ml-dsa-65', 'mldsa_65_verify_test.json'],
  ['ml-dsa-87', 'mldsa_87_verify_test.json'],
];

describe.skipIf(!haveVectors)('Wycheproof conformance', () => {
  const backends: SignatureBackend[] = [createNobleBackend()];
  beforeAll(async () => {
    backends.push(await loadLiboqsBackend());
  });

  it('covers both backends', () => {
    expect(backends.map((b) => b.name)).toEqual(['noble', 'liboqs']);
  });

  for (const [scheme, file] of ML_DSA_FILES) {
    it(`${file} on every backend supporting ${scheme}`, () => {
      for (const backend of backends.filter((b) => b.supports(scheme))) {
        const n = runAll(file, (pk, msg, sig, ctx) => backend.verify(scheme, pk, msg, sig, ctx));
        expect(n, backend.name).toBeGreaterThan(100);
      }
    });
  }

  it('ed25519_test.json on the hybrid scheme\'s Ed25519 verifier (strict RFC 8032)', () => {
    expect(runAll('ed25519_test.json', (pk, msg, sig) => verifyEd25519Strict(pk, msg, sig))).toBeGreaterThan(100);
  });
});
