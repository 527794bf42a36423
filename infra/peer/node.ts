/**
 * A running full peer: genesis, key, store, verify pool, libp2p network, the validator runtime,
 * the HTTP API and its metrics, assembled from a `PeerConfig` and torn down in reverse order.
 *
 * DESIGN.md §3 Full node. Start-up failures a person can fix (unreadable genesis, a genesis of
 * another chain, a bad key file, a locked data directory, a port in use) are typed values with a
 * message naming the file or setting; anything thrown is a bug. The validator's commits and
 * certificates feed the small indexes the API and light clients read (_chainIndexes.ts).
 *
 * The runtime can be replaced while the node runs: a node that falls behind every peer's commit
 * log takes a peer's checked resume point (_resyncWhileRunning.ts), and a new runtime starts
 * from it; everything that answers peers and clients asks for the live one.
 */
import { readFile } from 'node:fs/promises';
import packageJson from '../../package.json' with { type: 'json' };
import { decodeCertificate, encodeCertificate, type Certificate } from '../../core/consensus/certificate.ts';
import { createCommittee, type Committee } from '../../core/consensus/committee.ts';
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
import { genesisHash, getAccount, ledgerFromGenesis, parseGenesis, proveAccount } from '../../core/state/index.ts';
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
import { loadResumePoint, type LoadedResumePoint } from './resumePoints.ts';
import { createResumeServing } from './resumeServing.ts';
import type { SyncedPoint } from './stateSync.ts';
import { adoptPeerPoint, syncAtStart } from './_syncAtStart.ts';
import { createChainIndexes } from './_chainIndexes.ts';
import { watchForResync } from './_resyncWhileRunning.ts';
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
  /** The live runtime (a new one after state sync while running). */
  readonly runtime: PeerRuntime;
  /** Resolves when the peer stops on its own (a fatal error); `stop()` resolves it too. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
};

const fail = (code: PeerStartError['code'], message: string): Result<never, PeerStartError> => err({ code, message });

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
  // Indexes fed by commits and certificates; set to the start point once it is known (after state sync).
  const indexes = createChainIndexes(config.api.txIndexEntries, genesisLedger);
  // The mempool checks nonces against the newest committed state.
  const accounts = { account: (address: Uint8Array) => getAccount(indexes.committedLedger(), address) ?? undefined };
  const mempool = createMempool(
    { verifier: verifyPool, accounts },
    { chainId: genesis.chainId, maxPerSender: config.dag.mempoolMaxPerSender, minFeePerByte: BigInt(config.dag.mempoolMinFeePerByte), replaceBumpPercent: config.dag.mempoolReplaceBumpPercent },
  );
  const metrics = createPeerMetrics();

  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  /** Set once the stored commits are replayed (or the replay gave up: peers' ranges take over). */
  let replayed = false;
  /** Set once the runtime exists: the network's handlers are created before it. */
  const current: { runtime: PeerRuntime | undefined } = { runtime: undefined };
  const currentCommittee = (): Committee => current.runtime?.committee() ?? committee;

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
    // Both sides number seats by the current epoch's committee (members join and leave between epochs).
    ...(signer !== undefined ? { validatorSeat: { index: () => seatOf(currentCommittee(), selfAddress), signer } } : {}),
    validatorKeys: () => currentCommittee().members.map((m) => ({ index: m.index, publicKey: m.key })),
    requests: {
      vertexBytes: (ref) => current.runtime?.validator.vertexBytes(ref),
      latestOwnVertex: () => current.runtime?.validator.latestOwnVertex(),
      commitRange: (fromIndex, epoch) => current.runtime?.validator.commitRange(fromIndex, epoch),
      latestCertificate: () => {
        const latest = current.runtime?.latestCertificate();
        if (latest === undefined) return undefined;
        return encodeCertificate(lyingToLightClients ? forgeNewerCertificate(latest) : latest);
      },
      epochCertificates: (fromEpoch, max) => indexes.epochCertificates().slice(Number(fromEpoch), Number(fromEpoch) + max),
      // The light client's wire form (core/light): the certified root it is against, the address, the account, the proof.
      accountProof: (address) => {
        const certified = indexes.certifiedLedger();
        return certified === undefined ? undefined : encodeAccountProofMessage(certified.ledger.tree.root(), address, proveAccount(certified.ledger, address));
      },
      ...createResumeServing(store, () => current.runtime?.validator.commitLogFrom()),
    },
    inbound: {
      vertex: (bytes, from) => current.runtime?.receiveVertex(bytes, from),
      // Admitted (signature checked) before gossip relays it further: net/gossip.ts.
      transaction: async (bytes, from) => {
        const runtime = current.runtime;
        if (runtime === undefined) return NOT_READY_VERDICT;
        const result = await runtime.submitTransaction(bytes, from);
        if (result.ok) indexes.submitted(toHex(result.value.id), Date.now());
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
  let resume = await syncAtStart({ network, store, trust, own, minPeers: config.network.bootstrap.length === 0 ? 0 : config.network.minPeers, log });
  indexes.startFrom(resume, await store.epochCertificatesFrom(0n, 100_000));

  const makeRuntime = (from: LoadedResumePoint | undefined): PeerRuntime => createPeerRuntime({
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
    snapshots: { store, resume: from, intervalCommits: config.storage.snapshotIntervalCommits, keepCertificates: config.storage.keepCertificates },
    observer: {
      committed(output) {
        indexes.committed(output);
        metrics.onCommitted(output.receipts.length, []);
      },
      certified(certificate: Certificate, nowMs) {
        const finality = indexes.certified(certificate, nowMs);
        if (finality.length > 0) metrics.observeFinality(finality);
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

  let live = makeRuntime(resume);
  const resync = watchForResync({
    network,
    trust,
    // Nothing to compare while no runtime is open (before the first opens, during a swap).
    localCommit: () => {
      const executed = current.runtime?.validator.status().lastCommitIndex;
      const held = store.lastCommitIndex() ?? 0n;
      return executed === undefined ? undefined : held > executed ? held : executed;
    },
    swap: swapTo,
    log,
  });

  /** State sync while running: the stalled runtime halts, the checked point becomes the node's own, a new runtime starts from it. */
  async function swapTo(synced: SyncedPoint): Promise<void> {
    const old = live;
    current.runtime = undefined;
    await old.halt();
    try {
      await adoptPeerPoint(store, synced);
    } catch (e) {
      // The old runtime is gone and the store refused the point (a full disk): stop loudly.
      log(`fatal: state sync while running could not store the point: ${(e as Error).message}`);
      void stop();
      return;
    }
    resume = synced.loaded;
    indexes.startFrom(resume, await store.epochCertificatesFrom(0n, 100_000));
    // Pooled transactions the point already executed are stale now.
    mempool.onCommitted(accounts, []);
    live = makeRuntime(resume);
    try {
      await live.open();
    } catch (e) {
      // No validator runs any more: a node that only looks alive is worse than one that stops.
      log(`fatal: the validator could not start from the synced point: ${(e as Error).message}`);
      void stop();
      return;
    }
    current.runtime = live;
    await live.replay();
  }

  const backend: ApiBackend = {
    readiness: () => ({
      started: replayed,
      connectedPeers: network.stats().connectedPeers,
      minPeers: config.network.minPeers,
      caughtUp: !live.validator.status().recovering && live.queueLength() < 1000,
    }),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.render() }),
    status: () => ({
      ...live.validator.status(),
      chainId: genesis.chainId,
      peerId: network.peerId,
      multiaddrs: network.multiaddrs(),
      version: packageJson.version,
      connectedPeers: network.stats().connectedPeers,
      mempoolTransactions: mempool.size,
      eventQueue: live.queueLength(),
      replayed,
      resumedFromSequence: resume?.point.certificate.checkpoint.sequence ?? 0n,
      // A point taken from a peer (at start or while running) is never the own one.
      resumedFromPeer: resume !== undefined && resume !== own,
      stateSyncsWhileRunning: resync.count(),
      resumePointSequence: live.newestResumePoint()?.sequence ?? 0n,
      storedCommitFloor: store.commitFloor(),
      commitLogFrom: live.validator.commitLogFrom() ?? 0n,
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
    vertices: async (round, author) => live.validator.slotVertices(round, author),
    submitTransaction: async (bytes) => {
      const result = await live.submitTransaction(bytes, 'api');
      if (!result.ok) return result;
      indexes.submitted(toHex(result.value.id), Date.now());
      return ok(result.value.id);
    },
    transaction: async (id) => {
      if (mempool.has(id)) return { status: 'pending' };
      return indexes.transaction(id);
    },
    account: async (address) => {
      const at = indexes.certifiedLedger() ?? { ledger: live.validator.ledger(), commitIndex: live.validator.status().lastCommitIndex, sequence: undefined };
      const { account, proof } = proveAccount(at.ledger, address);
      return { account: account ?? null, proof: encodeStateProof(proof), stateRoot: at.ledger.tree.root(), commitIndex: at.commitIndex, certifiedSequence: at.sequence };
    },
    validators: () => live.committee(),
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
      resync.stop();
      await live.halt();
      await api.close().catch(() => undefined);
      await network.stop().catch(() => undefined);
      await verifyPool.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      resolveStopped();
    })();
    return stopping;
  };

  try {
    await live.open();
    // Only now do peers' vertices and requests reach it: the network has been up since state sync.
    current.runtime = live;
    await api.listen({ host: config.api.listen.host, port: config.api.listen.port });
  } catch (e) {
    await stop();
    return fail('LISTEN_FAILED', (e as Error).message);
  }
  // The API answers during the replay of stored commits (/readyz says 503 until it is done).
  const replayStartMs = Date.now();
  void live.replay().then(() => {
    replayed = true;
    const commits = live.validator.status().lastCommitIndex;
    if (commits > 0n) log(`replayed the stored commits${resume === undefined ? '' : ' after the resume point'}: now at commit ${commits}, in ${((Date.now() - replayStartMs) / 1000).toFixed(1)} s`);
  }, (e: unknown) => {
    replayed = true;
    log(`replay of the stored commits failed (catching up from peers instead): ${(e as Error).message}`);
  });
  const address = api.server.address();
  const apiUrl = typeof address === 'object' && address !== null ? `http://${config.api.listen.host}:${address.port}` : `http://${config.api.listen.host}:${config.api.listen.port}`;
  const seatNow = keys === undefined ? undefined : seatOf(currentCommittee(), selfAddress);
  log(`peer ${network.peerId} ${seatNow === undefined ? 'following (no seat)' : `validator seat ${seatNow}`}; API ${apiUrl}; listening ${network.multiaddrs().join(' ')}`);
  return ok({
    peerId: network.peerId,
    multiaddrs: () => network.multiaddrs(),
    apiUrl,
    get runtime() {
      return live;
    },
    stopped,
    stop,
  });
}
