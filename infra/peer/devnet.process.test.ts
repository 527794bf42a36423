// A real 4-validator devnet on loopback: four `kaldrix start` processes over libp2p (TCP,
// noise, yamux, gossipsub, the PQ handshake), LevelDB stores and HTTP APIs. It must commit and
// certify; a transfer submitted to one node is committed on all; a validator killed with
// SIGKILL restarts from its store — from its latest resume point, the commits below the older
// one pruned — catches up, agrees on certified state roots, and nobody ever finds evidence
// against it (it never signed a slot twice). Resume points every 40 commits here (1,000 by
// default), so several are written within the test. Commit logs hold 150 commits here (1,024 by
// default), so a validator whose store is lost while the others move on cannot catch up by
// ranges from genesis: it must start from a peer's resume point (state sync). A validator frozen
// (SIGSTOP) until the others' logs have moved past it does the same while running, once thawed.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressFromPublicKey, createLocalSigner, createNobleBackend, schemeInfo, toHex } from '../../core/crypto/index.ts';
import { encodeSignedTx, signTx, txId } from '../../core/state/index.ts';
import { decodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';
import { launchDevnet, type RunningDevnet } from './devnet/launch.ts';
import { PEER_KEY_FILE } from './net/index.ts';
import { writeDevnet, type DevnetManifest } from './devnet/files.ts';

type Status = {
  round: number;
  lastCommitIndex: string;
  lastCertifiedSequence: string;
  evidenceFound: number;
  connectedPeers: number;
  resumedFromSequence: string;
  resumePointSequence: string;
  storedCommitFloor: string;
  resumedFromPeer: boolean;
  commitLogFrom: string;
  stateSyncsWhileRunning: number;
};
const LOGGED_COMMITS = 150;
/** Commits a node may still make between a status read and the SIGSTOP that follows it (a few seconds' worth). */
const PAUSE_MARGIN_COMMITS = 50n;
const SNAPSHOT_ENV = { KALDRIX_STORAGE_SNAPSHOT_INTERVAL_COMMITS: '40', KALDRIX_STORAGE_KEEP_CERTIFICATES: '30', KALDRIX_CONSENSUS_MAX_LOGGED_COMMITS: String(LOGGED_COMMITS) };

async function status(apiUrl: string): Promise<Status | undefined> {
  const response = await fetch(`${apiUrl}/v1/status`).catch(() => undefined);
  return response?.ok === true ? ((await response.json()) as Status) : undefined;
}

/** Polls until `check` holds (bounded). */
async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`devnet: ${what} not reached within ${timeoutMs} ms`);
}

const commitIndexOf = async (apiUrl: string): Promise<bigint> => BigInt((await status(apiUrl))?.lastCommitIndex ?? '0');

describe('a 4-validator devnet of real processes', () => {
  let dir: string;
  let manifest: DevnetManifest;
  let devnet: RunningDevnet;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-devnet-'));
    manifest = await writeDevnet({ dir, validators: 4, users: 2, basePort: 28_400 + Math.floor(Math.random() * 50) * 40, chainId: 'kaldrix-devnet-test', genesisTimeMs: Date.now() });
    devnet = launchDevnet(manifest, { onLine: (line) => lines.push(line), env: SNAPSHOT_ENV });
    await devnet.waitReady(120_000);
  }, 150_000);

  afterAll(async () => {
    // A node that died on its own: its last words are the most useful failure message there is.
    for (const [name, code] of devnet?.unexpectedExits() ?? []) console.error(`${name} exited with ${code}:\n${lines.filter((l) => l.startsWith(`[${name}]`)).slice(-30).join('\n')}`);
    await devnet?.stopAll(10_000);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  /**
   * A restarted node (started from checkpoint `from`) holds the first test's transfer, names the
   * same hash and state root as node 0 for a checkpoint certified after its restart, proposes
   * again, and nobody ever found evidence against anyone (it never re-signed a slot).
   */
  async function expectAgreesAndProposes(apiUrl: string, from: bigint): Promise<void> {
    const recipient = (await (await fetch(`${apiUrl}/v1/accounts/${manifest.users[1]?.address ?? ''}`)).json()) as { account: { balance: string } | null };
    expect(recipient.account?.balance).toBe((1_000_000_000_000n + 4242n).toString());
    await eventually('a checkpoint certified on the restarted node', 60_000, async () => BigInt((await status(apiUrl))?.lastCertifiedSequence ?? '0') > from);
    // (The certificate reaches the store a moment after the status counts it.)
    const sequence = (await status(apiUrl))?.lastCertifiedSequence ?? '0';
    const checkpointOn = async (url: string) => ((await (await fetch(`${url}/v1/checkpoints/${sequence}`)).json()) as { stateRoot?: string; hash?: string });
    // On node 0 too: it may store that certificate a moment after the restarted node does.
    const node0 = manifest.nodes[0]?.apiUrl as string;
    await eventually(`checkpoint ${sequence} stored on the restarted node and on node 0`, 30_000, async () => (await checkpointOn(apiUrl)).hash !== undefined && (await checkpointOn(node0)).hash !== undefined);
    const [mine, theirs] = [await checkpointOn(apiUrl), await checkpointOn(node0)];
    expect(theirs.hash).toBeDefined();
    expect([mine.hash, mine.stateRoot]).toEqual([theirs.hash, theirs.stateRoot]);
    const roundAfter = (await status(apiUrl))?.round ?? 0;
    await eventually('the restarted node proposes', 60_000, async () => ((await status(apiUrl))?.round ?? 0) > roundAfter);
    const all = await Promise.all(manifest.nodes.map((n) => status(n.apiUrl)));
    for (const s of all) expect(s?.evidenceFound ?? -1).toBe(0);
    expect(devnet.unexpectedExits().size, lines.slice(-20).join('\n')).toBe(0);
  }

  it('commits and certifies on every node, and a transfer sent to one node is committed everywhere', async () => {
    await eventually('20 commits and a certificate on every node', 90_000, async () => {
      const all = await Promise.all(manifest.nodes.map((n) => status(n.apiUrl)));
      return all.every((s) => s !== undefined && BigInt(s.lastCommitIndex) >= 20n && BigInt(s.lastCertifiedSequence) >= 1n);
    });
    const keys = decodePlaintextKeyFile(JSON.parse(readFileSync(manifest.users[0]?.keyPath as string, 'utf8')) as Record<string, unknown>);
    const recipient = decodePlaintextKeyFile(JSON.parse(readFileSync(manifest.users[1]?.keyPath as string, 'utf8')) as Record<string, unknown>);
    if (!keys.ok || !recipient.ok) throw new Error('devnet user keys do not decode');
    const address = (k: typeof keys.value): Uint8Array => addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey);
    const tx = { chainId: manifest.chainId, sender: address(keys.value), nonce: 0n, fee: 1000n, body: { kind: 'transfer' as const, value: { to: address(recipient.value), amount: 4242n } } };
    const signed = await signTx(createLocalSigner(createNobleBackend(), keys.value), tx, { includePublicKey: false });
    const submitted = await fetch(`${manifest.nodes[0]?.apiUrl}/v1/transactions`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(encodeSignedTx(signed)) });
    expect(submitted.status).toBe(202);
    const id = toHex(txId(signed.tx));
    for (const node of manifest.nodes) {
      await eventually(`the transfer committed on ${node.name}`, 30_000, async () => {
        const answer = (await (await fetch(`${node.apiUrl}/v1/transactions/${id}`)).json()) as { status: string; receipt?: { status: string } };
        return answer.status === 'committed' && answer.receipt?.status === 'applied';
      });
    }
    // The recipient's balance, with a proof against a certified state root, on another node.
    // (Proofs are made against the last CERTIFIED state root: wait for the certificate.)
    await eventually('the credited balance, proven against a certified root', 30_000, async () => {
      const account = (await (await fetch(`${manifest.nodes[2]?.apiUrl}/v1/accounts/${manifest.users[1]?.address ?? ''}`)).json()) as { account: { balance: string } | null; proof: string };
      return account.account?.balance === (1_000_000_000_000n + 4242n).toString() && account.proof.length > 10;
    });
  }, 150_000);

  it('a validator killed with SIGKILL restarts from its latest resume point, catches up, agrees and never equivocates', async () => {
    const victim = manifest.nodes[3];
    if (victim === undefined) throw new Error('no node 3');
    // Two resume points written, so the commits below the older one are gone from the store.
    await eventually('two resume points on node 3 and its old commits pruned', 120_000, async () => BigInt((await status(victim.apiUrl))?.storedCommitFloor ?? '0') > 0n);
    const atKill = await status(victim.apiUrl);
    const before = BigInt(atKill?.lastCommitIndex ?? '0');
    expect(BigInt(atKill?.resumePointSequence ?? '0')).toBeGreaterThan(0n);
    await devnet.stop(3, 'SIGKILL');
    // The other three keep committing without it (f = 1).
    const othersBefore = await commitIndexOf(manifest.nodes[0]?.apiUrl as string);
    await eventually('commits without the killed node', 60_000, async () => (await commitIndexOf(manifest.nodes[0]?.apiUrl as string)) > othersBefore + 10n);
    devnet.restart(3);
    await eventually('the restarted node caught up', 120_000, async () => {
      const mine = await commitIndexOf(victim.apiUrl);
      const theirs = await commitIndexOf(manifest.nodes[0]?.apiUrl as string);
      return mine >= before && theirs - mine < 10n && mine > othersBefore;
    });
    // It started from a resume point, not from genesis (whose commits it no longer holds).
    const restarted = await status(victim.apiUrl);
    expect(BigInt(restarted?.resumedFromSequence ?? '0')).toBeGreaterThan(0n);
    expect(BigInt(restarted?.resumedFromSequence ?? '0')).toBeGreaterThanOrEqual(BigInt(atKill?.resumePointSequence ?? '0'));
    expect(lines.some((l) => l.startsWith('[v3]') && l.includes('resuming from checkpoint'))).toBe(true);
    await expectAgreesAndProposes(victim.apiUrl, BigInt(restarted?.resumedFromSequence ?? '0'));
  }, 300_000);

  it('a validator whose store is lost, once every peer\'s commit log has moved past its genesis, starts from a peer\'s resume point', async () => {
    const victim = manifest.nodes[3];
    if (victim === undefined) throw new Error('no node 3');
    await devnet.stop(3, 'SIGKILL');
    // The store is gone; the node's key and libp2p identity are not.
    for (const name of readdirSync(victim.dataDir)) if (name !== PEER_KEY_FILE) rmSync(join(victim.dataDir, name), { recursive: true, force: true });
    // Nobody can give it ranges from commit 1 any more.
    const others = manifest.nodes.slice(0, 3);
    await eventually('every other node\'s commit log past commit 1, and a resume point on each', 120_000, async () => {
      const all = await Promise.all(others.map((n) => status(n.apiUrl)));
      return all.every((st) => st !== undefined && BigInt(st.commitLogFrom) > 1n && BigInt(st.resumePointSequence) > 0n);
    });
    const othersAtRestart = await commitIndexOf(manifest.nodes[0]?.apiUrl as string);
    const syncLines = lines.length;
    devnet.restart(3, { recover: true });
    await eventually('the restarted node caught up', 120_000, async () => {
      const mine = await commitIndexOf(victim.apiUrl);
      const theirs = await commitIndexOf(manifest.nodes[0]?.apiUrl as string);
      return mine > othersAtRestart && theirs - mine < 10n;
    });
    const restarted = await status(victim.apiUrl);
    expect(restarted?.resumedFromPeer).toBe(true);
    expect(BigInt(restarted?.resumedFromSequence ?? '0')).toBeGreaterThan(0n);
    const said = lines.slice(syncLines).filter((l) => l.startsWith('[v3]'));
    expect(said.some((l) => l.includes('state sync: checkpoint') && l.includes('verified'))).toBe(true);
    expect(said.some((l) => l.includes('taken from a peer'))).toBe(true);
    await expectAgreesAndProposes(victim.apiUrl, BigInt(restarted?.resumedFromSequence ?? '0'));
  }, 300_000);

  it('a validator frozen until every peer\'s commit log has moved past it takes a peer\'s resume point while running, once thawed', async () => {
    const victim = manifest.nodes[2];
    if (victim === undefined) throw new Error('no node 2');
    // Read before the pause (a stopped process answers nothing): it may commit a few more before
    // the signal lands, so the logs must move a margin past this, not just past the next commit.
    const atPause = BigInt((await status(victim.apiUrl))?.lastCommitIndex ?? '0');
    devnet.pause(2);
    const others = [manifest.nodes[0], manifest.nodes[1], manifest.nodes[3]].filter((n) => n !== undefined);
    // Ranges cannot bring it back: every other log starts past its next commit, and each holds a newer point.
    await eventually('every other node\'s commit log past the frozen node\'s next commit', 120_000, async () => {
      const all = await Promise.all(others.map((n) => status(n.apiUrl)));
      return all.every((st) => st !== undefined && BigInt(st.commitLogFrom) > atPause + PAUSE_MARGIN_COMMITS && BigInt(st.resumePointSequence) > 0n);
    });
    const othersAtThaw = await commitIndexOf(manifest.nodes[0]?.apiUrl as string);
    const syncLines = lines.length;
    devnet.resume(2);
    await eventually('the thawed node caught up', 120_000, async () => {
      const mine = await commitIndexOf(victim.apiUrl);
      const theirs = await commitIndexOf(manifest.nodes[0]?.apiUrl as string);
      return mine > othersAtThaw && theirs - mine < 10n;
    });
    const thawed = await status(victim.apiUrl);
    expect(thawed?.stateSyncsWhileRunning).toBe(1);
    expect(thawed?.resumedFromPeer).toBe(true);
    expect(BigInt(thawed?.resumedFromSequence ?? '0')).toBeGreaterThan(0n);
    const said = lines.slice(syncLines).filter((l) => l.startsWith('[v2]'));
    expect(said.some((l) => l.includes('stalled at commit') && l.includes('taken from a peer'))).toBe(true);
    expect(said.some((l) => l.includes('state sync: checkpoint') && l.includes('verified'))).toBe(true);
    await expectAgreesAndProposes(victim.apiUrl, BigInt(thawed?.resumedFromSequence ?? '0'));
  }, 300_000);
});
