/**
 * The DAG view's input vocabulary: the events a simulator run (or a live peer) reports, shaped
 * for drawing. These are the view's own types: an adapter maps an engine's event stream onto
 * them, so the view model does not depend on any particular engine.
 *
 * Vocabulary of docs/protocol.md "DAG" and "Leaders and the commit rule": a vertex is named by
 * (round, author, digest); a leader slot is (round, leader author); validators are member
 * indices 0..n-1; times are virtual milliseconds since genesis.
 */

/** A vertex reference as the view keys it; `digest` is lowercase hex. */
export type DagRef = {
  readonly round: number;
  readonly author: number;
  readonly digest: string;
};

/** The signature on a vertex, when the source reports it. */
export type SignatureInfo = {
  readonly scheme: string;
  readonly bytes: number;
};

/** A validator signed and sent a vertex. */
export type VertexProposedEvent = {
  readonly type: 'vertexProposed';
  readonly timeMs: number;
  readonly epoch: number;
  readonly author: number;
  readonly round: number;
  readonly digest: string;
  readonly parents: readonly DagRef[];
  /** Number of transactions carried. */
  readonly transactions: number;
  /** Encoded size of the signed vertex. */
  readonly bytes: number;
  readonly signature?: SignatureInfo;
};

/** Validator `by` accepted (validated and stored) a vertex. */
export type VertexAcceptedEvent = {
  readonly type: 'vertexAccepted';
  readonly timeMs: number;
  readonly by: number;
  readonly ref: DagRef;
};

export type DecisionHow = 'direct' | 'indirect';

/** Validator `by` committed leader vertex `leader` as commit number `index`. */
export type CommittedEvent = {
  readonly type: 'committed';
  readonly timeMs: number;
  readonly by: number;
  readonly index: number;
  readonly leader: DagRef;
  /** The vertices this commit ordered (its linearized sub-DAG), when reported. */
  readonly vertices?: readonly DagRef[];
  readonly how?: DecisionHow;
};

/** Validator `by` skipped the leader slot (round, leader): a view change. */
export type SkippedEvent = {
  readonly type: 'skipped';
  readonly timeMs: number;
  readonly by: number;
  readonly round: number;
  readonly leader: number;
  readonly how?: DecisionHow;
};

/** Validator `by` holds a finality certificate for checkpoint `sequence`. */
export type CertifiedEvent = {
  readonly type: 'certified';
  readonly timeMs: number;
  readonly by: number;
  readonly sequence: number;
  readonly lastCommitIndex: number;
};

/** Validator `by` holds self-proving evidence that `offender` equivocated at `round`. */
export type EvidenceEvent = {
  readonly type: 'evidence';
  readonly timeMs: number;
  readonly by: number;
  readonly offender: number;
  readonly round: number;
};

/** The event stream the DAG view model ingests. */
export type DagEvent =
  | VertexProposedEvent
  | VertexAcceptedEvent
  | CommittedEvent
  | SkippedEvent
  | CertifiedEvent
  | EvidenceEvent;

/** What a validator lane shows: running, crashed, or under a Byzantine fault. */
export type LaneState = 'up' | 'crashed' | 'byzantine';
