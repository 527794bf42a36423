/**
 * The engine's event stream (sim/run SimEvent) as the DAG view's events (web/dag types.ts).
 * Pure. Faults, violations and verdicts are not DAG events: they return undefined.
 * The engine reports no epoch (runs stay in epoch 0) and no signature on a proposal; every
 * simulated vertex is signed with ML-DSA-44 (real or modeled at its real size), so that is
 * what the details panel shows.
 */
import type { SimEvent } from '../../sim/run/index.ts';
import type { CryptoMode } from '../../sim/scenario/index.ts';
import type { DagEvent, SignatureInfo } from '../dag/types.ts';

/** FIPS 204 Table 2: an ML-DSA-44 signature is 2,420 bytes. */
const ML_DSA_44_SIGNATURE_BYTES = 2_420;

export function signatureInfoOf(crypto: CryptoMode): SignatureInfo {
  return { scheme: crypto === 'real' ? 'ML-DSA-44' : 'ML-DSA-44 (modeled)', bytes: ML_DSA_44_SIGNATURE_BYTES };
}

const EVIDENCE_ROUND = /^round (\d+)$/;

export function toDagEvent(event: SimEvent, signature: SignatureInfo): DagEvent | undefined {
  switch (event.type) {
    case 'vertexProposed':
      return {
        type: 'vertexProposed', timeMs: event.time, epoch: 0, author: event.author, round: event.round, digest: event.digest,
        parents: event.parents, transactions: event.txs, bytes: event.bytes, signature,
      };
    case 'vertexAccepted':
      return { type: 'vertexAccepted', timeMs: event.time, by: event.by, ref: event.ref };
    case 'committed':
      return { type: 'committed', timeMs: event.time, by: event.by, index: event.index, leader: event.leader, ...(event.how === 'direct' || event.how === 'indirect' ? { how: event.how } : {}) };
    case 'skipped':
      return { type: 'skipped', timeMs: event.time, by: event.by, round: event.round, leader: event.leader };
    case 'certified':
      return { type: 'certified', timeMs: event.time, by: event.by, sequence: event.sequence, lastCommitIndex: event.lastCommitIndex };
    case 'evidence': {
      const round = EVIDENCE_ROUND.exec(event.slot);
      return round === null || event.offender < 0 ? undefined : { type: 'evidence', timeMs: event.time, by: event.by, offender: event.offender, round: Number(round[1]) };
    }
    default:
      return undefined;
  }
}
