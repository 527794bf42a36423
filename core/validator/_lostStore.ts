/**
 * Restart safety after a lost store (DESIGN.md §2 "Restart safety"; docs/protocol.md "Restart"):
 * a validator that cannot know what it signed before asks its peers for their latest own
 * vertices and proposes only above the highest round a quorum of other members vouch for.
 *
 * Why that is enough: every own vertex signed before the loss had parents from a quorum; that
 * quorum and the answering one share an honest member, whose latest round is at least the lost
 * vertex's round − 1. Proposing above highest + 1 can therefore never re-sign a slot.
 *
 * An answer counts only when it came from its author itself (`fromMember`: the seat the peer
 * proved in its PQ handshake), is of the current epoch, and its signature verifies: a vertex
 * relayed by another peer may be an old one. The question is asked again every leader timeout
 * until answered, and again about each new epoch the validator switches to meanwhile.
 */
import { memberStake, stakeOf } from '../consensus/committee.ts';
import { vertexVerifyItem } from '../dag/index.ts';
import type { ProtocolParams } from '../state/index.ts';
import type { SignJob, VerifyJob } from './_commits.ts';
import type { EpochContext } from './_epoch.ts';
import type { Jobs } from './_jobs.ts';
import { decodeReceived } from './_receive.ts';
import type { ValidatorEffect, ValidatorLogger } from './types.ts';

export type LostStoreDeps = {
  readonly params: ProtocolParams;
  readonly jobs: Jobs<VerifyJob, SignJob>;
  readonly epoch: () => EpochContext;
  readonly logger: ValidatorLogger | undefined;
  /** Whether the store was lost: otherwise there is nothing to recover and this stays idle. */
  readonly lost: boolean;
};

export type LostStoreRecovery = {
  /** True until a quorum of other members answered: the validator must not propose meanwhile. */
  recovering(): boolean;
  /** Asks peers for their latest own vertices, and again after a leader timeout (`latest/<epoch>/<t>`). */
  ask(nowMs: number, out: ValidatorEffect[]): void;
  /** A peer's latest own vertex (the caller hands it to the DAG too): its signature is checked before it counts. */
  offer(bytes: Uint8Array, fromMember: number | undefined, out: ValidatorEffect[]): void;
  /** The verdict on an offered vertex: the round to propose above once a quorum answered, else undefined. */
  verified(job: Extract<VerifyJob, { kind: 'latest' }>, valid: boolean): number | undefined;
  /** A new epoch: the same question about it, asked at the end of the step (`settle`). */
  epochSwitched(): void;
  settle(nowMs: number, out: ValidatorEffect[]): void;
  /** The `latest` timer of epoch `epochText` fired: true when it asked again (still recovering, same epoch). */
  timerFired(epochText: string | undefined, nowMs: number, out: ValidatorEffect[]): boolean;
};

type Recovery = { readonly credited: Map<number, number>; highestRound: number; askPending: boolean };

export function createLostStoreRecovery(deps: LostStoreDeps): LostStoreRecovery {
  let recovery: Recovery | undefined = deps.lost ? { credited: new Map(), highestRound: 0, askPending: false } : undefined;

  const ask = (nowMs: number, out: ValidatorEffect[]): void => {
    out.push(Object.freeze({ type: 'requestLatestVertices' }));
    out.push(Object.freeze({ type: 'setTimer', timerId: `latest/${deps.epoch().committee.epoch}/${nowMs}`, atMs: nowMs + deps.params.leaderTimeoutMs }));
  };

  return Object.freeze({
    recovering: () => recovery !== undefined,
    ask,
    offer(bytes: Uint8Array, fromMember: number | undefined, out: ValidatorEffect[]): void {
      if (recovery === undefined) return;
      const decoded = decodeReceived(bytes);
      if (!decoded.ok) return;
      const { vertex } = decoded.value;
      const { committee, self } = deps.epoch();
      const member = committee.members[vertex.author];
      // Credited only from the author itself: a vertex relayed by another peer may be an old one.
      if (vertex.chainId !== deps.params.chainId || vertex.epoch !== committee.epoch || member === undefined || vertex.author !== fromMember) return;
      if (vertex.author === self || member.key.scheme !== decoded.value.signature.scheme) return;
      deps.jobs.verify([vertexVerifyItem(decoded.value, member.key)], { kind: 'latest', epoch: vertex.epoch, author: vertex.author, round: vertex.round }, out);
    },
    verified(job: Extract<VerifyJob, { kind: 'latest' }>, valid: boolean): number | undefined {
      const { committee, self } = deps.epoch();
      if (recovery === undefined || !valid || job.epoch !== committee.epoch) return undefined;
      recovery.credited.set(job.author, Math.max(job.round, recovery.credited.get(job.author) ?? 0));
      recovery.highestRound = Math.max(recovery.highestRound, job.round);
      const ownStake = self === undefined ? 0n : memberStake(committee, self);
      const needed = committee.quorumStake < committee.totalStake - ownStake ? committee.quorumStake : committee.totalStake - ownStake;
      if (stakeOf(committee, recovery.credited.keys()) < needed) return undefined;
      const above = recovery.highestRound + 1;
      deps.logger?.debug('recovered after a lost store', { epoch: String(committee.epoch), resumeAbove: above });
      recovery = undefined;
      return above;
    },
    epochSwitched(): void {
      if (recovery !== undefined) recovery = { credited: new Map(), highestRound: 0, askPending: true };
    },
    settle(nowMs: number, out: ValidatorEffect[]): void {
      if (recovery?.askPending !== true) return;
      recovery.askPending = false;
      ask(nowMs, out);
    },
    timerFired(epochText: string | undefined, nowMs: number, out: ValidatorEffect[]): boolean {
      if (recovery === undefined || epochText !== String(deps.epoch().committee.epoch)) return false;
      ask(nowMs, out);
      return true;
    },
  });
}
