/**
 * Whether a transaction a peer relayed may travel on, from what the mempool made of it
 * (net/gossip.ts waits for this before relaying a batch).
 *
 * `reject` only for refusals the transaction earns on its own bytes (every honest node reaches
 * the same one, so the relayer should have refused it too) and for a forged signature. Every
 * refusal that depends on this node's state or load — a nonce already used, a full pool, a fee
 * floor, a key not on record yet — is `ignore`: the relayer may have seen another state, and
 * penalizing it would ban honest peers under load. The table is exhaustive over the reject
 * codes, so a new code needs a decision here before the code compiles.
 */
import type { AdmitResult, MempoolRejectCode } from '../../core/state/mempool/index.ts';
import type { RelayVerdict } from './contracts.ts';

const INVALID_ON_ITS_OWN: Readonly<Record<MempoolRejectCode, boolean>> = Object.freeze({
  // Stateless: the bytes and the protocol parameters decide (core/state/txReject.ts).
  MALFORMED: true,
  TOO_LARGE: true,
  BAD_PUBLIC_KEY: true,
  BAD_SIGNATURE_ENCODING: true,
  WRONG_CHAIN: true,
  ADDRESS_MISMATCH: true,
  ZERO_AMOUNT: true,
  SELF_TRANSFER: true,
  AMOUNT_OVERFLOW: true,
  NONCE_OVERFLOW: true,
  POSSESSION_SCHEME_MISMATCH: true,
  INVALID_EVIDENCE: true,
  // A signature that does not verify. Against a key on record it could in principle be a race
  // with a key rotation the relayer has not executed yet; the penalty's weight allows for that.
  BAD_SIGNATURE: true,
  // State-aware: the sender's account as this node sees it.
  PUBLIC_KEY_REQUIRED: false,
  PUBLIC_KEY_UNEXPECTED: false,
  SIGNATURE_SCHEME_MISMATCH: false,
  SENDER_KEY_UNKNOWN: false,
  SENDER_KEY_CHANGED: false,
  NONCE_TOO_LOW: false,
  INSUFFICIENT_BALANCE: false,
  // This node's pool and load.
  UNENCODABLE: false,
  DUPLICATE: false,
  ADMISSION_IN_PROGRESS: false,
  SENDER_LIMIT: false,
  REPLACEMENT_UNDERPRICED: false,
  FEE_TOO_LOW: false,
  VERIFIER_UNAVAILABLE: false,
});

const ACCEPT: RelayVerdict = Object.freeze({ kind: 'accept' });
const IGNORE: RelayVerdict = Object.freeze({ kind: 'ignore' });

export function relayVerdict(result: AdmitResult): RelayVerdict {
  if (result.ok) return ACCEPT;
  const code = result.error.code;
  return INVALID_ON_ITS_OWN[code] ? Object.freeze({ kind: 'reject', reason: code }) : IGNORE;
}

/** The verdict while the node has no runtime yet (starting): nothing was checked, nothing is relayed. */
export const NOT_READY_VERDICT = IGNORE;
