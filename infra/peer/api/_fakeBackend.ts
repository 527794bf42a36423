/**
 * A test double of the runtime for the API tests: an `ApiBackend` over fixed, real data
 * (certificates and vertices encoded by core's codecs, a real committee), recording what the
 * server asked. The real wiring is covered by the peer's end-to-end tests.
 */
import { encodeCertificate, signerBitmapOf } from '../../../core/consensus/index.ts';
import { sampleCheckpoint } from '../../../core/consensus/test/certificateFixtures.ts';
import { addressFromPublicKey, type Hash32, toHex } from '../../../core/crypto/index.ts';
import { encodeSignedVertex } from '../../../core/dag/index.ts';
import { FAKE_SIGNATURE, fakeSigned, makeCommittee, vertex } from '../../../core/dag/test/fixtures.ts';
import { err, ok } from '../../../core/result.ts';
import type { Account } from '../../../core/state/index.ts';
import type { ApiBackend, ApiReadiness, ApiTransactionStatus } from './backend.ts';

export const { committee } = makeCommittee(4);

/** Certificates 1..5 (5 ends epoch 0), encoded; fake signatures: the API decodes, it does not verify. */
export const certificates: ReadonlyMap<bigint, Uint8Array> = new Map(
  [1n, 2n, 3n, 4n, 5n].map((sequence) => {
    const checkpoint = sampleCheckpoint({
      sequence,
      lastCommitIndex: sequence * 10n,
      ...(sequence === 5n ? { nextCommittee: committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake })) } : {}),
    });
    return [sequence, encodeCertificate({ checkpoint, signers: signerBitmapOf(4, [0, 1, 3]), signatures: [FAKE_SIGNATURE, FAKE_SIGNATURE, FAKE_SIGNATURE] })];
  }),
);

/** Round 7, author 2 equivocated: two vertices for one slot. */
export const vertexBytes = [
  encodeSignedVertex(fakeSigned(vertex({ round: 7, author: 2, timestampMs: 1000 }))),
  encodeSignedVertex(fakeSigned(vertex({ round: 7, author: 2, timestampMs: 2000 }))),
];

export const knownAccount: Account = { balance: (1n << 63n) + 5n, nonce: 3n, stake: 0n, unbonding: [], key: committee.members[0]?.key };
export const knownAddress = addressFromPublicKey(1, committee.members[0]?.key.publicKey ?? new Uint8Array(1));
export const PENDING_ID: Hash32 = new Uint8Array(32).fill(0xaa);
export const COMMITTED_ID: Hash32 = new Uint8Array(32).fill(0xbb);
/** Submitting these bytes is refused as a duplicate; anything else is admitted with id 0xcc…. */
export const DUPLICATE_TX = Uint8Array.of(1, 2, 3);

export type FakeBackend = ApiBackend & { readonly submitted: Uint8Array[]; readiness(): ApiReadiness; ready: ApiReadiness };

export function createFakeBackend(): FakeBackend {
  const submitted: Uint8Array[] = [];
  const backend: FakeBackend = {
    submitted,
    ready: { started: true, connectedPeers: 3, minPeers: 3, caughtUp: true },
    readiness() {
      return backend.ready;
    },
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', text: 'kaldrix_round 7\n' }),
    status: () => ({
      epoch: 0n, selfIndex: 1, round: 12, highestRound: 13, committedLeaders: 5, skippedLeaders: 1, directCommits: 4, indirectCommits: 1,
      leaderTimeouts: 1, lastCommitIndex: 5n, commitDigest: new Uint8Array(32).fill(1), stateRoot: new Uint8Array(32).fill(2),
      executedTransactions: 40, lastCheckpointSequence: 5n, lastCertifiedSequence: 5n, epochClosing: false, evidenceFound: 0,
      conflictingVotes: 0, pendingVertices: 0, gcRound: 0, lastDecidedRound: 0, queuedCommits: 0, awaitingVerdicts: false, rejects: { BAD_SIGNATURE: 2 }, rangesAdopted: 0, rangeCommits: 0, recovering: false,
      chainId: 'kaldrix-test', peerId: '12D3KooWtest', multiaddrs: ['/ip4/127.0.0.1/tcp/7000'], version: '0.1.0', connectedPeers: 3, mempoolTransactions: 9, eventQueue: 0, replayed: true, resumedFromSequence: 0n, resumedFromPeer: false, stateSyncsWhileRunning: 0, resumePointSequence: 0n, storedCommitFloor: 0n, commitLogFrom: 0n,
    }),
    async certificatesBefore(before, limit) {
      return [...certificates.entries()].filter(([s]) => before === undefined || s < before).reverse().slice(0, limit).map(([, c]) => c);
    },
    certificate: async (sequence) => certificates.get(sequence),
    vertices: async (round, author) => (round === 7 && author === 2 ? vertexBytes : []),
    async submitTransaction(bytes) {
      submitted.push(bytes);
      if (toHex(bytes) === toHex(DUPLICATE_TX)) return err({ code: 'DUPLICATE', id: PENDING_ID });
      return ok(new Uint8Array(32).fill(0xcc));
    },
    async transaction(id): Promise<ApiTransactionStatus> {
      if (toHex(id) === toHex(PENDING_ID)) return { status: 'pending' };
      if (toHex(id) === toHex(COMMITTED_ID)) return { status: 'committed', commitIndex: 42n, receipt: { id, status: 'applied', feeCharged: 7n } };
      return { status: 'unknown', indexedFromCommit: 1n };
    },
    async account(address) {
      const exists = toHex(address) === toHex(knownAddress);
      return { account: exists ? knownAccount : null, proof: Uint8Array.of(9, 8, 7), stateRoot: new Uint8Array(32).fill(2), commitIndex: 5n, certifiedSequence: exists ? 5n : undefined };
    },
    validators: () => committee,
  };
  return backend;
}
