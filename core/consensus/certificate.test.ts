import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../crypto/index.ts';
import { certificateCodec, certificateMaxBytes, decodeCertificate, encodeCertificate, type Certificate } from './certificate.ts';
import { assembleCertificate } from './certificateAggregator.ts';
import { verifyCertificate } from './certificateVerify.ts';
import { createCommittee, MAX_COMMITTEE_SIZE } from './committee.ts';
import { CHAIN, makeValidators, sampleCheckpoint, verifier, voteAll } from './test/certificateFixtures.ts';

const v = makeValidators('cert-codec', [10n, 10n, 10n, 10n]);
const nextCommittee = v.committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake }));
const checkpoint = sampleCheckpoint({ nextCommittee });
const assembled = assembleCertificate(v.committee, checkpoint, await voteAll(v, checkpoint, [0, 2, 3]));
if (!assembled.ok) throw new Error(assembled.error.code);
const cert: Certificate = assembled.value;
const encoded = encodeCertificate(cert);
const maxBytes = certificateMaxBytes(v.committee, MAX_COMMITTEE_SIZE);

describe('certificate encoding', () => {
  it('round-trips a real certificate, which still verifies after decoding', async () => {
    const d = decodeCertificate(encoded, certificateMaxBytes(v.committee, v.committee.members.length));
    if (!d.ok) throw new Error(d.error.code);
    expect(Object.isFrozen(d.value)).toBe(true);
    expect(bytesEqual(encodeCertificate(d.value), encoded)).toBe(true);
    expect((await verifyCertificate(d.value, { chainId: CHAIN, committee: v.committee }, verifier)).ok).toBe(true);
  });

  it('fits certificateMaxBytes, and refuses larger input before reading it', () => {
    expect(encoded.length).toBeLessThanOrEqual(certificateMaxBytes(v.committee, 4));
    const r = decodeCertificate(encoded, 100);
    expect(r.ok ? 'accepted' : r.error.code).toBe('TOO_LARGE');
  });

  it('states the bound for 100 ML-DSA-44 validators: 242,501 bytes without a next committee', () => {
    const key = { scheme: 'ml-dsa-44' as const, publicKey: new Uint8Array(1312) };
    const committee = createCommittee(0n, Array.from({ length: 100 }, (_, i) => ({ address: Uint8Array.of(0, i), key, stake: 1n })));
    expect(certificateMaxBytes(committee, 0)).toBe(242_501);
    // Each signature is varint(2421) || tag || 2,420 bytes = 2,423; the bitmap grows by 12 bytes.
    expect(certificateMaxBytes(committee, 0) - certificateMaxBytes(createCommittee(0n, [{ address: Uint8Array.of(0), key, stake: 1n }]), 0)).toBe(
      99 * 2423 + 12,
    );
  });

  it('refuses a signature count that differs from the bitmap', () => {
    const bad = { ...cert, signatures: cert.signatures.slice(0, 2) };
    expect(() => encodeCertificate(bad)).toThrow(RangeError);
    // Same fault as bytes: drop the last signature and fix the list count (3 → 2).
    const last = cert.signatures[2];
    if (last === undefined) throw new Error('fixture');
    const lastBytes = 2 + 1 + last.bytes.length; // varint(2421) || tag || signature
    const bytes = encoded.slice(0, encoded.length - lastBytes);
    const countOffset = bytes.length - 2 * lastBytes - 1;
    expect(bytes[countOffset]).toBe(3);
    bytes[countOffset] = 2;
    const r = decodeCertificate(bytes, maxBytes);
    expect(r.ok ? 'accepted' : r.error.code).toBe('INVALID_VALUE');
  });

  it('property: random bytes and mutations never throw; accepted bytes re-encode identically', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.tuple(fc.nat({ max: encoded.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
        const m = encoded.slice();
        m[i] = b;
        return m;
      }),
      fc.nat({ max: encoded.length }).map((n) => encoded.slice(0, n)),
    );
    fc.assert(
      fc.property(inputs, (bytes) => {
        const r = certificateCodec.decode(bytes, { maxBytes });
        if (r.ok) expect(bytesEqual(encodeCertificate(r.value), bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
