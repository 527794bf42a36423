/**
 * Executing one committed leader's sub-DAG against the ledger, with signature verdicts only.
 *
 * DESIGN.md §2 Ledger ("order first, execute second"); docs/protocol.md "The validator".
 * Order of execution within a commit: the transactions of its vertices in linearized order
 * (each vertex's list in its own order), then the evidence entries of its vertices in the same
 * order (`applyEvidence`). A transaction that does not decode is skipped (no receipt): the
 * vertex author signed those bytes, every node sees the same ones, so the skip is common.
 *
 * Signatures: execution runs in `'verify'` mode with a verdict lookup. A missing verdict is
 * recorded and answered optimistically; when any was missing, the result is thrown away and
 * the caller asks the verify pool for the missing items, then runs this again. The run that
 * counts therefore used real verdicts for exactly the keys execution chose, so every node
 * reaches the same receipts whatever it had guessed at receipt time. Each retry adds at least
 * one verdict and the items a commit can ask for are finite, so the loop ends.
 */
import type { VerifyItem } from '../crypto/index.ts';
import type { SignedVertex } from '../dag/index.ts';
import { applyEvidence, decodeSignedTx, executeBlock, MAX_BLOCK_TXS, type EvidenceOutcome, type Ledger, type ProtocolParams, type Receipt, type SignedTx } from '../state/index.ts';
import type { Verdicts } from './_verdicts.ts';

export type ExecutionDone = {
  readonly status: 'done';
  readonly ledger: Ledger;
  readonly receipts: readonly Receipt[];
  readonly evidence: readonly EvidenceOutcome[];
  /** Transactions that did not decode (skipped without a receipt). */
  readonly undecodable: number;
};

export type ExecutionOutcome = ExecutionDone | { readonly status: 'needs-verdicts'; readonly items: readonly VerifyItem[] };

/** Transactions and evidence of `vertices`, in execution order. */
export function commitPayload(vertices: readonly SignedVertex[], params: ProtocolParams): { txs: SignedTx[]; evidence: Uint8Array[]; undecodable: number } {
  const txs: SignedTx[] = [];
  const evidence: Uint8Array[] = [];
  let undecodable = 0;
  for (const signed of vertices) {
    for (const bytes of signed.vertex.transactions) {
      const tx = decodeSignedTx(bytes, params);
      if (tx.ok) txs.push(tx.value);
      else undecodable++;
    }
    evidence.push(...signed.vertex.evidence);
  }
  return { txs, evidence, undecodable };
}

export function executeCommit(ledger: Ledger, vertices: readonly SignedVertex[], params: ProtocolParams, verdicts: Verdicts): ExecutionOutcome {
  const { txs, evidence, undecodable } = commitPayload(vertices, params);
  const missing: VerifyItem[] = [];
  const verifyItem = (item: VerifyItem): boolean => {
    const verdict = verdicts.get(item);
    if (verdict !== undefined) return verdict;
    missing.push(item);
    return true;
  };
  const ctx = { params, txSignatures: 'verify', verifyItem } as const;
  let current = ledger;
  const receipts: Receipt[] = [];
  // One executeBlock is one tree batch; a huge commit is cut into several, in order.
  for (let start = 0; start < txs.length; start += MAX_BLOCK_TXS) {
    const block = executeBlock(current, txs.slice(start, start + MAX_BLOCK_TXS), ctx);
    current = block.ledger;
    receipts.push(...block.receipts);
  }
  const applied = applyEvidence(current, evidence, ctx);
  if (missing.length > 0) return Object.freeze({ status: 'needs-verdicts', items: Object.freeze(missing) });
  return Object.freeze({ status: 'done', ledger: applied.ledger, receipts: Object.freeze(receipts), evidence: applied.outcomes, undecodable });
}
