/**
 * The live DAG view: a pure, bounded view model of a DAG-BFT run (model.ts), its grid layout
 * and viewport (layout.ts), the canvas painter (draw.ts) and the Svelte components around them.
 * Input events are the view's own types (types.ts); an adapter maps an engine's events onto them.
 */
export type { CertifiedEvent, CommittedEvent, DagEvent, DagRef, DecisionHow, EvidenceEvent, LaneState, SignatureInfo, SkippedEvent, VertexAcceptedEvent, VertexProposedEvent } from './types.ts';
export { refKey, type VertexKey, type ViewVertex } from './vertex.ts';
export {
  DEFAULT_MAX_ROUNDS, createDagModel,
  type DagModel, type DagModelInit, type DroppedSummary, type IngestOutcome, type LeaderCandidate, type LeaderPhases,
  type ObserverDecision, type ObserverStats, type VertexDetails, type VertexRole, type VertexVisitor,
} from './model.ts';
export {
  HEAD_MARGIN_PX, centerOn, createGeometry, createViewport, followHead, hitTest, laneAtY, laneBand, laneHitTest, laneY, panBy, resizeViewport, roundAtX,
  roundScale, roundTicks, roundX, setFollowHead, vertexCenter, vertexRadiusPx, visibleLanes, visibleRounds, zoomAt,
  type LayoutGeometry, type Point, type Viewport,
} from './layout.ts';
export { EDGE_BUDGET_PER_FRAME, THINNED_COMMIT_EDGES, drawDag, focusLeaderRound, type DagScene, type DrawingContext, type FrameStats } from './draw.ts';
export { DARK_PALETTE, LIGHT_PALETTE, type DagPalette } from './palette.ts';
export { decisionText, refText, roleText, shortDigest, validatorName, vertexSentence } from './describe.ts';
export { default as DagCanvas } from './DagCanvas.svelte';
export { default as Legend } from './Legend.svelte';
export { default as VertexDetailsPanel } from './VertexDetails.svelte';
