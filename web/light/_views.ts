/**
 * What the pages see of the verified head: plain frozen values that cross the worker boundary
 * by structured clone (bigint and Uint8Array included), each with its receipt.
 */
import { encodeAddress } from '../../core/crypto/index.ts';
import type { LightState } from '../../core/light/index.ts';
import type { HeadInfo } from './_context.ts';
import type { VerifiedHead } from './protocol.ts';

export function headView(light: LightState, head: HeadInfo): VerifiedHead {
  const trusted = light.head;
  if (trusted === undefined) throw new Error('headView: the light state has no head');
  const { checkpoint } = trusted;
  const committee = head.certifyingCommittee;
  return Object.freeze({
    chainId: light.chainId,
    epoch: checkpoint.epoch,
    sequence: checkpoint.sequence,
    lastCommitIndex: checkpoint.lastCommitIndex,
    checkpointHash: trusted.hash,
    stateRoot: checkpoint.stateRoot,
    committee: Object.freeze(committee.members.map((m) => Object.freeze({ address: m.address, addressText: encodeAddress(m.address), stake: m.stake, scheme: m.key.scheme }))),
    committeeEpoch: committee.epoch,
    receipt: head.receipt,
  });
}
