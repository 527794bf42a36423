/**
 * The light-client session's mutable state, shared by its parts (`_certificates.ts` admits
 * what peers serve, `_account.ts` answers account queries, `_session.ts` runs the whole).
 * One session per connect; the worker owns it. The verified part (`light`) only ever moves
 * through core/light's transitions, one at a time (`serial`), so two peers answering at once
 * can never both build on the same old state.
 */
import type { Certificate, Committee } from '../../core/consensus/index.ts';
import type { LightEvidence, EvidenceReport, LightState, LightVerifier, VerificationReceipt } from '../../core/light/index.ts';
import type { ForgedRecord } from './_describe.ts';
import { markBanned, type PeerEntry } from './_peers.ts';
import type { LightTransport } from './_transport.ts';
import { MAX_ALARMS, type Alarm } from './protocol.ts';

export type Clock = { nowMs(): number };

/** The head as this session knows it: its receipt and, when it was verified this session, what proved it. */
export type HeadInfo = {
  readonly receipt: VerificationReceipt;
  /** The certificate and who served it (kept for conflict evidence); undefined for a head loaded from storage. */
  readonly served: { readonly peer: string; readonly certificate: Certificate } | undefined;
  /** The committee that signed the head's certificate (for an end-of-epoch head, not the one trusted now). */
  readonly certifyingCommittee: Committee;
};

export type EvidenceRecord =
  | { readonly kind: 'forged'; readonly record: ForgedRecord }
  | { readonly kind: 'conflict'; readonly evidence: LightEvidence; readonly report: EvidenceReport }
  /** A conflict seen against a head loaded from storage: its certificate is gone, so there is nothing to export. */
  | { readonly kind: 'conflict-unprovable' };

export type SessionContext = {
  readonly transport: LightTransport;
  readonly verifier: LightVerifier;
  readonly clock: Clock;
  readonly changed: () => void;
  light: LightState;
  head: HeadInfo | undefined;
  readonly peers: PeerEntry[];
  readonly alarms: Alarm[];
  evidence: EvidenceRecord | undefined;
  epochSync: { done: number; total: number };
  /** The verified state moved since it was last stored. */
  dirty: boolean;
  /** Set by `close`: late answers are dropped. */
  closed: boolean;
  serial<T>(task: () => Promise<T>): Promise<T>;
};

/** Runs tasks one after another (a promise chain; a failed task does not stop the next). */
export function createSerial(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function raiseAlarm(ctx: SessionContext, alarm: Omit<Alarm, 'atMs'>): void {
  ctx.alarms.push(Object.freeze({ ...alarm, peers: Object.freeze([...alarm.peers]), atMs: ctx.clock.nowMs() }));
  if (ctx.alarms.length > MAX_ALARMS) ctx.alarms.splice(0, ctx.alarms.length - MAX_ALARMS);
  ctx.changed();
}

/** Bans `peer` for the session and drops its connection (it is never dialled again). */
export function ban(ctx: SessionContext, peer: PeerEntry, reason: string): void {
  markBanned(peer, reason);
  void ctx.transport.hangUp(peer.peerId);
  ctx.changed();
}
