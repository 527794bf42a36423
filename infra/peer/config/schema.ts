/**
 * Every key of `kaldrix.toml`: its section, name, kind, allowed range and default. This table
 * is the one place a key is defined; the loader, the environment-variable names and the error
 * messages all derive from it, and a test checks that kaldrix.example.toml names every key.
 *
 * DESIGN.md §3. Defaults of validator and mempool bounds are core's own (VALIDATOR_DEFAULTS,
 * mempool defaults), so a node without a config file behaves like the simulator's validators.
 */
import { DEFAULT_MAX_PER_SENDER, DEFAULT_MIN_FEE_PER_BYTE, DEFAULT_REPLACE_BUMP_PERCENT } from '../../../core/state/mempool/index.ts';
import { VALIDATOR_DEFAULTS } from '../../../core/validator/index.ts';

export const CONFIG_SECTIONS = ['dag', 'consensus', 'crypto', 'network', 'storage', 'api'] as const;
export type ConfigSection = (typeof CONFIG_SECTIONS)[number];

export type ValueKind =
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'bool' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'chainId' }
  | { readonly type: 'path' }
  | { readonly type: 'multiaddrList'; readonly maxItems: number }
  | { readonly type: 'hostPort' }
  | { readonly type: 'originList'; readonly maxItems: number };

export type KeySpec = {
  /** `undefined` for the two top-level keys. */
  readonly section: ConfigSection | undefined;
  readonly key: string;
  readonly kind: ValueKind;
  /** 'required': no default, the node cannot start without it; 'optional': may stay unset. */
  readonly fallback: { readonly type: 'default'; readonly value: unknown } | { readonly type: 'required' } | { readonly type: 'optional' };
};

const spec = (section: ConfigSection | undefined, key: string, kind: ValueKind, fallback: KeySpec['fallback']): KeySpec =>
  Object.freeze({ section, key, kind, fallback });
const byDefault = (value: unknown): KeySpec['fallback'] => ({ type: 'default', value });
const int = (min: number, max: number): ValueKind => ({ type: 'int', min, max });
const REQUIRED = { type: 'required' } as const;
const OPTIONAL = { type: 'optional' } as const;

/** libp2p caps listeners per transport far below this; more is a config generator bug. */
const MAX_LISTEN_ADDRS = 16;
/** Enough bootstrap peers for any public network; the list is dialled on every redial round. */
const MAX_BOOTSTRAP_ADDRS = 64;
/** A few web-app deployments (production, staging, local dev) per node. */
const MAX_CORS_ORIGINS = 32;
/** 16 MiB: above any signed transaction (≤ 1 MiB, params.ts) in hex inside JSON. */
const MAX_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
/** 256 KiB: a max_tx_bytes (64 KiB) transaction in hex (128 KiB) inside JSON, with room. */
const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
/** One hour in milliseconds: the largest timeout a node could sensibly wait. */
const HOUR_MS = 3_600_000;

export const KEY_SPECS: readonly KeySpec[] = Object.freeze([
  spec(undefined, 'chain_id', { type: 'chainId' }, REQUIRED),
  spec(undefined, 'genesis', { type: 'path' }, REQUIRED),

  spec('dag', 'max_verify_backlog', int(1, 1_000_000), byDefault(VALIDATOR_DEFAULTS.maxVerifyBacklog)),
  spec('dag', 'max_fetch_refs', int(1, 10_000), byDefault(VALIDATOR_DEFAULTS.maxFetchRefs)),
  spec('dag', 'mempool_max_per_sender', int(1, 100_000), byDefault(DEFAULT_MAX_PER_SENDER)),
  spec('dag', 'mempool_min_fee_per_byte', int(0, Number.MAX_SAFE_INTEGER), byDefault(Number(DEFAULT_MIN_FEE_PER_BYTE))),
  spec('dag', 'mempool_replace_bump_percent', int(0, 1000), byDefault(DEFAULT_REPLACE_BUMP_PERCENT)),

  spec('consensus', 'max_leader_timeout_ms', int(1, HOUR_MS), OPTIONAL),
  spec('consensus', 'max_pending_evidence', int(1, 100_000), byDefault(VALIDATOR_DEFAULTS.maxPendingEvidence)),
  spec('consensus', 'max_verdicts', int(1, 10_000_000), byDefault(VALIDATOR_DEFAULTS.maxVerdicts)),
  spec('consensus', 'max_logged_commits', int(1, 1_000_000), byDefault(VALIDATOR_DEFAULTS.maxLoggedCommits)),
  spec('consensus', 'max_logged_bytes', int(1024 * 1024, 64 * 1024 ** 3), byDefault(VALIDATOR_DEFAULTS.maxLoggedBytes)),

  spec('crypto', 'backend', { type: 'enum', values: ['noble', 'liboqs'] }, byDefault('noble')),
  spec('crypto', 'verify_workers', int(0, 256), byDefault(0)),
  // 65,536 verdicts ≈ 6 s of the 10,000 TPS target: a gossiped transaction is verified once.
  spec('crypto', 'verify_cache_entries', int(0, 10_000_000), byDefault(65_536)),
  spec('crypto', 'validator_key', { type: 'path' }, OPTIONAL),

  // Loopback by default: a node exposes itself only when its operator says so.
  spec('network', 'listen', { type: 'multiaddrList', maxItems: MAX_LISTEN_ADDRS }, byDefault(['/ip4/127.0.0.1/tcp/7000', '/ip4/127.0.0.1/tcp/7001/ws'])),
  spec('network', 'announce', { type: 'multiaddrList', maxItems: MAX_LISTEN_ADDRS }, byDefault([])),
  spec('network', 'bootstrap', { type: 'multiaddrList', maxItems: MAX_BOOTSTRAP_ADDRS }, byDefault([])),
  // The other three validators of the smallest BFT committee (n = 3f + 1 = 4); the deployment alarm uses 3 too.
  spec('network', 'min_peers', int(0, 1000), byDefault(3)),
  spec('network', 'max_connections', int(1, 10_000), byDefault(200)),
  spec('network', 'webrtc_direct', { type: 'bool' }, byDefault(false)),
  spec('network', 'dial_timeout_ms', int(100, 120_000), byDefault(10_000)),

  spec('storage', 'data_dir', { type: 'path' }, REQUIRED),
  // A resume point (certified checkpoint + state snapshot) at most this many commits apart; a
  // restart starts from the newest instead of genesis, and commits below the older of the two
  // kept are deleted. ≈ 100 s at 10 commits/s. 0: none (every commit kept, replayed from genesis).
  spec('storage', 'snapshot_interval_commits', int(0, 100_000_000), byDefault(1000)),
  // Certificates kept below the newest resume point (end-of-epoch ones always); ≈ 14 h of
  // checkpoints at 2 a second. 0: keep every certificate.
  spec('storage', 'keep_certificates', int(0, 1_000_000_000), byDefault(100_000)),

  // 8080 is what the container, the CloudWatch agent and Prometheus scrape (infra/cdk, infra/observability).
  spec('api', 'listen', { type: 'hostPort' }, byDefault('127.0.0.1:8080')),
  spec('api', 'body_limit_bytes', int(1024, MAX_BODY_LIMIT_BYTES), byDefault(DEFAULT_BODY_LIMIT_BYTES)),
  spec('api', 'cors_origins', { type: 'originList', maxItems: MAX_CORS_ORIGINS }, byDefault([])),
  spec('api', 'max_page_items', int(1, 1000), byDefault(100)),
  // 100,000 transactions ≈ 100 s of the 1,000 TPS design point, ≈ 35 MB: what GET /v1/transactions/:id can still find.
  spec('api', 'tx_index_entries', int(1, 10_000_000), byDefault(100_000)),
]);

/** `network.min_peers`, or `chain_id` for a top-level key. */
export const keyPath = (s: KeySpec): string => (s.section === undefined ? s.key : `${s.section}.${s.key}`);

/** `KALDRIX_NETWORK_MIN_PEERS`, `KALDRIX_CHAIN_ID`. */
export const envName = (s: KeySpec): string => `KALDRIX_${keyPath(s).replace('.', '_').toUpperCase()}`;

/** The CLI's short flags (DESIGN.md §3 `kaldrix start`) and the key each one sets. */
export const PEER_FLAG_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  listen: 'network.listen',
  bootstrap: 'network.bootstrap',
  data: 'storage.data_dir',
  'validator-key': 'crypto.validator_key',
  genesis: 'genesis',
});

export const SPEC_BY_PATH: ReadonlyMap<string, KeySpec> = new Map(KEY_SPECS.map((s) => [keyPath(s), s]));
