import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { CONTEXTS, contextBytes } from '../../core/crypto/contexts.ts';
import { schemeInfo } from '../../core/crypto/schemes.ts';
import type { SchemeName, VerifyItem } from '../../core/crypto/types.ts';
import type { SignedBatch, SignerRequest } from '../crypto/signerProtocol.ts';
import { forgeryKinds } from './forgeries.ts';
import { runSelfTest, type SelfTestComponents } from './runSelfTest.ts';

const backend = createNobleBackend();

/** Deterministic, never-repeating-per-call bytes so a failure reproduces. */
function counterBytes(): (length: number) => Uint8Array {
  let counter = 0;
  return (length) => Uint8Array.from({ length }, () => counter++ % 251);
}

function inThreadComponents(verifyBatch: SelfTestComponents['verifyBatch']): SelfTestComponents {
  const randomBytes = counterBytes();
  const signBatch = async (request: Omit<SignerRequest, 'type' | 'requestId'>): Promise<SignedBatch> => {
    const seedBytes = schemeInfo(request.scheme).seedBytes;
    const keyPair = backend.keygen(request.scheme, randomBytes(seedBytes));
    const stranger = backend.keygen(request.scheme, randomBytes(seedBytes));
    return {
      type: 'signed',
      requestId: 1,
      backendName: backend.name,
      routes: { sign: 'javascript', verify: 'javascript' },
      publicKey: keyPair.publicKey,
      secretKeyBytes: keyPair.secretKey.length,
      strangerPublicKey: stranger.publicKey,
      signatures: request.messages.map((m) => backend.sign(request.scheme, keyPair.secretKey, m, request.context)),
      keygenMs: 1,
      signMs: 1,
    };
  };
  let nowMs = 0;
  return { signBatch, verifyBatch, nowMs: () => (nowMs += 5), randomBytes };
}

const realVerify = async (items: readonly VerifyItem[]): Promise<readonly boolean[]> =>
  items.map((i) => backend.verify(i.scheme, i.publicKey, i.message, i.signature, i.context));

const init = (scheme: SchemeName, messageCount: number) => ({
  scheme,
  backend: 'noble' as const,
  messageCount,
  context: contextBytes(CONTEXTS.tx),
  otherContext: contextBytes(CONTEXTS.vote),
});

describe('runSelfTest', () => {
  it('passes ML-DSA-44 on the reference backend, rejecting every kind of forgery', async () => {
    const phases: string[] = [];
    const report = await runSelfTest(inThreadComponents(realVerify), { ...init('ml-dsa-44', 6), forgedCount: forgeryKinds.length }, (p) => phases.push(p));
    expect(phases).toEqual(['signing', 'verifying']);
    expect(report.classification).toMatchObject({ validAccepted: 6, validTotal: 6, forgedRejected: 6, forgedTotal: 6, pass: true });
    const info = schemeInfo('ml-dsa-44');
    expect(report.publicKeyBytes).toBe(info.publicKeyBytes);
    expect(report.secretKeyBytes).toBe(info.secretKeyBytes);
    expect(report.signatureMaxBytes).toBe(info.signatureMaxBytes);
    expect(report.verifyOpsPerSec).toBeGreaterThan(0);
  });

  it('passes the hybrid scheme, where a forgery may hit either half', async () => {
    const report = await runSelfTest(inThreadComponents(realVerify), { ...init('ml-dsa-44+ed25519', 4), forgedCount: 12 });
    expect(report.classification.pass).toBe(true);
    expect(report.classification.forgedRejected).toBe(12);
  });

  it('fails a verifier that accepts everything and names each accepted forgery kind', async () => {
    const acceptAll = async (items: readonly VerifyItem[]) => items.map(() => true);
    const report = await runSelfTest(inThreadComponents(acceptAll), { ...init('ml-dsa-44', 2), forgedCount: forgeryKinds.length });
    expect(report.classification.pass).toBe(false);
    expect(report.classification.forgedRejected).toBe(0);
    expect([...report.classification.acceptedForgeryKinds].sort()).toEqual([...forgeryKinds].sort());
  });

  it('fails a verifier whose answers change between rounds', async () => {
    let round = 0;
    const flaky = async (items: readonly VerifyItem[]) => {
      round++;
      const verdicts = await realVerify(items);
      return round === 1 ? verdicts.map((v, i) => (i === 0 ? !v : v)) : verdicts;
    };
    const report = await runSelfTest(inThreadComponents(flaky), init('ml-dsa-44', 2));
    expect(report.classification.pass).toBe(false);
    expect(report.classification.validAccepted).toBe(1);
  });

  it('refuses a message count outside its bounds', async () => {
    await expect(runSelfTest(inThreadComponents(realVerify), init('ml-dsa-44', 1))).rejects.toThrow(RangeError);
  });
});
