// The crash loop (issue #7 "Crash test"): a real 4-validator devnet under a steady load of signed
// transfers; at seeded-random moments one validator is killed with SIGKILL and restarted from
// the same data directory, at least 20 times. Each time it must become ready and catch up to
// where the others were when it died. At the end: every transaction any node accepted is
// committed at one commit index on every node that indexes it (a node restarted from a resume
// point indexes what it executed since) and the sink's balance on all four shows every
// transfer applied once, the nodes agree on every certified
// checkpoint and on every commit digest they were seen at, balances add up, and nobody found
// evidence against anybody (a restarted validator never signs a slot twice) — nor was anybody
// slashed. docs/protocol.md "Restart and catch-up", "Restart safety".
//
// The plan comes from a seed: KALDRIX_CRASH_SEED=<seed> (printed in every failure message), or
// `random` for a fresh one; by default the pinned DEFAULT_SEED, so `npm test` and CI run one known
// plan. The timing of a real network is not reproducible; the seed fixes the delays, victims and
// targets. KALDRIX_CRASH_LOOP=0 skips the loop (it takes 12–17 minutes on a 2-core machine).
//
// It found these restart bugs, all fixed: a replay that crossed epochs too early, a lagging
// validator that never asked for ranges across two epochs, a range re-adopting commits it had
// decided itself, honest catch-up bursts penalized into a ban, weak links below the gc round
// refusing honest vertices, a validator that caught up by a range unable to fetch what its peers
// had collected beyond the certificate (a permanent stall once the next victim died), a full
// pending buffer refusing the low-round parents a catching-up chain needed, an API silent during
// the replay, one verify round trip per replayed commit, and a proposer that put a sender's next
// nonce ahead of the previous one riding in another validator's vertex. A restart resumes from
// the node's latest resume point (one every 1,000 commits by default) and replays only the
// stored commits after it; before the first point it replays from genesis, so the budget stays
// at 25 minutes for slower machines.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressFromPublicKey, createLocalSigner, createNobleBackend, schemeInfo, toHex, type KeyPair } from '../../core/crypto/index.ts';
import { decodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';
import { createPrng, type Prng } from '../../core/prng.ts';
import { encodeSignedTx, signTx, txId } from '../../core/state/index.ts';
import { launchDevnet, type RunningDevnet } from './devnet/launch.ts';
import { writeDevnet, type DevnetManifest } from './devnet/files.ts';

/** A plan that passed 20 crashes and every final check (the seed the fixes above were made against). */
const DEFAULT_SEED = 272093464;
const SEED_TEXT = process.env.KALDRIX_CRASH_SEED;
const SEED = SEED_TEXT === undefined || SEED_TEXT === '' ? DEFAULT_SEED : SEED_TEXT === 'random' ? Math.floor(Math.random() * 2 ** 32) : Number(SEED_TEXT);
/** The issue asks for at least 20 crashes; KALDRIX_CRASH_ITERATIONS may ask for more (or, to debug the final checks, fewer). */
const ITERATIONS = Number(process.env.KALDRIX_CRASH_ITERATIONS ?? 20);
/** Seeded-random wait before each kill: long enough to land mid-proposal, mid-vote or mid-write. */
const KILL_DELAY_MIN_MS = 500;
const KILL_DELAY_MAX_MS = 4_000;
/** One restart (process start, store replay, catch-up) takes a few seconds here; far more is a hang. */
const ITERATION_TIMEOUT_MS = 120_000;
/** The whole loop, so a slow machine fails with a message instead of running for ever. */
const LOOP_BUDGET_MS = 25 * 60_000;
/** A fresh devnet commits within seconds; this much is a network that never formed. */
const WARM_UP_TIMEOUT_MS = 120_000;
/** Sending lanes (one funded user each: nonces are per sender) and their combined rate. */
const LANES = 6;
const TX_PER_SECOND = 20;
/** Unconfirmed transactions a lane may have in flight: below the mempool's 64 per sender. */
const LANE_WINDOW = 32;
/** A lane whose oldest transaction is unconfirmed this long resends its window (the node that took it may have died first). */
const RESEND_AFTER_MS = 8_000;
/** Lookups in flight at the end: the nodes keep committing while they answer. */
const LOOKUP_CONCURRENCY = 16;
const LOG_LINES_KEPT = 4_000;

type Status = {
  epoch: string; round: number; lastCommitIndex: string; commitDigest: string; lastCertifiedSequence: string;
  evidenceFound: number; conflictingVotes: number; rangesAdopted: number;
};
type Checkpoint = { sequence: string; hash: string; commitDigest: string; stateRoot: string; lastCommitIndex: string };
type SentTx = { readonly id: string; readonly lane: number; readonly nonce: bigint; readonly bytes: Uint8Array; node: number; sentAtMs: number; resends: number };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A new own vertex: a later round of the same epoch, or any of a later one (rounds restart per epoch). */
const proposedSince = (before: Status, now: Status): boolean =>
  (BigInt(now.epoch) > BigInt(before.epoch) && now.round > 0) || (now.epoch === before.epoch && now.round > before.round);

async function getJson<T>(url: string): Promise<T | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return response?.ok === true ? ((await response.json()) as T) : undefined;
}

async function postTx(apiUrl: string, bytes: Uint8Array): Promise<number> {
  const init = { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(bytes), signal: AbortSignal.timeout(5_000) };
  const response = await fetch(`${apiUrl}/v1/transactions`, init).catch(() => undefined);
  await response?.arrayBuffer();
  return response?.status ?? 0;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/**
 * Every status answer seen, from any node: the commit digest at each commit index must be the
 * same on all nodes (the digest chains every earlier commit, so one equal digest means one equal
 * log), and evidence counters are kept at their maximum (a restart resets a node's counters).
 */
function createObserver(nodeCount: number) {
  const digestAt = new Map<string, { digest: string; node: number }>();
  const conflicts: string[] = [];
  const crossMatches = new Array<number>(nodeCount).fill(0);
  const maxEvidence = new Array<number>(nodeCount).fill(0);
  const maxConflictingVotes = new Array<number>(nodeCount).fill(0);
  const record = (node: number, s: Status): void => {
    maxEvidence[node] = Math.max(maxEvidence[node] ?? 0, s.evidenceFound);
    maxConflictingVotes[node] = Math.max(maxConflictingVotes[node] ?? 0, s.conflictingVotes);
    const seen = digestAt.get(s.lastCommitIndex);
    if (seen === undefined) {
      digestAt.set(s.lastCommitIndex, { digest: s.commitDigest, node });
      // Bounded: the oldest index goes first (a long run sees a few thousand).
      if (digestAt.size > 50_000) digestAt.delete(digestAt.keys().next().value as string);
    } else if (seen.digest !== s.commitDigest) {
      conflicts.push(`commit ${s.lastCommitIndex}: v${seen.node} has ${seen.digest}, v${node} has ${s.commitDigest}`);
    } else if (seen.node !== node) {
      crossMatches[node] = (crossMatches[node] ?? 0) + 1;
      crossMatches[seen.node] = (crossMatches[seen.node] ?? 0) + 1;
    }
  };
  return { record, conflicts, crossMatches, maxEvidence, maxConflictingVotes };
}

function userKeys(manifest: DevnetManifest): KeyPair[] {
  return manifest.users.map((u) => {
    const decoded = decodePlaintextKeyFile(JSON.parse(readFileSync(u.keyPath, 'utf8')) as Record<string, unknown>);
    if (!decoded.ok) throw new Error(`devnet user key ${u.keyPath} does not decode`);
    return decoded.value;
  });
}

const addressOf = (k: KeyPair): Uint8Array => addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey);

/**
 * The load: LANES funded users each send transfers of 1..1000 to a sink account, in nonce order,
 * to a seeded-random node that is up (the next victim included: dying with transactions in its
 * pool is the point). A lane confirms by its sender's nonce on a live node and resends its
 * unconfirmed window, same bytes, when the oldest is stale; every id is remembered with its node.
 */
function startLoad(manifest: DevnetManifest, isUp: (node: number) => boolean, rng: Prng) {
  const keys = userKeys(manifest);
  const sink = addressOf(keys[LANES] as KeyPair);
  const sent = new Map<string, SentTx>();
  const backend = createNobleBackend();
  const lanes = Array.from({ length: LANES }, (_, lane) => {
    const laneKeys = keys[lane] as KeyPair;
    return { lane, sender: addressOf(laneKeys), signer: createLocalSigner(backend, laneKeys), address: manifest.users[lane]?.address as string, next: 0n, confirmed: 0n, window: [] as SentTx[] };
  });
  const counts = { accepted: 0, refused: 0, unreachable: 0, resent: 0, amount: 0n };
  let sending = true;
  let running = true;
  const liveNode = (): number => {
    const up = manifest.nodes.map((n) => n.index).filter(isUp);
    return up[rng.nextInt(up.length)] ?? 0;
  };
  const confirm = async (lane: (typeof lanes)[number]): Promise<void> => {
    const answer = await getJson<{ account: { nonce: string } | null }>(`${manifest.nodes[liveNode()]?.apiUrl}/v1/accounts/${lane.address}`);
    if (answer?.account == null) return;
    lane.confirmed = BigInt(answer.account.nonce) > lane.confirmed ? BigInt(answer.account.nonce) : lane.confirmed;
    lane.window = lane.window.filter((t) => t.nonce >= lane.confirmed);
    const oldest = lane.window[0];
    if (oldest === undefined || Date.now() - oldest.sentAtMs < RESEND_AFTER_MS) return;
    for (const t of lane.window) {
      t.node = liveNode();
      t.sentAtMs = Date.now();
      t.resends += 1;
      counts.resent += 1;
      await postTx(manifest.nodes[t.node]?.apiUrl as string, t.bytes);
    }
  };
  const sendNext = async (lane: (typeof lanes)[number]): Promise<void> => {
    const amount = BigInt(1 + rng.nextInt(1000));
    const tx = { chainId: manifest.chainId, sender: lane.sender, nonce: lane.next, fee: 1000n, body: { kind: 'transfer' as const, value: { to: sink, amount } } };
    const signed = await signTx(lane.signer, tx, { includePublicKey: false });
    const bytes = encodeSignedTx(signed);
    const node = liveNode();
    const code = await postTx(manifest.nodes[node]?.apiUrl as string, bytes);
    // Not taken (the node died, or refused while it restarts): the same nonce is signed again next tick.
    if (code !== 202) return void (code === 0 ? counts.unreachable++ : counts.refused++);
    const entry: SentTx = { id: toHex(txId(signed.tx)), lane: lane.lane, nonce: lane.next, bytes, node, sentAtMs: Date.now(), resends: 0 };
    sent.set(entry.id, entry);
    lane.window.push(entry);
    lane.next += 1n;
    counts.accepted += 1;
    counts.amount += amount;
  };
  const runLane = async (lane: (typeof lanes)[number]): Promise<void> => {
    const periodMs = (LANES * 1000) / TX_PER_SECOND;
    let lastConfirmMs = Date.now();
    while (running) {
      await sleep(periodMs);
      if (Date.now() - lastConfirmMs > 2_000 || lane.next - lane.confirmed >= LANE_WINDOW || !sending) {
        lastConfirmMs = Date.now();
        await confirm(lane);
      }
      if (sending && lane.next - lane.confirmed < LANE_WINDOW) await sendNext(lane);
      if (!sending && lane.confirmed === lane.next) return;
    }
  };
  const done = Promise.all(lanes.map(runLane));
  return {
    sent,
    counts,
    sink: manifest.users[LANES]?.address as string,
    unconfirmed: () => lanes.map((l) => `u${l.lane}: ${l.confirmed}/${l.next}`).join(', '),
    /** Stops sending and waits (bounded) until every accepted transaction is confirmed. */
    async drain(timeoutMs: number): Promise<boolean> {
      sending = false;
      const finished = await Promise.race([done.then(() => true), sleep(timeoutMs).then(() => false)]);
      running = false;
      await done;
      return finished;
    },
    /** Stops at once (a failed run): the lanes end within one period. */
    stop(): void {
      sending = false;
      running = false;
    },
  };
}

describe.skipIf(process.env.KALDRIX_CRASH_LOOP === '0')('a 4-validator devnet under load, one validator SIGKILLed and restarted 20 times', () => {
  let dir: string;
  let manifest: DevnetManifest;
  let devnet: RunningDevnet;
  let load: ReturnType<typeof startLoad> | undefined;
  const lines: string[] = [];
  const keepLine = (line: string): void => {
    lines.push(line);
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
  };
  const linesOf = (node: number, count: number): string => lines.filter((l) => l.startsWith(`[v${node}]`)).slice(-count).join('\n');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-crash-'));
    // Validators, the sending lanes, and the sink.
    const plan = { dir, validators: 4, users: LANES + 1, basePort: 31_000 + Math.floor(Math.random() * 50) * 40, chainId: 'kaldrix-crash-test', genesisTimeMs: Date.now() };
    manifest = await writeDevnet(plan);
    devnet = launchDevnet(manifest, { onLine: keepLine });
    // Generous: on a busy machine four processes loading TypeScript take minutes, not seconds.
    await devnet.waitReady(240_000);
  }, 270_000);

  afterAll(async () => {
    load?.stop();
    for (const [name, code] of devnet?.unexpectedExits() ?? []) console.error(`${name} exited with ${code}:\n${lines.filter((l) => l.startsWith(`[${name}]`)).slice(-30).join('\n')}`);
    await devnet?.stopAll(10_000);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('catches up after every crash, loses no committed transaction and never equivocates', async () => {
    const rng = createPrng(SEED);
    const observer = createObserver(manifest.nodes.length);
    const where = (extra: string): string => `seed=${SEED} ${extra}`;
    const statusOf = async (node: number): Promise<Status | undefined> => {
      const s = await getJson<Status>(`${manifest.nodes[node]?.apiUrl}/v1/status`);
      if (s !== undefined) observer.record(node, s);
      return s;
    };
    // The loop starts on a network that commits and certifies.
    for (const deadline = Date.now() + WARM_UP_TIMEOUT_MS; ; await sleep(500)) {
      const all = await Promise.all(manifest.nodes.map((n) => statusOf(n.index)));
      if (all.every((s) => s !== undefined && BigInt(s.lastCommitIndex) >= 10n && BigInt(s.lastCertifiedSequence) >= 1n)) break;
      if (Date.now() > deadline) throw new Error(where(`no 10 commits and a certificate on every node within ${WARM_UP_TIMEOUT_MS} ms: ${all.map((s) => s?.lastCommitIndex).join('/')}`));
    }
    const stakesBefore = await stakes(manifest);
    const down = new Set<number>();
    load = startLoad(manifest, (n) => !down.has(n), createPrng(SEED ^ 0x5bd1e995));
    /** Kills one validator, restarts it, and waits until it is ready, caught up and proposing again. */
    const crashAndRecover = async (iteration: number, victim: number): Promise<string> => {
      const others = manifest.nodes.map((n) => n.index).filter((i) => i !== victim);
      const atKill = (await Promise.all(others.map(statusOf))).reduce((max, s) => (s !== undefined && BigInt(s.lastCommitIndex) > max ? BigInt(s.lastCommitIndex) : max), 0n);
      const killedMs = Date.now();
      down.add(victim);
      await devnet.stop(victim, 'SIGKILL');
      devnet.restart(victim);
      const deadline = Date.now() + ITERATION_TIMEOUT_MS;
      let caughtUp: Status | undefined;
      let last: Status | undefined;
      let ready = false;
      // Caught up: ready, and at least at the others' commit when it died. Then it must propose a
      // new round, so the next crash never leaves two validators out (f = 1).
      while (caughtUp === undefined || last === undefined || !proposedSince(caughtUp, last)) {
        if (Date.now() > deadline) {
          const what = caughtUp === undefined ? `ready and caught up to commit ${atKill}` : `proposing after round ${caughtUp.round}`;
          const otherStatus = await Promise.all(others.map(statusOf));
          const commits = otherStatus.map((s, i) => `v${others[i]} at ${s?.lastCommitIndex ?? 'no answer'}`).join(', ');
          const brief = (s: Status | undefined): string => {
            if (s === undefined) return 'no answer';
            const { epoch, round, highestRound, gcRound, lastDecidedRound, lastCommitIndex, queuedCommits, awaitingVerdicts, eventQueue, replayed, leaderTimeouts, pendingVertices, epochClosing, lastCertifiedSequence, connectedPeers, rejects } = s as Status & Record<string, unknown>;
            return JSON.stringify({ epoch, round, highestRound, gcRound, lastDecidedRound, lastCommitIndex, queuedCommits, awaitingVerdicts, eventQueue, replayed, leaderTimeouts, pendingVertices, epochClosing, lastCertifiedSequence, connectedPeers, rejects });
          };
          lines.push(...otherStatus.map((s, i) => `[status v${others[i]}] ${brief(s)}`));
          throw new Error(where(`iteration ${iteration}: v${victim} not ${what} within ${ITERATION_TIMEOUT_MS} ms (ready ${ready}, at commit ${last?.lastCommitIndex ?? 'no answer'}; ${commits})\nits status: ${JSON.stringify(last)}\nthe others: ${otherStatus.map((o, i) => `v${others[i]} ${brief(o)}`).join('\n')}\n${linesOf(victim, 30)}`));
        }
        await sleep(250);
        ready ||= (await fetch(`${manifest.nodes[victim]?.apiUrl}/readyz`).catch(() => undefined))?.status === 200;
        last = await statusOf(victim);
        if (caughtUp === undefined && ready && last !== undefined && BigInt(last.lastCommitIndex) >= atKill) caughtUp = last;
      }
      down.delete(victim);
      expect(devnet.unexpectedExits().size, where(`iteration ${iteration}: a node died on its own\n${lines.slice(-30).join('\n')}`)).toBe(0);
      return `#${iteration} v${victim}: commit ${atKill} at the kill, ${caughtUp.lastCommitIndex} caught up, ${Date.now() - killedMs} ms (ranges ${caughtUp.rangesAdopted})`;
    };
    const loopStartMs = Date.now();
    const restarts: string[] = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      if (Date.now() - loopStartMs > LOOP_BUDGET_MS) throw new Error(where(`the loop exceeded ${LOOP_BUDGET_MS} ms after ${iteration} crashes:\n${restarts.join('\n')}`));
      await sleep(KILL_DELAY_MIN_MS + rng.nextInt(KILL_DELAY_MAX_MS - KILL_DELAY_MIN_MS));
      restarts.push(await crashAndRecover(iteration, rng.nextInt(manifest.nodes.length)));
      if (process.env.KALDRIX_CRASH_VERBOSE !== undefined) console.info(restarts[restarts.length - 1]);
    }
    const loopMs = Date.now() - loopStartMs;

    const drained = await load.drain(90_000);
    expect(drained, where(`accepted transactions never confirmed (confirmed/sent per lane: ${load.unconfirmed()})`)).toBe(true);
    const all = await Promise.all(manifest.nodes.map((n) => statusOf(n.index)));
    console.info(`crash loop seed=${SEED}: ${ITERATIONS} crashes in ${loopMs} ms; load ${JSON.stringify({ ...load.counts, amount: String(load.counts.amount) })}; commits ${all.map((s) => s?.lastCommitIndex).join('/')}\n${restarts.join('\n')}`);

    await expectEveryTxEverywhere(manifest, load.sent, where);
    await expectSinkCredited(manifest, load.sink, load.counts.amount, where);
    const certifiedAtEnd = all.reduce((min, s) => (s !== undefined && BigInt(s.lastCertifiedSequence) < min ? BigInt(s.lastCertifiedSequence) : min), BigInt(all[0]?.lastCertifiedSequence ?? 0));
    await expectSameCheckpoints(manifest, certifiedAtEnd, where);
    expect(observer.conflicts, where('commit digests differ between nodes at the same index')).toEqual([]);
    // Each node was seen at some commit index another node was seen at too: the comparison bit.
    for (const [node, matches] of observer.crossMatches.entries()) expect(matches, where(`v${node} never met another node at one commit index`)).toBeGreaterThan(0);
    expect(observer.maxEvidence, where('evidence found (equivocation) on some node')).toEqual([0, 0, 0, 0]);
    expect(observer.maxConflictingVotes, where('checkpoint votes for another checkpoint')).toEqual([0, 0, 0, 0]);
    expect(await stakes(manifest), where('a validator lost stake (slashed)')).toEqual(stakesBefore);
    expect(devnet.unexpectedExits().size, where(lines.slice(-20).join('\n'))).toBe(0);
  }, LOOP_BUDGET_MS + 5 * 60_000);
});

/** Every validator's stake as each node's certified ledger has it (evidence slashes stake). */
async function stakes(manifest: DevnetManifest): Promise<string[][]> {
  return Promise.all(
    manifest.nodes.map(async (node) => {
      const answers = await Promise.all(manifest.nodes.map((v) => getJson<{ account: { stake: string } | null }>(`${node.apiUrl}/v1/accounts/${v.address}`)));
      return answers.map((a) => a?.account?.stake ?? 'no answer');
    }),
  );
}

/**
 * Each accepted transaction: committed and applied at one commit index on every node that still
 * indexes that commit. A node that restarted from a resume point indexes only what it executed
 * since — its horizon, which an unknown id's answer names (`indexedFromCommit`) — so a node whose
 * horizon lies above the commit that applied the transaction may not know it, or may know only a
 * later copy of it (gossip can put one transaction in two vertices; the second is refused as a
 * used nonce). The sink's balance (expectSinkCredited) checks the state itself on every node.
 */
async function expectEveryTxEverywhere(manifest: DevnetManifest, sent: ReadonlyMap<string, SentTx>, where: (s: string) => string): Promise<void> {
  const wrong: string[] = [];
  type TxAnswer = { status: string; commitIndex?: string; receipt?: { status: string }; indexedFromCommit?: string };
  const noSuchId = '00'.repeat(32);
  const horizons = await Promise.all(manifest.nodes.map(async (n) => BigInt((await getJson<TxAnswer>(`${n.apiUrl}/v1/transactions/${noSuchId}`))?.indexedFromCommit ?? '0')));
  await eachLimited([...sent.values()], LOOKUP_CONCURRENCY, async (tx) => {
    const answers = await Promise.all(manifest.nodes.map((n) => getJson<TxAnswer>(`${n.apiUrl}/v1/transactions/${tx.id}`)));
    const applied = answers.filter((a) => a?.status === 'committed' && a.receipt?.status === 'applied');
    // Applied where some node still indexes it; below every node's horizon (early transactions
    // once every node restarted) nobody does, and only the sink's balance speaks for it.
    const at = BigInt(applied[0]?.commitIndex ?? '1');
    const fine =
      applied.every((a) => a?.commitIndex === applied[0]?.commitIndex) &&
      answers.every((a, i) => (a?.status === 'committed' && a.receipt?.status === 'applied') || ((horizons[i] ?? 0n) > at && (a?.status === 'unknown' || a?.status === 'committed')));
    if (!fine && wrong.length < 10) {
      wrong.push(`${tx.id} (u${tx.lane} nonce ${tx.nonce}, sent to v${tx.node}, resent ${tx.resends}×): ${answers.map((a, i) => `v${i} ${a?.status ?? 'no answer'}@${a?.commitIndex ?? '-'} ${a?.receipt?.status ?? ''} (horizon ${horizons[i]})`).join(', ')}`);
    }
  });
  expect(sent.size, where('no transaction was accepted')).toBeGreaterThan(100);
  expect(wrong, where(`transactions not committed on every node (of ${sent.size})`)).toEqual([]);
}

/** The sink holds its genesis balance plus every amount sent, on every node (nothing lost, nothing twice). */
async function expectSinkCredited(manifest: DevnetManifest, sink: string, amount: bigint, where: (s: string) => string): Promise<void> {
  const expected = (1_000_000_000_000n + amount).toString();
  const deadline = Date.now() + 30_000;
  let balances: string[] = [];
  while (Date.now() < deadline) {
    const answers = await Promise.all(manifest.nodes.map((n) => getJson<{ account: { balance: string } | null }>(`${n.apiUrl}/v1/accounts/${sink}`)));
    balances = answers.map((a) => a?.account?.balance ?? 'no answer');
    if (balances.every((b) => b === expected)) return;
    await sleep(500);
  }
  expect(balances, where('the sink balance (certified) on each node')).toEqual(manifest.nodes.map(() => expected));
}

/** Every certified checkpoint a node holds, by sequence (the API pages newest first). */
async function checkpointsOf(apiUrl: string): Promise<Map<string, Checkpoint>> {
  const held = new Map<string, Checkpoint>();
  let before: string | null | undefined;
  // Bounded: 1,000 pages of 100 is far beyond any run of this test.
  for (let page = 0; page < 1_000 && before !== null; page++) {
    const answer = await getJson<{ checkpoints: Checkpoint[]; next: string | null }>(`${apiUrl}/v1/checkpoints?limit=100${before === undefined ? '' : `&before=${before}`}`);
    if (answer === undefined) throw new Error(`devnet: ${apiUrl} does not list its checkpoints`);
    for (const c of answer.checkpoints) held.set(c.sequence, c);
    before = answer.next;
  }
  return held;
}

/**
 * The nodes agree on every checkpoint certified on more than one of them, and all four hold a
 * common one certified after the loop (after the last restart): its commit digest chains every
 * commit before it, so their commit logs are equal, with no gap.
 */
async function expectSameCheckpoints(manifest: DevnetManifest, certifiedAtEnd: bigint, where: (s: string) => string): Promise<void> {
  const held = await Promise.all(manifest.nodes.map((n) => checkpointsOf(n.apiUrl)));
  const differing: string[] = [];
  const bySequence = new Map<string, Checkpoint>();
  for (const [node, map] of held.entries()) {
    for (const [sequence, c] of map) {
      const first = bySequence.get(sequence);
      if (first === undefined) bySequence.set(sequence, c);
      else if (first.hash !== c.hash || first.commitDigest !== c.commitDigest || first.stateRoot !== c.stateRoot) differing.push(`sequence ${sequence} on v${node}`);
    }
  }
  expect(differing.slice(0, 10), where('certified checkpoints differ between nodes')).toEqual([]);
  const common = [...bySequence.keys()].filter((s) => held.every((m) => m.has(s))).map(BigInt);
  const newest = [...bySequence.keys()].map(BigInt).reduce((a, b) => (a > b ? a : b), 0n);
  const gaps = held.map((m) => Number(newest) - m.size);
  console.info(`checkpoints: newest ${newest}, held per node ${held.map((m) => m.size).join('/')}, common ${common.length}, missing per node ${gaps.join('/')}`);
  const newestCommon = common.reduce((a, b) => (a > b ? a : b), 0n);
  expect(newestCommon, where(`no checkpoint certified after the loop (≥ ${certifiedAtEnd}) is held by all four nodes`)).toBeGreaterThanOrEqual(certifiedAtEnd);
}
