/**
 * State sync: a node further behind than any peer's commit log starts from a peer's resume
 * point instead of waiting for ranges nobody can give it (docs/protocol.md "State sync").
 *
 * At start the node asks its connected peers for their offers (`/kaldrix/sync/resume-offer/1`):
 * how far back each one's commit log serves certified ranges, and its newest resume point. If
 * most of them say their log reaches back to the node's next commit, ranges will do and nothing
 * is fetched. Else
 * the newest offered point beyond the node's own commit is fetched piece by piece
 * (`/kaldrix/sync/resume-piece/1`) and trusted only as far as it checks out, exactly as a point
 * read from the own disk (resumePoints.ts `checkResumePoint`): the record decodes and names the
 * offered checkpoint, its certificate verifies against the committee of its epoch — the genesis
 * committee, or one handed over by a chain of end-of-epoch certificates, each verified against
 * the committee before it — and the state rebuilds the certified state root. The state is
 * fetched only after the certificate verified, so a forged offer costs one record, not a
 * ledger. A peer whose point fails is penalized and the next offer is tried.
 *
 * Pieces are asked PIECE_WINDOW at a time (a link's round trip is paid once per window, not per
 * piece; below the server's cap of requests in flight), and a piece without an answer is asked
 * again after a growing pause: a server sheds load by refusing requests beyond its rate limit
 * (32 a second sustained), and a large state is many more pieces than its burst allows.
 *
 * Pure of libp2p: `ask` carries one request (the network's sealed request-response), so the
 * same code is tested against a real store's answers in-process (stateSync.test.ts) and over
 * real connections (devnet.process.test.ts).
 */
import { decodeCertificate } from '../../core/consensus/certificate.ts';
import { nextCommitteeOf } from '../../core/consensus/certificateChain.ts';
import { verifyCertificate } from '../../core/consensus/certificateVerify.ts';
import { isEndOfEpoch } from '../../core/consensus/checkpoint.ts';
import type { Committee } from '../../core/consensus/committee.ts';
import {
  MAX_CERTIFICATE_BYTES,
  MAX_EPOCH_CERTIFICATES_PER_REQUEST,
  epochCertificatesRequestCodec,
  epochCertificatesResponseCodec,
  resumeOfferRequestCodec,
  resumeOfferResponseCodec,
  resumePieceRequestCodec,
  resumePieceResponseCodec,
  type ResumeOffer,
} from '../../core/net/protocols.ts';
import { concatBytes } from '@noble/hashes/utils.js';
import { STATE_SNAPSHOT_MAX_BYTES } from '../../core/state/stateSnapshotFormat.ts';
import { MAX_RESUME_POINT_BYTES } from '../../core/validator/resumePoint.ts';
import type { NetPeerId } from './contracts.ts';
import { checkResumePoint, type LoadedResumePoint, type ResumeTrust } from './resumePoints.ts';

/** One request to one peer; undefined when it got no usable answer (the network penalizes frame and seal faults itself). */
export type SyncAsk = (peer: NetPeerId, name: 'resumeOffer' | 'resumePiece' | 'epochCertificates', body: Uint8Array) => Promise<Uint8Array | undefined>;

export type StateSyncInit = {
  /** Connected peers to ask, best first. */
  readonly peers: readonly NetPeerId[];
  readonly ask: SyncAsk;
  readonly penalize: (peer: NetPeerId, reason: string) => void;
  readonly trust: ResumeTrust;
  /** The last commit this node can start from by itself (its resume point or its stored commits; 0 with neither). */
  readonly localCommit: bigint;
  /** Progress lines for the operator (offers, pieces, the verdict). */
  readonly progress?: (line: string) => void;
  /** The pause before asking again for a piece that got no answer, doubled each time; default PIECE_RETRY_FIRST_MS. */
  readonly pieceRetryMs?: number;
  /**
   * Whether `peer` is still connected. A piece that got no answer from a peer that went away is
   * not asked again (six attempts would cost each their wait): the next offer is taken. Default:
   * always connected.
   */
  readonly connected?: (peer: NetPeerId) => boolean;
};

/** What fetching a point's pieces needs of the node (the bench's transfer figure uses it too). */
export type PieceFetchInit = Pick<StateSyncInit, 'ask' | 'penalize' | 'pieceRetryMs' | 'connected'>;

/** Piece requests in flight to one peer (a server refuses more than 8 from one peer). */
const PIECE_WINDOW = 4;
/** Times one piece is asked for before the point is given up. */
const PIECE_ATTEMPTS = 6;
/** The first pause before asking again: 0.25 + 0.5 + 1 + 2 + 4 s in all, past any rate limit's refill. */
const PIECE_RETRY_FIRST_MS = 250;

/** What the node takes from a peer: the checked point, and the bytes to store it as its own. */
export type SyncedPoint = {
  readonly peer: NetPeerId;
  readonly loaded: LoadedResumePoint;
  readonly record: Uint8Array;
  readonly statePieces: readonly Uint8Array[];
  /** End-of-epoch certificates from epoch 0 up to the point's epoch, as verified. */
  readonly epochCertificates: readonly Uint8Array[];
};

export type StateSyncOutcome =
  | { readonly kind: 'not-needed'; readonly reason: string }
  | { readonly kind: 'synced'; readonly point: SyncedPoint }
  | { readonly kind: 'failed'; readonly reasons: readonly string[] };

/** The penalty reason for a peer whose offered point does not check out (hygiene.ts weighs it). */
export const BAD_RESUME_POINT = 'bad-resume-point';

type Offered = { readonly peer: NetPeerId; readonly offer: ResumeOffer };

export async function syncFromPeers(init: StateSyncInit): Promise<StateSyncOutcome> {
  const progress = init.progress ?? (() => undefined);
  const offers = await collectOffers(init);
  if (offers.length === 0) return { kind: 'not-needed', reason: 'no peer answered with an offer' };
  const next = init.localCommit + 1n;
  // A claim, not a proof: a majority of the answers must make it, so one lying peer cannot keep a
  // node from syncing (wrongly believed, it would wait for ranges nobody sends). Wrongly doubted,
  // it costs only a download.
  const serving = offers.filter(({ offer }) => offer.commitLogFrom !== undefined && offer.commitLogFrom <= next);
  if (2 * serving.length > offers.length) {
    return { kind: 'not-needed', reason: `${serving.length} of ${offers.length} peers serve ranges from commit ${next} (${serving.map((s) => s.peer).join(', ')})` };
  }
  const candidates = offers
    .filter(({ offer }) => offer.point !== undefined && offer.point.lastCommitIndex > init.localCommit)
    .sort((a, b) => newestFirst(a.offer.point?.lastCommitIndex ?? 0n, b.offer.point?.lastCommitIndex ?? 0n));
  if (candidates.length === 0) return { kind: 'not-needed', reason: `no peer serves commit ${next} or holds a resume point beyond it` };
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const point = candidate.offer.point as NonNullable<ResumeOffer['point']>;
    progress(`state sync: fetching the resume point of checkpoint ${point.sequence} (commit ${point.lastCommitIndex}) from ${candidate.peer}: ${point.statePieces} state pieces`);
    const result = await fetchPoint(init, candidate, progress);
    if (result.kind === 'synced') return result;
    reasons.push(`${candidate.peer}: ${result.reason}`);
    progress(`state sync: the point from ${candidate.peer} was not used: ${result.reason}`);
    if (result.blame) init.penalize(candidate.peer, BAD_RESUME_POINT);
  }
  return { kind: 'failed', reasons };
}

async function collectOffers(init: StateSyncInit): Promise<Offered[]> {
  const body = resumeOfferRequestCodec.encode({});
  const answers = await Promise.all(
    init.peers.map(async (peer) => {
      const bytes = await init.ask(peer, 'resumeOffer', body);
      if (bytes === undefined) return undefined;
      const offer = resumeOfferResponseCodec.decode(bytes);
      if (!offer.ok) {
        init.penalize(peer, 'malformed-response');
        return undefined;
      }
      return { peer, offer: offer.value };
    }),
  );
  return answers.filter((a): a is Offered => a !== undefined);
}

type Fetched = { readonly kind: 'synced'; readonly point: SyncedPoint } | { readonly kind: 'refused'; readonly reason: string; readonly blame: boolean };

async function fetchPoint(init: StateSyncInit, { peer, offer }: Offered, progress: (line: string) => void): Promise<Fetched> {
  const point = offer.point as NonNullable<ResumeOffer['point']>;
  const record = await fetchResumePart(init, peer, point.sequence, 'record', point.recordPieces, MAX_RESUME_POINT_BYTES);
  if (typeof record === 'string') return { kind: 'refused', reason: `record: ${record}`, blame: false };
  const chain = await committeeChain(init, peer, point.epoch);
  if (typeof chain === 'string') return { kind: 'refused', reason: chain, blame: true };
  const recordBytes = concatBytes(...record);
  let statePieces: Uint8Array[] = [];
  let stateMissing: string | undefined;
  const checked = await checkResumePoint(
    {
      sequence: point.sequence,
      record: recordBytes,
      readState: async () => {
        const state = await fetchResumePart(init, peer, point.sequence, 'state', point.statePieces, STATE_SNAPSHOT_MAX_BYTES, progress);
        if (typeof state === 'string') {
          stateMissing = state;
          return new Uint8Array(0);
        }
        statePieces = state;
        return concatBytes(...state);
      },
    },
    async (epoch) => (epoch === chain.committee.epoch ? chain.committee : `the offered point is of epoch ${epoch}, the offer said ${point.epoch}`),
    init.trust,
  );
  if (stateMissing !== undefined) return { kind: 'refused', reason: `state: ${stateMissing}`, blame: false };
  if (typeof checked === 'string') return { kind: 'refused', reason: checked, blame: true };
  if (checked.point.certificate.checkpoint.lastCommitIndex !== point.lastCommitIndex) {
    return { kind: 'refused', reason: `the point ends at commit ${checked.point.certificate.checkpoint.lastCommitIndex}, the offer said ${point.lastCommitIndex}`, blame: true };
  }
  progress(`state sync: checkpoint ${point.sequence} from ${peer} verified (certificate and state root); starting from commit ${point.lastCommitIndex}`);
  return { kind: 'synced', point: Object.freeze({ peer, loaded: checked, record: recordBytes, statePieces, epochCertificates: chain.certificates }) };
}

/** The pieces of one part of a peer's point, in order; a string when one is missing or the part outgrows `maxBytes`. */
export async function fetchResumePart(
  init: PieceFetchInit,
  peer: NetPeerId,
  sequence: bigint,
  part: 'record' | 'state',
  count: number,
  maxBytes: number,
  progress?: (line: string) => void,
): Promise<Uint8Array[] | string> {
  const pieces: Uint8Array[] = new Array<Uint8Array>(count);
  let total = 0;
  let done = 0;
  let reported = 0;
  let next = 0;
  let failure: string | undefined;
  // PIECE_WINDOW lanes take the next index until all are fetched or one fails.
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const index = next++;
      const piece = await fetchPiece(init, peer, sequence, part, index, count);
      if (failure !== undefined) return;
      if (typeof piece === 'string') {
        failure = piece;
        return;
      }
      total += piece.length;
      if (total > maxBytes) {
        failure = `more than ${maxBytes} bytes`;
        return;
      }
      pieces[index] = piece;
      done++;
      // About ten lines for a large state, none for a small one.
      if (progress !== undefined && count >= 20 && done * 10 >= (reported + 1) * count) {
        reported++;
        progress(`state sync: ${done}/${count} state pieces (${(total / 1024 / 1024).toFixed(1)} MiB) from ${peer}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PIECE_WINDOW, count) }, lane));
  return failure ?? pieces;
}

/** One piece, asked again after growing pauses while it gets no answer; a string when it cannot be had. */
async function fetchPiece(init: PieceFetchInit, peer: NetPeerId, sequence: bigint, part: 'record' | 'state', index: number, count: number): Promise<Uint8Array | string> {
  const body = resumePieceRequestCodec.encode({ sequence, part, index });
  let pauseMs = init.pieceRetryMs ?? PIECE_RETRY_FIRST_MS;
  for (let attempt = 1; ; attempt++) {
    const bytes = await init.ask(peer, 'resumePiece', body);
    if (bytes !== undefined) {
      const piece = resumePieceResponseCodec.decode(bytes);
      if (!piece.ok) {
        init.penalize(peer, 'malformed-response');
        return `piece ${index} does not decode (${piece.error.code})`;
      }
      return piece.value ?? `the peer no longer holds piece ${index} (a newer point replaced it)`;
    }
    if (init.connected?.(peer) === false) return `piece ${index} of ${count} got no answer: the peer went away`;
    if (attempt >= PIECE_ATTEMPTS) return `piece ${index} of ${count} got no answer (asked ${PIECE_ATTEMPTS} times)`;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs *= 2;
  }
}

/**
 * The committee of `epoch`: the genesis committee ratcheted through the peer's end-of-epoch
 * certificates, each verified against the committee before it; a string when the chain is
 * missing or does not verify (the peer's fault: it offered a point of that epoch).
 */
async function committeeChain(init: StateSyncInit, peer: NetPeerId, epoch: bigint): Promise<{ committee: Committee; certificates: Uint8Array[] } | string> {
  let committee = init.trust.genesisCommittee;
  const certificates: Uint8Array[] = [];
  while (committee.epoch < epoch) {
    const max = Number(epoch - committee.epoch < BigInt(MAX_EPOCH_CERTIFICATES_PER_REQUEST) ? epoch - committee.epoch : BigInt(MAX_EPOCH_CERTIFICATES_PER_REQUEST));
    const bytes = await init.ask(peer, 'epochCertificates', epochCertificatesRequestCodec.encode({ fromEpoch: committee.epoch, max }));
    const answer = bytes === undefined ? undefined : epochCertificatesResponseCodec.decode(bytes);
    if (answer === undefined || !answer.ok || answer.value.length === 0) return `no end-of-epoch certificate for epoch ${committee.epoch} from the peer that offered a point of epoch ${epoch}`;
    for (const encoded of answer.value) {
      if (committee.epoch >= epoch) break;
      const certificate = decodeCertificate(encoded, MAX_CERTIFICATE_BYTES);
      if (!certificate.ok) return `the end-of-epoch certificate for epoch ${committee.epoch} does not decode (${certificate.error.code})`;
      const { checkpoint } = certificate.value;
      if (checkpoint.epoch !== committee.epoch || !isEndOfEpoch(checkpoint)) return `the certificate given for the end of epoch ${committee.epoch} is checkpoint ${checkpoint.sequence} of epoch ${checkpoint.epoch}`;
      const verified = await verifyCertificate(certificate.value, { chainId: init.trust.chainId, committee }, init.trust.verifier);
      if (!verified.ok) return `the end-of-epoch certificate for epoch ${committee.epoch} does not verify (${verified.error.code})`;
      const next = nextCommitteeOf(certificate.value);
      if (next === undefined) return `the end-of-epoch certificate for epoch ${committee.epoch} hands over no committee`;
      certificates.push(encoded);
      committee = next;
    }
  }
  return { committee, certificates };
}

const newestFirst = (a: bigint, b: bigint): number => (a > b ? -1 : a < b ? 1 : 0);
