// The light-client session against fake peers serving REAL certificates (core/light's fixture:
// 4 validators, three committee handovers, real ML-DSA-44 signatures): the epoch ratchet with
// progress, following a newer head, a forged certificate (banned, alarm, head unchanged,
// evidence file), two certified checkpoints for one slot (conflict evidence), accounts with
// receipts and the WRONG_ROOT retry, and peers that vanish or stop answering.
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCertificate, signCheckpoint, signerBitmapOf, type Certificate } from '../../core/consensus/index.ts';
import { bytesEqual, encodeAddress, toHex, type KeyPair } from '../../core/crypto/index.ts';
import { encodeAccountProofMessage, lightEvidenceBytesFromJson, verifyLightEvidence, LIGHT_EVIDENCE_JSON_FORMAT } from '../../core/light/index.ts';
import { runFixture, signerOf, type Fixture } from '../../core/light/test/fixture.ts';
import { getAccount, proveAccount, stateRoot, type Address } from '../../core/state/index.ts';
import { addressOf, keysOf } from '../../core/validator/test/harness.ts';
import { FORGED_CERTIFICATE_JSON_FORMAT } from './_describe.ts';
import { createLightSession, type LightSession, type LightSessionInit } from './_session.ts';
import { fakeNetwork, fakePeer, genesisText, manualClock, memoryStore, type FakeNetwork, type FakePeer } from './test/fakePeers.ts';
import type { LightStatus } from './protocol.ts';

let f: Fixture;
let text: string;
beforeAll(async () => {
  f = await runFixture();
  text = genesisText(f.chain.genesis);
}, 60_000);

const newest = (): Certificate => f.certificates.at(-1) as Certificate;
const cert = (sequence: bigint): Certificate => f.certificates.find((c) => c.checkpoint.sequence === sequence) as Certificate;

type Run = { session: LightSession; net: FakeNetwork; clock: ReturnType<typeof manualClock>; statuses: LightStatus[] };

function open(peers: readonly FakePeer[], init: LightSessionInit = {}, store = memoryStore()): Run {
  const net = fakeNetwork(f, peers);
  const clock = manualClock();
  const statuses: LightStatus[] = [];
  const holder: { session?: LightSession } = {};
  const created = createLightSession(
    { transport: net, verifier: f.pool, store, clock, onChange: () => holder.session !== undefined && statuses.push(holder.session.status()) },
    { trust: { kind: 'genesis', genesisText: text }, peers: peers.map((p) => p.multiaddr), allowLoopback: true },
    init,
  );
  if (!created.ok) throw new Error(created.error.message);
  holder.session = created.value;
  return { session: created.value, net, clock, statuses };
}

function headSequence(run: Run): bigint | undefined {
  const head = run.session.head();
  return head.ok ? head.value.sequence : undefined;
}

describe('starting', () => {
  it('refuses a bad genesis with the parser’s words, and peers that are not WebSocket /p2p multiaddrs', () => {
    const components = { transport: fakeNetwork(f, []), verifier: f.pool, store: undefined, clock: manualClock(), onChange: () => {} };
    const bad = createLightSession(components, { trust: { kind: 'genesis', genesisText: '{"chain_id": 5}' }, peers: [fakePeer('A', 1n).multiaddr], allowLoopback: true });
    expect(!bad.ok && bad.error.code).toBe('BAD_TRUST_ROOT');
    expect(!bad.ok && bad.error.message).toContain('chain_id');
    const peerless = createLightSession(components, { trust: { kind: 'genesis', genesisText: text }, peers: ['/ip4/1.2.3.4/tcp/1/ws'], allowLoopback: true });
    expect(!peerless.ok && peerless.error.code).toBe('BAD_PEER_ADDRESS');
    const loopback = createLightSession(components, { trust: { kind: 'genesis', genesisText: text }, peers: [fakePeer('A', 1n).multiaddr], allowLoopback: false });
    expect(!loopback.ok && loopback.error.message).toContain('loopback');
  });

  it('ratchets through the epochs with progress, then takes the newest head, cross-checked by every peer', async () => {
    const peers = [fakePeer('A', 99n), fakePeer('B', 99n)];
    const run = open(peers);
    const started = await run.session.start();
    expect(started).toEqual({ ok: true, value: { resumed: false } });
    const status = run.session.status();
    expect(status.epochSync).toEqual({ done: 3, total: 3 });
    expect([...new Set(run.statuses.map((s) => s.epochSync.done))]).toEqual([0, 1, 2, 3]);
    expect(run.statuses.some((s) => s.phase === 'syncing-epochs')).toBe(true);
    expect(status.phase).toBe('following');
    const head = run.session.head();
    if (!head.ok) throw new Error(head.error.message);
    expect(head.value.sequence).toBe(newest().checkpoint.sequence);
    expect(head.value.epoch).toBe(3n);
    expect(head.value.committeeEpoch).toBe(3n);
    expect(head.value.receipt.proofChecked).toBe('certificate');
    expect([...head.value.receipt.servedBy].sort()).toEqual(peers.map((p) => p.id).sort());
    expect(status.peers.map((p) => [p.state, p.verifiedSequence])).toEqual([['connected', head.value.sequence], ['connected', head.value.sequence]]);
  });

  it('follows a newer head, ratcheting the committee on the way', async () => {
    const peer = fakePeer('A', 5n);
    const run = open([peer]);
    await run.session.start();
    expect(headSequence(run)).toBe(5n);
    expect(run.session.status().epochSync.done).toBe(2);
    peer.height = 99n;
    await run.session.poll();
    expect(headSequence(run)).toBe(newest().checkpoint.sequence);
    expect(run.session.status().head?.epoch).toBe(3n);
  });
});

describe('lies', () => {
  it('a forged certificate: the peer is banned, an alarm names it, the head stays, the evidence file says why', async () => {
    const honest = fakePeer('A', 6n);
    const liar = fakePeer('B', 6n);
    const run = open([honest, liar]);
    await run.session.start();
    expect(headSequence(run)).toBe(6n);
    const real = cert(7n);
    const last = real.signatures.length - 1;
    const forgedSig = real.signatures[last]?.bytes.slice() as Uint8Array;
    forgedSig[100] = (forgedSig[100] as number) ^ 1;
    const forged = encodeCertificate({ ...real, signatures: real.signatures.map((s, i) => (i === last ? { ...s, bytes: forgedSig } : s)) });
    liar.latestOverride = forged;
    await run.session.poll();
    expect(headSequence(run)).toBe(6n);
    const status = run.session.status();
    const banned = status.peers.find((p) => p.peerId === liar.id);
    expect(banned?.state).toBe('banned');
    expect(banned?.reason).toMatch(/^BAD_SIGNATURES: /);
    expect(status.alarms).toHaveLength(1);
    expect(status.alarms[0]).toMatchObject({ kind: 'forged-certificate', peers: [liar.id] });
    expect(run.net.connected.has(liar.id)).toBe(false);
    const evidence = run.session.evidence();
    if (!evidence.ok) throw new Error(evidence.error.message);
    const doc = JSON.parse(evidence.value.json) as Record<string, unknown>;
    expect(doc['format']).toBe(FORGED_CERTIFICATE_JSON_FORMAT);
    expect(doc['peerId']).toBe(liar.id);
    expect(doc['multiaddr']).toBe(liar.multiaddr);
    expect(doc['certificateHex']).toBe(toHex(forged));
    expect(doc['reject']).toMatchObject({ code: 'BAD_SIGNATURES', detail: { code: 'BAD_SIGNATURES' } });
    expect(doc['trustedHead']).toMatchObject({ sequence: '6', checkpointHash: toHex(run.session.status().head?.checkpointHash ?? new Uint8Array()) });
    // The banned peer is not asked again; the honest one still moves the head.
    liar.asked.length = 0;
    honest.height = 99n;
    await run.session.poll();
    expect(liar.asked).toEqual([]);
    expect(headSequence(run)).toBe(newest().checkpoint.sequence);
  });

  it('bytes that are no certificate: banned as MALFORMED_CERTIFICATE', async () => {
    const liar = fakePeer('B', 3n);
    liar.latestOverride = Uint8Array.of(1, 2, 3);
    const run = open([fakePeer('A', 3n), liar]);
    await run.session.start();
    expect(headSequence(run)).toBe(3n);
    expect(run.session.status().peers[1]).toMatchObject({ state: 'banned', reason: expect.stringMatching(/^MALFORMED_CERTIFICATE/) });
  });

  it('two certified checkpoints for one slot: a conflict alarm with evidence anyone can re-check', async () => {
    const real = cert(1n);
    const checkpoint = { ...real.checkpoint, stateRoot: new Uint8Array(32).fill(7) };
    const liars = [0, 1, 3];
    const signatures = [];
    for (const m of liars) signatures.push((await signCheckpoint(signerOf(f.chain.validatorKeys[m] as KeyPair), checkpoint)).signature);
    const conflicting = encodeCertificate({ checkpoint, signers: signerBitmapOf(4, liars), signatures });
    const honest = fakePeer('A', 1n);
    const other = fakePeer('B', 1n);
    other.latestOverride = conflicting;
    const run = open([honest, other]);
    await run.session.start();
    const { alarms } = run.session.status();
    expect(alarms.map((a) => a.kind)).toEqual(['conflict']);
    expect([...(alarms[0]?.peers ?? [])].sort()).toEqual([honest.id, other.id].sort());
    expect(headSequence(run)).toBe(1n);
    const evidence = run.session.evidence();
    if (!evidence.ok) throw new Error(evidence.error.message);
    expect(JSON.parse(evidence.value.json)).toMatchObject({ format: LIGHT_EVIDENCE_JSON_FORMAT, sequence: '1' });
    const bytes = lightEvidenceBytesFromJson(evidence.value.json);
    if (!bytes.ok) throw new Error(bytes.error.code);
    const recheck = await verifyLightEvidence(bytes.value, f.pool, { chainId: f.chain.genesis.chainId });
    expect(recheck.ok && recheck.value.offenders.length).toBeGreaterThanOrEqual(2);
  });
});

describe('accounts', () => {
  let target: Certificate;
  let earlier: Certificate;
  const user = (): Address => addressOf(f.chain.users[0] as KeyPair);
  const honestAccounts = (address: Address): Uint8Array => encodeAccountProofMessage(stateRoot(f.ledger), address, proveAccount(f.ledger, address));
  beforeAll(() => {
    const root = stateRoot(f.ledger);
    target = [...f.certificates].reverse().find((c) => bytesEqual(c.checkpoint.stateRoot, root)) as Certificate;
    earlier = [...f.certificates].reverse().find((c) => c.checkpoint.sequence < target.checkpoint.sequence && !bytesEqual(c.checkpoint.stateRoot, root)) as Certificate;
  });

  it('an existing and an absent account, verified, with a receipt naming both peers that agreed', async () => {
    const peers = [fakePeer('A', target.checkpoint.sequence), fakePeer('B', target.checkpoint.sequence)];
    for (const p of peers) p.account = honestAccounts;
    const run = open(peers);
    await run.session.start();
    const found = await run.session.account(`  ${encodeAddress(user())}  `);
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.exists).toBe(true);
    expect(found.value.addressText).toBe(encodeAddress(user()));
    expect(found.value.account.balance).toBe(getAccount(f.ledger, user())?.balance);
    expect(found.value.receipt).toMatchObject({ sequence: target.checkpoint.sequence, proofChecked: 'account-inclusion' });
    expect([...found.value.receipt.servedBy].sort()).toEqual(peers.map((p) => p.id).sort());
    const nobody = addressOf(keysOf('light-worker-nobody'));
    const absent = await run.session.account(encodeAddress(nobody));
    expect(absent.ok && [absent.value.exists, absent.value.receipt.proofChecked]).toEqual([false, 'account-exclusion']);
    expect((await run.session.account('kdx1notanaddress')).ok ? 'ok' : 'BAD_ADDRESS').toBe('BAD_ADDRESS');
  });

  it('WRONG_ROOT: the head is refreshed from that peer and the query retried once', async () => {
    expect(earlier).toBeDefined();
    const peer = fakePeer('A', earlier.checkpoint.sequence);
    peer.account = honestAccounts;
    const run = open([peer]);
    await run.session.start();
    expect(headSequence(run)).toBe(earlier.checkpoint.sequence);
    peer.height = target.checkpoint.sequence;
    const found = await run.session.account(encodeAddress(user()));
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.receipt.sequence).toBe(target.checkpoint.sequence);
    expect(headSequence(run)).toBe(target.checkpoint.sequence);
  });

  it('a false proof: PROOF_REJECTED and the peer banned; no head: NO_VERIFIED_HEAD', async () => {
    const peer = fakePeer('A', target.checkpoint.sequence);
    peer.account = (address) => {
      const proved = proveAccount(f.ledger, address);
      const account = proved.account ?? undefined;
      if (account === undefined) throw new Error('the user has an account');
      return encodeAccountProofMessage(stateRoot(f.ledger), address, { ...proved, account: { ...account, balance: account.balance + 1n } });
    };
    const run = open([peer]);
    await run.session.start();
    const r = await run.session.account(encodeAddress(user()));
    expect(!r.ok && r.error.code).toBe('PROOF_REJECTED');
    expect(run.session.status().peers[0]?.state).toBe('banned');
    const empty = open([fakePeer('B', 0n)]);
    await empty.session.start();
    expect(empty.session.status().phase).toBe('stalled');
    const none = await empty.session.account(encodeAddress(user()));
    expect(!none.ok && none.error.code).toBe('NO_VERIFIED_HEAD');
  });
});

describe('peers that vanish or go quiet', () => {
  it('an unreachable peer is redialled with backoff, bounded per minute, and joins when it is back', async () => {
    const away = fakePeer('B', 99n);
    away.reachable = false;
    const run = open([fakePeer('A', 99n), away], { minPeers: 2, maxDialsPerMinute: 3 });
    await run.session.start();
    expect(run.session.status().peers[1]).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('DIAL_FAILED') });
    const dialsOf = () => run.net.dials.filter((id) => id === away.id).length;
    await run.session.poll();
    expect(dialsOf()).toBe(1); // within the first backoff: no redial yet
    for (let i = 0; i < 20; i++) {
      run.clock.now += 2_000;
      await run.session.poll();
    }
    expect(dialsOf()).toBeLessThanOrEqual(1 + 3);
    expect(dialsOf()).toBeGreaterThan(1);
    away.reachable = true;
    run.clock.now += 120_000;
    await run.session.poll();
    await run.session.poll();
    expect(run.session.status().peers[1]).toMatchObject({ state: 'connected', verifiedSequence: newest().checkpoint.sequence });
  });

  it('a peer that stops answering is dropped after a few silent requests, not banned; a closed connection is noticed', async () => {
    const quiet = fakePeer('B', 99n);
    const run = open([fakePeer('A', 99n), quiet], { minPeers: 1 });
    await run.session.start();
    quiet.failWith = { code: 'TIMEOUT', message: 'no whole answer before the deadline' };
    for (let i = 0; i < 3; i++) await run.session.poll();
    expect(run.session.status().peers[1]).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('TIMEOUT') });
    run.net.disconnect(fakePeer('A', 0n).id);
    expect(run.session.status().peers[0]?.state).toBe('disconnected');
    expect(run.session.status().head?.sequence).toBe(newest().checkpoint.sequence);
  });
});
