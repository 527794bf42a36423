/**
 * The small indexes a peer keeps beside its validator for the API and light clients, fed by
 * commits and certificates: transaction ids → the commit that executed them, ledgers of recent
 * commits (so account proofs are made against a CERTIFIED state root, the one a light client
 * holds), the end-of-epoch certificates (the light client's ratchet) and submission times (the
 * finality histogram).
 *
 * `startFrom` sets them to a starting point: at start, and again when state sync moves a running
 * node to a peer's point (the commits in between were never executed here, so the transaction
 * index starts over rather than answer "unknown" for them with an older horizon).
 */
import { encodeCertificate, type Certificate } from '../../core/consensus/certificate.ts';
import { isEndOfEpoch } from '../../core/consensus/checkpoint.ts';
import { toHex } from '../../core/crypto/index.ts';
import type { Ledger, Receipt } from '../../core/state/index.ts';
import type { CommittedOutput } from '../../core/validator/types.ts';
import type { ApiTransactionStatus } from './api/index.ts';
import type { LoadedResumePoint } from './resumePoints.ts';

/** Ledgers of recent commits kept until a certificate names one (immutable values share structure). */
const MAX_RECENT_LEDGERS = 256;

export type CertifiedLedger = { readonly ledger: Ledger; readonly commitIndex: bigint; readonly sequence: bigint };

export type ChainIndexes = {
  /** The node starts (again) from `point` (undefined: the genesis), holding these end-of-epoch certificates. */
  startFrom(point: LoadedResumePoint | undefined, epochCertificates: readonly Uint8Array[]): void;
  /** A transaction this node admitted (for its finality sample). */
  submitted(id: string, atMs: number): void;
  committed(output: CommittedOutput): void;
  /** Finality samples (seconds, submission → certificate) of the transactions the certificate covers. */
  certified(certificate: Certificate, nowMs: number): number[];
  committedLedger(): Ledger;
  certifiedLedger(): CertifiedLedger | undefined;
  epochCertificates(): readonly Uint8Array[];
  /** A committed or unknown answer (the caller asks the mempool first). */
  transaction(id: Uint8Array): Exclude<ApiTransactionStatus, { status: 'pending' }>;
};

/** Bounded insertion-ordered map: the oldest entry goes first. */
function bounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}

export function createChainIndexes(txIndexEntries: number, genesisLedger: Ledger): ChainIndexes {
  const txCommits = new Map<string, { commitIndex: bigint; receipt: Receipt }>();
  const submittedAt = new Map<string, number>();
  const awaitingCertificate: { commitIndex: bigint; ids: string[] }[] = [];
  const recentLedgers = new Map<bigint, Ledger>();
  const epochCertificates: Uint8Array[] = [];
  let committedLedger = genesisLedger;
  let certifiedLedger: CertifiedLedger | undefined;
  /** The first commit executed here since the last start point. */
  let firstExecuted = 1n;

  return {
    startFrom(point, stored) {
      const ledger = point?.point.ledger ?? genesisLedger;
      committedLedger = ledger;
      certifiedLedger = point === undefined ? undefined : { ledger, commitIndex: point.point.certificate.checkpoint.lastCommitIndex, sequence: point.point.certificate.checkpoint.sequence };
      firstExecuted = (point?.point.certificate.checkpoint.lastCommitIndex ?? 0n) + 1n;
      txCommits.clear();
      recentLedgers.clear();
      awaitingCertificate.length = 0;
      epochCertificates.length = 0;
      epochCertificates.push(...stored);
    },
    submitted: (id, atMs) => bounded(submittedAt, id, atMs, txIndexEntries),
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
          bounded(txCommits, id, { commitIndex: output.commitIndex, receipt }, txIndexEntries);
        }
        if (submittedAt.has(id)) ids.push(id);
      }
      awaitingCertificate.push({ commitIndex: output.commitIndex, ids });
      if (awaitingCertificate.length > MAX_RECENT_LEDGERS) awaitingCertificate.shift();
    },
    certified(certificate, nowMs) {
      const finality: number[] = [];
      while (awaitingCertificate.length > 0 && (awaitingCertificate[0] as { commitIndex: bigint }).commitIndex <= certificate.checkpoint.lastCommitIndex) {
        for (const id of (awaitingCertificate.shift() as { ids: string[] }).ids) {
          const at = submittedAt.get(id);
          if (at !== undefined) finality.push((nowMs - at) / 1000);
          submittedAt.delete(id);
        }
      }
      const ledger = recentLedgers.get(certificate.checkpoint.lastCommitIndex);
      if (ledger !== undefined) certifiedLedger = { ledger, commitIndex: certificate.checkpoint.lastCommitIndex, sequence: certificate.checkpoint.sequence };
      if (isEndOfEpoch(certificate.checkpoint)) epochCertificates.push(encodeCertificate(certificate));
      return finality;
    },
    committedLedger: () => committedLedger,
    certifiedLedger: () => certifiedLedger,
    epochCertificates: () => epochCertificates,
    transaction(id) {
      const committed = txCommits.get(toHex(id));
      if (committed !== undefined) return { status: 'committed', commitIndex: committed.commitIndex, receipt: committed.receipt };
      // The horizon: the oldest commit still indexed (the map keeps insertion order), else the first executed here.
      const [oldest] = txCommits.values();
      return { status: 'unknown', indexedFromCommit: oldest === undefined || oldest.commitIndex < firstExecuted ? firstExecuted : oldest.commitIndex };
    },
  };
}
