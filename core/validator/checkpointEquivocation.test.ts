// Whole validators (test/harness.ts) against a member that signs two checkpoints for one
// sequence: v3 votes honestly on one vertex, then its next vertex carries a second vote for the
// same sequence over another checkpoint hash (re-signed with v3's key), and v3 goes silent.
// Honest validators must turn the pair into evidence, carry it in a vertex, slash v3 once at
// execution, and keep committing alike. The same run with a forged second vote (its signature
// does not match the hash it names) must produce nothing. Golden transcript:
// testdata/checkpoint-equivocation.txt (KALDRIX_UPDATE_GOLDEN=1 rewrites it).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_SIGNING_CONTEXT, checkpointMessageOfHash, type CheckpointVote } from '../consensus/checkpointSign.ts';
import { hashDomain, toHex } from '../crypto/index.ts';
import { decodeSignedVertex, encodeSignedVertex, signVertex } from '../dag/index.ts';
import { decodeSlotHeader, getAccount, verifyEvidence, type EvidenceOutcome } from '../state/index.ts';
import { createNetwork, makeChain, noble, type Chain, type Network, type Node } from './test/harness.ts';

const BYZANTINE = 'v3';
const STAKE = 10_000_000n;

const commitKey = (c: Node['committed'][number]): string => `${c.commitIndex}:${c.leader.round}/${c.leader.author}:${toHex(c.commitDigest)}:${toHex(c.stateRoot)}`;

/**
 * v3's first vote-carrying vertex goes out unchanged; its next vertex gets a second vote for
 * that sequence over another hash — really signed (`forge: false`) or with the first vote's
 * signature (`forge: true`) — and v3 stops, so no peer ever sees that vertex's original.
 */
async function doubleVoteNetwork(forge: boolean): Promise<{ chain: Chain; net: Network; sequence: () => bigint | undefined }> {
  const chain = makeChain(4, 0);
  let honestVote: CheckpointVote | undefined;
  let rewritten = false;
  const rewriteBroadcast = async (node: Node, bytes: Uint8Array): Promise<Uint8Array> => {
    if (node.spec.id !== BYZANTINE || rewritten) return bytes;
    const decoded = decodeSignedVertex(bytes);
    if (!decoded.ok) throw new Error('harness broadcast does not decode');
    const vertex = decoded.value.vertex;
    if (honestVote === undefined) {
      honestVote = vertex.checkpointSignature;
      return bytes;
    }
    const checkpointHash = hashDomain('kaldrix/test/other-checkpoint', honestVote.checkpointHash);
    const message = checkpointMessageOfHash({ chainId: vertex.chainId, epoch: vertex.epoch, sequence: honestVote.sequence }, checkpointHash);
    const signature = forge ? honestVote.signature : await node.signer.sign(message, CHECKPOINT_SIGNING_CONTEXT);
    const second = await signVertex(node.signer, { ...vertex, checkpointSignature: { sequence: honestVote.sequence, checkpointHash, signature } });
    rewritten = true;
    // Silent from now on: no peer can fetch the original of the vertex just rewritten.
    net.stop(BYZANTINE);
    return encodeSignedVertex(second);
  };
  const net = await createNetwork({ chain, rewriteBroadcast });
  return { chain, net, sequence: () => (rewritten ? honestVote?.sequence : undefined) };
}

const honestNodes = (net: Network): Node[] => net.nodes.filter((n) => n.spec.id !== BYZANTINE);

function expectAgreement(nodes: readonly Node[]): number {
  const sequences = nodes.map((n) => n.committed.map(commitKey));
  const shortest = Math.min(...sequences.map((s) => s.length));
  for (const s of sequences) expect(s.slice(0, shortest)).toEqual((sequences[0] as string[]).slice(0, shortest));
  return shortest;
}

const slashesOf = (node: Node): Extract<EvidenceOutcome, { ok: true }>['value'][] =>
  node.committed.flatMap((c) => c.evidence).flatMap((o) => (o.ok ? [o.value] : []));

describe('a member signs two checkpoints for one sequence', () => {
  it('honest validators find the evidence, carry it in a vertex, slash the offender once, and commit alike', async () => {
    const { chain, net, sequence } = await doubleVoteNetwork(false);
    await net.run(1500);
    const doubled = sequence();
    expect(doubled).toBeDefined();
    const offender = chain.committee.members[3];
    if (offender === undefined) throw new Error('fixture');
    const honest = honestNodes(net);
    expect(expectAgreement(honest)).toBeGreaterThanOrEqual(5);
    // Each honest node verified the second vote (another checkpoint than its own) and turned
    // the pair into evidence; the trace shows it before it rode on a vertex.
    for (const node of honest) {
      const status = node.validator.status();
      expect(status.conflictingVotes).toBe(1);
      expect(status.evidenceFound).toBe(1);
      expect(net.trace.some((l) => l.includes(` ${node.spec.id} evidence checkpoint equivocation seq=${doubled} by v3`))).toBe(true);
    }
    expect(net.trace.some((l) => /propose r\d+ .*evidence=1/.test(l))).toBe(true);
    // Executed in a committed vertex: exactly one slash (the same on every honest node), the
    // rest ALREADY_SLASHED.
    for (const node of honest) {
      const outcomes = node.committed.flatMap((c) => c.evidence);
      const slashes = slashesOf(node);
      expect(slashes).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.error.code === 'ALREADY_SLASHED')).toBe(true);
      const slash = slashes[0];
      if (slash === undefined) throw new Error('no slash');
      expect(slash.evidence.context).toBe('checkpoint');
      expect(toHex(slash.evidence.offender)).toBe(toHex(offender.address));
      expect(decodeSlotHeader(slash.evidence.first.message)).toEqual({ epoch: 0n, roundOrSequence: doubled });
      expect(verifyEvidence(slash.evidence, offender.key, noble)).toEqual({ ok: true, value: undefined });
      // The ledger agrees: the offender lost exactly what was burned; honest stakes are intact.
      const ledger = node.validator.ledger();
      expect(slash.slashed).toBeGreaterThan(0n);
      expect(ledger.burned).toBe(slash.slashed);
      expect(getAccount(ledger, offender.address)?.stake).toBe(STAKE - slash.slashed);
      for (const m of chain.committee.members) if (m.index !== 3) expect(getAccount(ledger, m.address)?.stake).toBe(STAKE);
    }
    // Certificates kept coming without v3 (three of four members are a quorum).
    for (const node of honest) expect(node.validator.status().lastCertifiedSequence).toBeGreaterThan(doubled ?? 0n);
  });

  it('a second vote whose signature does not match its hash is dropped: no evidence, no slash', async () => {
    const { net, sequence } = await doubleVoteNetwork(true);
    await net.run(1500);
    expect(sequence()).toBeDefined();
    const honest = honestNodes(net);
    expect(expectAgreement(honest)).toBeGreaterThanOrEqual(5);
    for (const node of honest) {
      const status = node.validator.status();
      expect(status.evidenceFound).toBe(0);
      expect(status.conflictingVotes).toBe(0);
      expect(node.committed.flatMap((c) => c.evidence)).toEqual([]);
      expect(node.validator.ledger().burned).toBe(0n);
    }
  });
});

describe('golden transcript (KALDRIX_UPDATE_GOLDEN=1 rewrites it)', () => {
  it('checkpoint-equivocation.txt: v3 votes for two checkpoints of sequence 1, then goes silent', async () => {
    const { net } = await doubleVoteNetwork(false);
    await net.run(820);
    const lines = [
      '# 4 validators, constant 10 ms latency; v3 votes for checkpoint 1 on r9, its r10 carries a second vote for',
      '# sequence 1 over another checkpoint hash (re-signed by v3), then v3 goes silent; until t=820ms.',
      '# regenerate: KALDRIX_UPDATE_GOLDEN=1 npx vitest run core/validator',
      '# each honest node verifies both votes, turns the pair into evidence, puts it in its next vertex, and',
      '# execution slashes v3 once for the slot; later copies are refused ALREADY_SLASHED.',
      '',
      ...net.trace,
    ];
    const path = new URL('./testdata/checkpoint-equivocation.txt', import.meta.url);
    const text = `${lines.join('\n')}\n`;
    if (process.env.KALDRIX_UPDATE_GOLDEN === '1') writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  });
});
