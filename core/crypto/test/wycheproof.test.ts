// Conformance: Wycheproof verification vectors (C2SP/wycheproof, Apache-2.0; see LICENSE in the
// vectors folder) against the RAW primitives under the backends, not through SignatureBackend:
// a KALDRIX signature is the scheme's pure signature of 0x00 || len(ctx) || ctx || message with
// the native context empty (backends/_framing.ts), so the vectors' messages go to the raw
// operations as they are.
// - ML-DSA-44/65/87, vectors with no or an empty ctx: noble's raw ops (NOBLE_OPS) and liboqs's raw
//   native verification (loadLiboqsRawOps), the exact code both backends run.
// - ML-DSA vectors with a non-empty ctx: noble's own `context` parameter. KALDRIX never passes a
//   native context, so this checks the reference implementation KALDRIX builds on (its FIPS 204
//   M' construction is the one `frameMessage` reproduces). liboqs-js 0.15 cannot take a ctx at
//   all, so those vectors are skipped on liboqs.
// - Ed25519 through the hybrid's strict Ed25519 verifier.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexToBytes } from '@noble/hashes/utils.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { describe, expect, it } from 'vitest';
import type { SchemeOps } from '../backends/_guard.ts';
import { verifyEd25519Strict } from '../backends/_hybrid.ts';
import { type LiboqsScheme, loadLiboqsRawOps } from '../backends/liboqs.ts';
import { NOBLE_OPS } from '../backends/noble.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vectorsDir = process.env['KALDRIX_VECTORS_DIR'] ?? path.resolve(repoRoot, '../shared/vectors/wycheproof');
const haveVectors = existsSync(path.join(vectorsDir, 'mldsa_44_verify_test.json'));
if (!haveVectors) {
  console.warn(`wycheproof: vectors not found in ${vectorsDir}; set KALDRIX_VECTORS_DIR to run the conformance tests`);
}

type WycheproofTest = { tcId: number; comment: string; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable'; ctx?: string };
type WycheproofFile = { testGroups: { publicKey: string | { pk: string }; tests: WycheproofTest[] }[] };
/** One vector, decoded; `ctx` is empty when the vector has none. */
type Vector = { label: string; pk: Uint8Array; msg: Uint8Array; sig: Uint8Array; ctx: Uint8Array; result: WycheproofTest['result'] };

function load(file: string): WycheproofFile {
  return JSON.parse(readFileSync(path.join(vectorsDir, file), 'utf8')) as WycheproofFile;
}

function vectors(file: string): Vector[] {
  return load(file).testGroups.flatMap((group) => {
    const pk = hexToBytes(typeof group.publicKey === 'string' ? group.publicKey : group.publicKey.pk);
    return group.tests.map((t) => ({
      label: `${file} tcId ${t.tcId} (${t.comment})`,
      pk,
      msg: hexToBytes(t.msg),
      sig: hexToBytes(t.sig),
      ctx: t.ctx === undefined ? new Uint8Array(0) : hexToBytes(t.ctx),
      result: t.result,
    }));
  });
}

/** Raw primitives may throw on malformed encodings; as in the backends' guard, that is a rejection. */
function rejectOnThrow(verify: () => boolean): boolean {
  try {
    return verify();
  } catch {
    return false;
  }
}

/** Checks each vector's expected result; returns how many ran, so a vacuous pass is visible. */
function check(list: readonly Vector[], verify: (v: Vector) => boolean): number {
  for (const v of list) {
    const got = rejectOnThrow(() => verify(v));
    if (v.result === 'valid') expect(got, v.label).toBe(true);
    else if (v.result === 'invalid') expect(got, v.label).toBe(false);
    else expect(typeof got, v.label).toBe('boolean');
  }
  return list.length;
}

const ML_DSA_FILES = [
  { scheme: 'ml-dsa-44', file: 'mldsa_44_verify_test.json', library: ml_dsa44 },
  { scheme: 'ml-dsa-65', file: 'mldsa_65_verify_test.json', library: ml_dsa65 },
  { scheme: 'ml-dsa-87', file: 'mldsa_87_verify_test.json', library: ml_dsa87 },
] as const satisfies readonly { scheme: LiboqsScheme; file: string; library: unknown }[];

describe.skipIf(!haveVectors)('Wycheproof conformance', () => {
  describe.each(ML_DSA_FILES)('$file', ({ scheme, file, library }) => {
    const all = haveVectors ? vectors(file) : [];
    const withoutContext = all.filter((v) => v.ctx.length === 0);
    const withContext = all.filter((v) => v.ctx.length > 0);

    it('noble raw ops: every vector without a ctx', () => {
      const ops: SchemeOps = NOBLE_OPS[scheme];
      expect(check(withoutContext, (v) => ops.verify(v.pk, v.msg, v.sig))).toBeGreaterThan(100);
    });

    it('noble library with its own ctx parameter: every vector with a non-empty ctx', () => {
      const n = check(withContext, (v) => library.verify(v.sig, v.msg, v.pk, { context: v.ctx }));
      expect(n).toBeGreaterThan(0);
    });

    // Vectors with a non-empty ctx are not run here: liboqs-js 0.15 exposes only the
    // empty-context OQS_SIG_verify, which is also all KALDRIX asks of it.
    it('liboqs raw native verify: every vector without a ctx', async () => {
      const ops = (await loadLiboqsRawOps({ schemes: [scheme] }))[scheme];
      if (ops === undefined) throw new Error(`liboqs did not load ${scheme}`);
      expect(check(withoutContext, (v) => ops.verify(v.pk, v.msg, v.sig))).toBeGreaterThan(100);
    });
  });

  it("ed25519_test.json on the hybrid scheme's Ed25519 verifier (strict RFC 8032)", () => {
    const list = vectors('ed25519_test.json');
    expect(check(list, (v) => verifyEd25519Strict(v.pk, v.msg, v.sig))).toBeGreaterThan(100);
  });
});
