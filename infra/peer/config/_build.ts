/**
 * Turns the checked values (one per key path, already of the right kind) into the nested,
 * frozen `PeerConfig`, and checks the rules that span two keys.
 */
import type { ConfigError, ConfigSource, CryptoBackendName, HostPort, PeerConfig } from './types.ts';
import { showValue } from './_values.ts';

export type Checked = ReadonlyMap<string, { readonly value: unknown; readonly source: ConfigSource }>;

function read(values: Checked, path: string): unknown {
  const entry = values.get(path);
  if (entry === undefined) throw new Error(`config: ${path} was not resolved`);
  return entry.value;
}

// The values were checked against their kinds; a mismatch here is a schema/builder bug.
function num(values: Checked, path: string): number {
  const v = read(values, path);
  if (typeof v !== 'number') throw new Error(`config: ${path} is not a number`);
  return v;
}
function optionalNum(values: Checked, path: string): number | undefined {
  const v = read(values, path);
  return v === undefined ? undefined : num(values, path);
}
function text(values: Checked, path: string): string {
  const v = read(values, path);
  if (typeof v !== 'string') throw new Error(`config: ${path} is not a string`);
  return v;
}
function optionalText(values: Checked, path: string): string | undefined {
  return read(values, path) === undefined ? undefined : text(values, path);
}
function bool(values: Checked, path: string): boolean {
  const v = read(values, path);
  if (typeof v !== 'boolean') throw new Error(`config: ${path} is not a boolean`);
  return v;
}
function list(values: Checked, path: string): readonly string[] {
  const v = read(values, path);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`config: ${path} is not a list of strings`);
  return Object.freeze([...(v as string[])]);
}
function hostPort(values: Checked, path: string): HostPort {
  const v = read(values, path);
  if (typeof v !== 'object' || v === null || !('host' in v) || !('port' in v)) throw new Error(`config: ${path} is not host:port`);
  return v as HostPort;
}
function backend(values: Checked, path: string): CryptoBackendName {
  const v = text(values, path);
  if (v !== 'noble' && v !== 'liboqs') throw new Error(`config: ${path} is not a backend`);
  return v;
}

export function buildPeerConfig(v: Checked): PeerConfig {
  return Object.freeze({
    chainId: text(v, 'chain_id'),
    genesisPath: text(v, 'genesis'),
    dag: Object.freeze({
      maxVerifyBacklog: num(v, 'dag.max_verify_backlog'),
      maxFetchRefs: num(v, 'dag.max_fetch_refs'),
      mempoolMaxPerSender: num(v, 'dag.mempool_max_per_sender'),
      mempoolMinFeePerByte: num(v, 'dag.mempool_min_fee_per_byte'),
      mempoolReplaceBumpPercent: num(v, 'dag.mempool_replace_bump_percent'),
    }),
    consensus: Object.freeze({
      maxLeaderTimeoutMs: optionalNum(v, 'consensus.max_leader_timeout_ms'),
      maxPendingEvidence: num(v, 'consensus.max_pending_evidence'),
      maxVerdicts: num(v, 'consensus.max_verdicts'),
      maxLoggedCommits: num(v, 'consensus.max_logged_commits'),
      maxLoggedBytes: num(v, 'consensus.max_logged_bytes'),
    }),
    crypto: Object.freeze({
      backend: backend(v, 'crypto.backend'),
      verifyWorkers: num(v, 'crypto.verify_workers'),
      verifyCacheEntries: num(v, 'crypto.verify_cache_entries'),
      validatorKeyPath: optionalText(v, 'crypto.validator_key'),
    }),
    network: Object.freeze({
      listen: list(v, 'network.listen'),
      announce: list(v, 'network.announce'),
      bootstrap: list(v, 'network.bootstrap'),
      minPeers: num(v, 'network.min_peers'),
      maxConnections: num(v, 'network.max_connections'),
      webrtcDirect: bool(v, 'network.webrtc_direct'),
      dialTimeoutMs: num(v, 'network.dial_timeout_ms'),
    }),
    storage: Object.freeze({
      dataDir: text(v, 'storage.data_dir'),
      snapshotIntervalCommits: num(v, 'storage.snapshot_interval_commits'),
      keepCertificates: num(v, 'storage.keep_certificates'),
    }),
    api: Object.freeze({
      listen: hostPort(v, 'api.listen'),
      bodyLimitBytes: num(v, 'api.body_limit_bytes'),
      corsOrigins: list(v, 'api.cors_origins'),
      maxPageItems: num(v, 'api.max_page_items'),
      txIndexEntries: num(v, 'api.tx_index_entries'),
    }),
  });
}

/** Rules between keys: each key is valid alone, together they contradict. */
export function crossKeyErrors(config: PeerConfig, values: Checked): ConfigError[] {
  const errors: ConfigError[] = [];
  const sourceOf = (path: string): ConfigSource => values.get(path)?.source ?? { kind: 'default' };
  const { network } = config;
  if (network.minPeers > network.maxConnections) {
    errors.push({
      code: 'CONFLICT', path: 'network.min_peers', source: sourceOf('network.min_peers'), value: showValue(network.minPeers),
      allowed: `at most network.max_connections (${network.maxConnections})`, otherPath: 'network.max_connections',
    });
  }
  const webrtcIndex = network.listen.findIndex((a) => a.includes('/webrtc-direct'));
  if (network.webrtcDirect && webrtcIndex < 0) {
    errors.push({
      code: 'CONFLICT', path: 'network.webrtc_direct', source: sourceOf('network.webrtc_direct'), value: 'true',
      allowed: 'true only when network.listen has a /udp/<port>/webrtc-direct address', otherPath: 'network.listen',
    });
  }
  if (!network.webrtcDirect && webrtcIndex >= 0) {
    errors.push({
      code: 'CONFLICT', path: `network.listen[${webrtcIndex}]`, source: sourceOf('network.listen'), value: showValue(network.listen[webrtcIndex]),
      allowed: 'a /webrtc-direct listener only with network.webrtc_direct = true', otherPath: 'network.webrtc_direct',
    });
  }
  return errors;
}
