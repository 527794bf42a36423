/**
 * The full peer's configuration as the runtime reads it (`PeerConfig`), where each value came
 * from, and the typed errors of loading it.
 *
 * DESIGN.md §3 (Full node: `kaldrix.toml` with [dag], [consensus], [crypto], [network],
 * [storage], [api]). Only NODE-LOCAL settings live here: listeners, directories, buffer bounds,
 * worker counts. Protocol parameters (timeouts, quorum-relevant limits, fees) come from the
 * genesis and are the same on every node; naming one here is an error that says so.
 */

/** A signature backend for verification (core/crypto): the pure-JS reference or liboqs (WebAssembly). */
export type CryptoBackendName = 'noble' | 'liboqs';

/** `host:port` of a listener; port 0 asks the system for a free port (tests, devnets). */
export type HostPort = { readonly host: string; readonly port: number };

export type PeerConfig = {
  /** The chain this node must run; the runtime refuses a genesis of another chain. */
  readonly chainId: string;
  /** Path of the genesis JSON (core/state parseGenesis); the protocol parameters come from it. */
  readonly genesisPath: string;
  readonly dag: {
    /** Received vertices awaiting their signature verdict at once (core/validator maxVerifyBacklog). */
    readonly maxVerifyBacklog: number;
    /** Vertex references asked for in one fetch (core/validator maxFetchRefs). */
    readonly maxFetchRefs: number;
    /** Transactions pooled per sender, also the nonce window (core/state mempool maxPerSender). */
    readonly mempoolMaxPerSender: number;
    /** This node's fee floor in base units per encoded byte (mempool minFeePerByte). */
    readonly mempoolMinFeePerByte: number;
    /** Fee increase, in percent per byte, a same-nonce replacement must pay. */
    readonly mempoolReplaceBumpPercent: number;
  };
  readonly consensus: {
    /** Ceiling of the leader timeout after backoff; undefined: 8 × the genesis leader_timeout_ms. */
    readonly maxLeaderTimeoutMs: number | undefined;
    readonly maxPendingEvidence: number;
    readonly maxVerdicts: number;
    readonly maxLoggedCommits: number;
    readonly maxLoggedBytes: number;
  };
  readonly crypto: {
    readonly backend: CryptoBackendName;
    /** Verify worker threads; 0 means one per available core. */
    readonly verifyWorkers: number;
    /** Signature verdicts remembered by the verify cache. */
    readonly verifyCacheEntries: number;
    /** The validator key file; undefined runs the node as an observer (no seat, no signing). */
    readonly validatorKeyPath: string | undefined;
  };
  readonly network: {
    /** libp2p listen multiaddrs (TCP and WebSockets between peers; WebSockets, WebRTC-direct for browsers). */
    readonly listen: readonly string[];
    /** Multiaddrs announced to peers instead of the listen ones (behind NAT or a load balancer); empty: the listen ones. */
    readonly announce: readonly string[];
    /** Peers dialled at start and redialled while fewer than `minPeers` are connected. */
    readonly bootstrap: readonly string[];
    readonly minPeers: number;
    readonly maxConnections: number;
    /** Whether a WebRTC-direct listener (for browsers) runs; `listen` must then name a /webrtc-direct address. */
    readonly webrtcDirect: boolean;
    readonly dialTimeoutMs: number;
  };
  readonly storage: {
    /** LevelDB directory; locked while a node runs. */
    readonly dataDir: string;
    /** Commits between resume points; 0: no resume points, no pruning. */
    readonly snapshotIntervalCommits: number;
    /** Certificates kept below the newest resume point (end-of-epoch ones always); 0: all. */
    readonly keepCertificates: number;
  };
  readonly api: {
    readonly listen: HostPort;
    readonly bodyLimitBytes: number;
    /** Origins allowed by CORS (`*` for any); empty: no CORS headers. */
    readonly corsOrigins: readonly string[];
    /** Most entries in one page of a list endpoint. */
    readonly maxPageItems: number;
    /** Committed transactions remembered for GET /v1/transactions/:id and finality timing (oldest forgotten first). */
    readonly txIndexEntries: number;
  };
};

/** Where a value came from; errors name it so an operator knows which of the layers to fix. */
export type ConfigSource =
  | { readonly kind: 'file' }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'flag'; readonly name: string }
  | { readonly kind: 'default' };

/** Fields every key error carries: the key path (`network.min_peers`), its source, the bad value shown, and what is allowed. */
type KeyErrorFields = {
  readonly path: string;
  readonly source: ConfigSource;
  /** The offending value as the operator wrote it (quoted and shortened). */
  readonly value: string;
  /** What would be accepted, in words: a range, a list of values, a format. */
  readonly allowed: string;
};

export type ConfigError =
  | { readonly code: 'TOML_SYNTAX'; readonly line: number; readonly column: number; readonly message: string }
  /** A key no section has (typo, or a key of another section). */
  | ({ readonly code: 'UNKNOWN_KEY' } & KeyErrorFields)
  /** A protocol parameter: it belongs in the genesis `params`, where every node agrees on it. */
  | ({ readonly code: 'PROTOCOL_PARAM'; readonly genesisName: string } & KeyErrorFields)
  | ({ readonly code: 'WRONG_TYPE' } & KeyErrorFields)
  | ({ readonly code: 'OUT_OF_RANGE'; readonly min: number; readonly max: number } & KeyErrorFields)
  | ({ readonly code: 'NOT_ALLOWED'; readonly values: readonly string[] } & KeyErrorFields)
  | ({ readonly code: 'BAD_FORMAT' } & KeyErrorFields)
  | ({ readonly code: 'TOO_MANY'; readonly max: number } & KeyErrorFields)
  | ({ readonly code: 'MISSING' } & KeyErrorFields)
  /** Two keys that are each fine but contradict each other; `otherPath` names the second. */
  | ({ readonly code: 'CONFLICT'; readonly otherPath: string } & KeyErrorFields);

export type ConfigErrorCode = ConfigError['code'];

/** A flag value as the CLI parsed it: one word, repeated words (lists), or a bare switch. */
export type FlagValue = string | readonly string[] | boolean;

export type LoadPeerConfigInput = {
  /** The text of `kaldrix.toml`; absent: no file (flags, environment and defaults only). */
  readonly tomlText?: string;
  /** Overrides by key path (`network.min_peers`); see `PEER_FLAG_ALIASES` for the short CLI names. */
  readonly flags: Readonly<Record<string, FlagValue | undefined>>;
  /** The process environment; only `KALDRIX_<SECTION>_<KEY>`, `KALDRIX_CHAIN_ID` and `KALDRIX_GENESIS` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
};
