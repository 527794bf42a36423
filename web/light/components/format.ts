/**
 * Display helpers shared by the light client, explorer and wallet pages: short forms of hashes
 * and peer ids (the full value stays in a title and a copy button), bigints with digit groups,
 * and the words a person reads for a receipt's proof kind and an alarm's kind.
 */
import { toHex } from '../../../core/crypto/index.ts';
import type { ProofChecked } from '../../../core/light/index.ts';
import type { Alarm } from '../protocol.ts';

/** `a1b2c3d4…e5f6a7b8`: enough of a 64-digit hash to compare by eye. */
export function shortHex(bytes: Uint8Array, edgeChars = 8): string {
  const hex = toHex(bytes);
  return hex.length <= 2 * edgeChars + 1 ? hex : `${hex.slice(0, edgeChars)}…${hex.slice(-edgeChars)}`;
}

/** `12D3KooW…Xy9zAb`: libp2p peer ids share their first characters, so the tail matters more. */
export function shortPeerId(peerId: string): string {
  return peerId.length <= 18 ? peerId : `${peerId.slice(0, 8)}…${peerId.slice(-6)}`;
}

/** `1,234,567` — base units with digit groups, exact for any u64. */
export function formatUnits(units: bigint): string {
  return units.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const PROOF_WORDS: Readonly<Record<ProofChecked, string>> = Object.freeze({
  certificate: 'certificate signatures (quorum of stake)',
  'certificate-cached': 'certificate (verified earlier, cached)',
  'account-inclusion': 'Merkle inclusion proof against the certified state root',
  'account-exclusion': 'Merkle exclusion proof against the certified state root',
});

export const ALARM_WORDS: Readonly<Record<Alarm['kind'], string>> = Object.freeze({
  'forged-certificate': 'forged certificate',
  conflict: 'conflicting certified checkpoints',
});
