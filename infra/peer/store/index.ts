/**
 * infra/peer/store — the full peer's LevelDB store behind contracts.ts `PeerStore`: write-ahead
 * own vertices, executed commits and certificates, pruning below the certified watermark, and
 * a directory lock. Key layout: keys.ts.
 */
export {
  MAX_READ_ENTRIES,
  PEER_STORE_DEFAULTS,
  openPeerStore,
  type LevelPeerStore,
  type PeerStoreInit,
  type StoreOpenError,
  type StoredCommit,
} from './levelStore.ts';
export type { OwnVertexEntry } from './_ownVertex.ts';
export { KEPT_SNAPSHOTS, type SnapshotWrite, type StoredSnapshot } from './_snapshots.ts';
export { STORE_FORMAT_VERSION, commitKey, certKey, ownVertexKey } from './keys.ts';
