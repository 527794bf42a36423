/**
 * A running full peer: genesis, key, store, verify pool, libp2p network, the validator runtime,
 * the HTTP API and its metrics, assembled from a `PeerConfig` and torn down in reverse order.
 *
 * DESIGN.md §3 Full node. Start-up failures a person can fix (unreadable genesis, a genesis of
 * another chain, a bad key file, a locked data directory, a port in use) are typed values with a
 * message naming the file or setting; anything thrown is a bug. The validator's commits and
 * certificates feed three small indexes the API and light clients read: transaction ids →
 * commit, ledgers of recent commits (so account proofs are made against a CERTIFIED state root,
 * the one a light client holds), and end-of-epoch certificates (the light client's ratchet).
 */
import { readFile } from 'node:fs/promises';
import packageJson from '../../package.json' with { type: 'json' };
import { decodeCertificate, encodeCertificate, type Certificate } from '../../core/consensus/certificate.ts';
import { isEndOfEpoch } from '../../core/consensus/checkpoint.ts';
import { createCommittee } from '../../core/consensus/committee.ts';
import { epochLeaderSeed } from '../../core/consensus/leaderSchedule.ts';
import {
  addressFromPublicKey,
  encodeAddress,
  schemeInfo,
  toHex,
  type KeyPair,
  type Signer,
} from '../../core/crypto/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { createFastSigner } from '../node/liboqsSigner.ts';
import { encodeAccountProofMessage } from '../../core/light/index.ts';
import { encodeStateProof } from '../../core/state/smt/index.ts';
import { genesisHash, getAccount, ledgerFromGenesis, parseGenesis, proveAccount, type Ledger, type Receipt } from '../../core/state/index.ts';
import { createMempool } from '../../core/state/mempool/index.ts';
import { createNodeVerifyPool } from '../node/verifyWorkers.ts';
import { createApiServer, type ApiBackend } from './api/index.ts';
import { validatorBounds, type PeerConfig } from './config/index.ts';
import { createPeerMetrics } from './metrics.ts';
import { createPeerNetwork } from './net/index.ts';
import { seatOf } from '../../core/validator/index.ts';
import { createPeerRuntime, STORED_CERTIFICATE_MAX_BYTES, type PeerRuntime } from './runtime.ts';
import { NOT_READY_VERDICT, relayVerdict } from './relayVerdict.ts';
import { loadValidatorKey } from './_keyFile.ts';
import { loadResumePoint } from './resumePoints.ts';
import { createResumeServing } from './resumeServing.ts';
import { syncAtStart } from './_syncAtStart.ts';
import { openPeerStore } from './store/index.ts';
import { FORGED_CERTIFICATE_ADDRESS_ENV, forgeNewerCertificate } from './testing/forgedCertificate.ts';

export type PeerStartError =
  | { readonly code: 'GENESIS_UNREADABLE' | 'GENESIS_INVALID' | 'WRONG_CHAIN' | 'KEY_UNREADABLE' | 'KEY_INVALID' | 'STORE' | 'LISTEN_FAILED'; readonly message: string };

export type StartPeerOptions = {
  readonly config: PeerConfig;
  /** The data directory was lost: learn the last own round from peers before proposing. */
  readonly recoverFromPeers?: boolean;
  /** Passphrase of an encrypted validator key file (plaintext devnet keys need none). */
  readonly passphrase?: string;
  /** One line per notable event (start, fatal errors); default silent. */
  readonly log?: (line: string) => void;
  /** TEST ONLY: the validator with this address (text form) serves forged light-client certificates (testing/forgedCertificate.ts). */
  readonly testForgedCertificateAddress?: string;
};

export type RunningPeer = {
  readonly peerId: string;
  multiaddrs(): readonly string[];
  readonly apiUrl: string;
  readonly runtime: PeerRuntime;
  /** Resolves when the peer stops on its own (a fatal error); `stop()` resolves it too. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
};

/** Ledgers of recent commits kept until a certificate names one (immutable values share structure). */
const MAX_RECENT_LEDGERS = 256;

const fail = (code: PeerStartError['code'], message: string): Result<never, PeerStartError> => err({ code, message });

/** Bounded insertion-ordered map: the oldest entry goes first. */
function bounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}

export async function startPeerNode(options: StartPeerOptions): Promise<Result<RunningPeer, PeerStartError>> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  let genesisText: string;
  try {
    genesisText = await readFile(config.genesisPath, 'utf8');
  } catch (e) {
    return fail('GENESIS_UNREADABLE', `${config.genesisPath}: ${(e as Error).message}`);
  }
  const parsed = parseGenesis(genesisText);
  if (!parsed.ok) return fail('GENESIS_INVALID', `${config.genesisPath}: ${parsed.error.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const genesis = parsed.value;
  if (genesis.chainId !== config.chainId) return fail('WRONG_CHAIN', `${config.genesisPath} is for chain ${genesis.chainId}, this node runs ${config.chainId}`);

  let keys: KeyPair | undefined;
  if (config.crypto.validatorKeyPath !== undefined) {
    const loaded = await loadValidatorKey(config.crypto.validatorKeyPath, options.passphrase);
    if (!loaded.ok) return fail(loaded.error.code, loaded.error.message);
    keys = loaded.value;
  }
  const committee = createCommittee(0n, genesis.validators);
  const hash = genesisHash(genesis);
  const selfAddress = keys === undefined ? new Uint8Array(33) : addressFromPublicKey(schemeInfo(keys.scheme).tag, keys.publicKey);
  const selfIndex = keys === undefined ? undefined : seatOf(committee, selfAddress);
  const lyingToLightClients = keys !== undefined && encodeAddress(selfAddress) === options.testForgedCertificateAddress;
  if (lyingToLightClients) log(`TEST MODE: this validator serves FORGED light-client certificates (${FORGED_CERTIFICATE_ADDRESS_ENV})`);
  // liboqs signing (hedged) for ML-DSA keys: a validator signs every round on its event loop.
  const signer: Signer | undefined = keys === undefined ? undefined : await createFastSigner(keys);

  const opened = await openPeerStore(config.storage.dataDir);
  if (!opened.ok) return fail('STORE', opened.error.code === 'LOCKED' ? `${opened.error.dir} is in use by another kaldrix process` : `${opened.error.dir}: ${opened.error.code}`);
  const store = opened.value;

  const verifyPool = createNodeVerifyPool({ backend: config.crypto.backend, ...(config.crypto.verifyWorkers > 0 ? { workers: config.crypto.verifyWorkers } : {}), cacheEntries: config.crypto.verifyCacheEntries });
  const genesisLedger = ledgerFromGenesis(genesis);
  const trust = { chainId: genesis.chainId, genesisCommittee: committee, verifier: verifyPool };
  // Set once the start point is known (after state sync): the mempool checks nonces against it.
  let committedLedger: Ledger = genesisLedger;
  const mempool = createMempool(
    { verifier: verifyPool, accounts: { account: (address) => getAccount(committedLedger, address) ?? undefined } },
    { chainId: genesis.chainId, maxPerSender: config.dag.mempoolMaxPerSender, minFeePerByte: BigInt(config.dag.mempoolMinFeePerByte), replaceBumpPercent: config.dag.mempoolReplaceBumpPercent },
  );
  const metrics = createPeerMetrics();

  // Indexes fed by commits and certificates.
  const txCommits = new Map<string, { commitIndex: bigint; receipt: Receipt }>();
  const submittedAt = new Map<string, number>();
  const awaitingCertificate: { commitIndex: bigint; ids: string[] }[] = [];
  const recentLedgers = new Map<bigint, Ledger>();
  let certifiedLedger: { ledger: Ledger; commitIndex: bigint; sequence: bigint } | undefined;
  const epochCertificates: Uint8Array[] = [];

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  /** Set once the stored commits are replayed (or the replay gave up: peers' ranges take over). */
  let replayed = false;
  /** Set once the runtime exists: the network's handlers are created before it. */
  const current: { runtime?: PeerRuntime } = {};

  const network = await createPeerNetwork({
    chainId: genesis.chainId,
    dataDir: config.storage.dataDir,
    listen: config.network.listen,
    announce: config.network.announce,
    bootstrap: config.network.bootstrap,
    minPeers: config.network.minPeers,
    // What an operator must see: bans and their reasons, failed PQ links, our own errors.
    onEvent: (event) => {
      if (event.type === 'penalized') log(`peer ${event.peer} penalized (${event.reason}; score ${event.score})`);
      else if (event.type === 'banned') log(`peer ${event.peer} banned`);
      else if (event.type === 'gossip-invalid') log(`peer ${event.peer} relayed an invalid transaction (${event.reason}); the batch was not relayed`);
      else if (event.type === 'pq-link-failed') log(`PQ link with ${event.peer} failed: ${event.reject.code}`);
      else if (event.type === 'error') log(`network: ${event.what}: ${event.message}`);
    },
    maxConnections: config.network.maxConnections,
    ...(selfIndex !== undefined && signer !== undefined ? { validatorSeat: { index: selfIndex, signer } } : {}),
    validatorKeys: () => (current.runtime?.committee() ?? committee).members.map((m) => ({ index: m.index, publicKey: m.key })),
    requests: {
      vertexBytes: (ref) => current.runtime?.validator.vertexBytes(ref),
      latestOwnVertex: () => current.runtime?.validator.latestOwnVertex(),
      commitRange: (fromIndex, epoch) => current.runtime?.validator.commitRange(fromIndex, epoch),
      latestCertificate: () => {
        const latest = current.runtime?.latestCertificate();
        if (latest === undefined) return undefined;
        return encodeCertificate(lyingToLightClients ? forgeNewerCertificate(latest) : latest);
      },
      epochCertificates: (fromEpoch, max) => epochCertificates.slice(Number(fromEpoch), Number(fromEpoch) + max),
      // The light client's wire form (core/light): the certified root it is against, the address, the account, the proof.
      accountProof: (address) =>
        certifiedLedger === undefined ? undefined : encodeAccountProofMessage(certifiedLedger.ledger.tree.root(), address, proveAccount(certifiedLedger.ledger, address)),
      ...createResumeServing(store, () => current.runtime?.validator.commitLogFrom()),
    },
    inbound: {
      vertex: (bytes, from) => current.runtime?.receiveVertex(bytes, from),
      // Admitted (signature checked) before gossip relays it further: net/gossip.ts.
      transaction: async (bytes, from) => {
        const runtime = current.runtime;
        if (runtime === undefined) return NOT_READY_VERDICT;
        const result = await runtime.submitTransaction(bytes, from);
        if (result.ok) bounded(submittedAt, toHex(result.value.id), Date.now(), config.api.txIndexEntries);
        return relayVerdict(result);
      },
    },
  }).catch((e: unknown) => e as Error);
  if (network instanceof Error) {
    await verifyPool.close();
    await store.close();
    return fail('LISTEN_FAILED', network.message);
  }
  // Peers first: a node further behind than their commit logs starts from one's resume point.
  const listening = await network.start().then(() => undefined, (e: unknown) => e as Error);
  if (listening !== undefined) {
    await Promise.all([network.stop().catch(() => undefined), verifyPool.close()]);
    await store.close();
    return fail('LISTEN_FAILED', listening.message);
  }
  // The newest own resume point that checks out, unless a peer's is needed (_syncAtStart.ts).
  const own = await loadResumePoint(store, trust, (sequence, reason) => log(`resume point at checkpoint ${sequence} skipped: ${reason}`));
  const resume = await syncAtStart({ network, store, trust, own, minPeers: config.network.bootstrap.length === 0 ? 0 : config.network.minPeers, log });
  if (resume !== undefined) {
    committedLedger = resume.point.ledger;
    certifiedLedger = { ledger: resume.point.ledger, commitIndex: resume.point.certificate.checkpoint.lastCommitIndex, sequence: resume.point.certificate.checkpoint.sequence };
  }
  epochCertificates.push(...(await store.epochCertificatesFrom(0n, 100_000)));

  const theRuntime = createPeerRuntime({
    committee,
    ledger: genesisLedger,
    params: genesis.params,
    genesisHash: hash,
    genesisTimeMs: genesis.genesisTimeMs,
    leaderSeed: epochLeaderSeed(0n, hash),
    selfIndex,
    selfAddress,
    signer,
    mempool,
    verifyPool,
    store,
    network,
    ...(options.recoverFromPeers === true ? { recoverFromPeers: true } : {}),
    validatorBounds: validatorBounds(config),
    snapshots: { store, resume, intervalCommits: config.storage.snapshotIntervalCommits, keepCertificates: config.storage.keepCertificates },
    observer: {
      committed(output) {
        committedLedger = output.ledger;
        bounded(recentLedgers, output.commitIndex, output.ledger, MAX_RECENT_LEDGERS);
        const ids: string[] = [];
        for (const receipt of output.receipts) {
          const id = toHex(receipt.id);
          // Several validators may carry one gossiped transaction: the execution that applied it
          // is the one that counts; copies refused after it (NONCE_MISMATCH) must not hide it, and
          // one refused before it (it ran ahead of an earlier nonce) must not stand for it.
          const known = txCommits.get(id);
          if (known === undefined || (known.receipt.status !== 'applied' && receipt.status === 'applied')) {
            bounded(txCommits, id, { commitIndex: output.commitIndex, receipt }, config.api.txIndexEntries);
          }
          if (submittedAt.has(id)) ids.push(id);
        }
        awaitingCertificate.push({ commitIndex: output.commitIndex, ids });
        if (awaitingCertificate.length > MAX_RECENT_LEDGERS) awaitingCertificate.shift();
        metrics.onCommitted(output.receipts.length, []);
      },
      certified(certificate: Certificate, nowMs) {
        const finality: number[] = [];
        while (awaitingCertificate.length > 0 && (awaitingCertificate[0] as { commitIndex: bigint }).commitIndex <= certificate.checkpoint.lastCommitIndex) {
          for (const id of (awaitingCertificate.shift() as { ids: string[] }).ids) {
            const at = submittedAt.get(id);
            if (at !== undefined) finality.push((nowMs - at) / 1000);
            submittedAt.delete(id);
          }
        }
        if (finality.length > 0) metrics.observeFinality(finality);
        const ledger = recentLedgers.get(certificate.checkpoint.lastCommitIndex);
        if (ledger !== undefined) certifiedLedger = { ledger, commitIndex: certificate.checkpoint.lastCommitIndex, sequence: certificate.checkpoint.sequence };
        if (isEndOfEpoch(certificate.checkpoint)) epochCertificates.push(encodeCertificate(certificate));
      },
      skipped: () => metrics.onViewChange(),
      verified: (items) => metrics.addVerified(items),
      proposed: (round) => metrics.setRound(round),
      fatal(error) {
        log(`fatal: ${(error as Error).stack ?? String(error)}`);
        void stop();
      },
      replayRefused: (reason) => log(`the stored commits were refused on replay (${reason}); catching up from peers`),
      snapshotWritten: (w) =>
        log(`resume point written at checkpoint ${w.sequence} (commit ${w.commitIndex}, ${(w.bytes / 1024).toFixed(0)} KiB, ${w.elapsedMs} ms); pruned ${w.prunedCommits} commits, ${w.prunedCertificates} certificates`),
      snapshotFailed: (error) => log(`writing a resume point failed (the next certificate tries again): ${(error as Error).message}`),
    },
  });

  const backend: ApiBackend = {
    readiness: () => ({
      started: replayed,
      connectedPeers: network.stats().connectedPeers,
      minPeers: config.network.minPeers,
      caughtUp: !theRuntime.validator.status().recovering && theRuntime.queueLength() < 1000,
    }),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.render() }),
    status: () => ({
      ...theRuntime.validator.status(),
      chainId: genesis.chainId,
      peerId: network.peerId,
      multiaddrs: network.multiaddrs(),
      version: packageJson.version,
      connectedPeers: network.stats().connectedPeers,
      mempoolTransactions: mempool.size,
      eventQueue: theRuntime.queueLength(),
      replayed,
      resumedFromSequence: resume?.point.certificate.checkpoint.sequence ?? 0n,
      resumedFromPeer: resume !== undefined && resume !== own,
      resumePointSequence: theRuntime.newestResumePoint()?.sequence ?? 0n,
      storedCommitFloor: store.commitFloor(),
      commitLogFrom: theRuntime.validator.commitLogFrom() ?? 0n,
    }),
    certificatesBefore: (before, limit) => store.certificatesBefore(before, limit),
    certificate: async (sequence) => {
      // Exactly that sequence (an older checkpoint is not an answer), within u64.
      if (sequence < 1n || sequence >= 1n << 64n) return undefined;
      const [bytes] = await store.certificatesFrom(sequence, 1);
      if (bytes === undefined) return undefined;
      const decoded = decodeCertificate(bytes, STORED_CERTIFICATE_MAX_BYTES);
      return decoded.ok && decoded.value.checkpoint.sequence === sequence ? bytes : undefined;
    },
    vertices: async (round, author) => theRuntime.validator.slotVertices(round, author),
    submitTransaction: async (bytes) => {
      const result = await theRuntime.submitTransaction(bytes, 'api');
      if (!result.ok) return result;
      bounded(submittedAt, toHex(result.value.id), Date.now(), config.api.txIndexEntries);
      return ok(result.value.id);
    },
    transaction: async (id) => {
      if (mempool.has(id)) return { status: 'pending' };
      const committed = txCommits.get(toHex(id));
      if (committed !== undefined) return { status: 'committed', commitIndex: committed.commitIndex, receipt: committed.receipt };
      // The horizon: the oldest commit still indexed (the map keeps insertion order), else the first executed here.
      const [oldest] = txCommits.values();
      const firstExecuted = (resume?.point.certificate.checkpoint.lastCommitIndex ?? 0n) + 1n;
      return { status: 'unknown', indexedFromCommit: oldest === undefined || oldest.commitIndex < firstExecuted ? firstExecuted : oldest.commitIndex };
    },
    account: async (address) => {
      const at = certifiedLedger ?? { ledger: theRuntime.validator.ledger(), commitIndex: theRuntime.validator.status().lastCommitIndex, sequence: undefined };
      const { account, proof } = proveAccount(at.ledger, address);
      return { account: account ?? null, proof: encodeStateProof(proof), stateRoot: at.ledger.tree.root(), commitIndex: at.commitIndex, certifiedSequence: at.sequence };
    },
    validators: () => theRuntime.committee(),
  };
  const api = createApiServer(backend, { bodyLimitBytes: config.api.bodyLimitBytes, corsOrigins: config.api.corsOrigins, maxPageItems: config.api.maxPageItems });

  let lastBytes = { sent: 0, received: 0 };
  const sampler = setInterval(() => {
    const stats = network.stats();
    metrics.setPeers(stats.connectedPeers);
    metrics.setMempool(mempool.size);
    metrics.addBytes(Math.max(0, stats.bytesSent - lastBytes.sent), Math.max(0, stats.bytesReceived - lastBytes.received));
    lastBytes = { sent: stats.bytesSent, received: stats.bytesReceived };
  }, 1000);
  sampler.unref();

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(sampler);
      theRuntime.stop();
      await theRuntime.snapshotsIdle();
      await api.close().catch(() => undefined);
      await network.stop().catch(() => undefined);
      await verifyPool.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      resolveStopped();
    })();
    return stopping;
  };

  try {
    await theRuntime.open();
    // Only now do peers' vertices and requests reach it: the network has been up since state sync.
    current.runtime = theRuntime;
    await api.listen({ host: config.api.listen.host, port: config.api.listen.port });
  } catch (e) {
    await stop();
    return fail('LISTEN_FAILED', (e as Error).message);
  }
  // The API answers during the replay of stored commits (/readyz says 503 until it is done).
  const replayStartMs = Date.now();
  void theRuntime.replay().then(() => {
    replayed = true;
    const commits = theRuntime.validator.status().lastCommitIndex;
    if (commits > 0n) log(`replayed the stored commits${resume === undefined ? '' : ' after the resume point'}: now at commit ${commits}, in ${((Date.now() - replayStartMs) / 1000).toFixed(1)} s`);
  }, (e: unknown) => {
    replayed = true;
    log(`replay of the stored commits failed (catching up from peers instead): ${(e as Error).message}`);
  });
  const address = api.server.address();
  const apiUrl = typeof address === 'object' && address !== null ? `http://${config.api.listen.host}:${address.port}` : `http://${config.api.listen.host}:${config.api.listen.port}`;
  log(`peer ${network.peerId} ${selfIndex === undefined ? 'following (no seat)' : `validator seat ${selfIndex}`}; API ${apiUrl}; listening ${network.multiaddrs().join(' ')}`);
  return ok({ peerId: network.peerId, multiaddrs: () => network.multiaddrs(), apiUrl, runtime: theRuntime, stopped, stop });
}
