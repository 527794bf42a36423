import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeConfigError, KEY_SPECS, keyPath, loadPeerConfig, type ConfigError, type LoadPeerConfigInput, type PeerConfig } from './index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const exampleText = readFileSync(join(here, '..', 'kaldrix.example.toml'), 'utf8');

/** The three required keys, so each test states only what it is about. */
const BASE = 'chain_id = "testnet-1"\ngenesis = "genesis.json"\n[storage]\ndata_dir = "/tmp/k"\n';

function load(input: Partial<LoadPeerConfigInput>): ReturnType<typeof loadPeerConfig> {
  return loadPeerConfig({ flags: {}, env: {}, ...input });
}
function loaded(input: Partial<LoadPeerConfigInput>): PeerConfig {
  const r = load(input);
  if (!r.ok) throw new Error(r.error.map(describeConfigError).join('\n'));
  return r.value;
}
function errorsOf(input: Partial<LoadPeerConfigInput>): readonly ConfigError[] {
  const r = load(input);
  if (r.ok) throw new Error('expected errors');
  return r.error;
}
function onlyError(input: Partial<LoadPeerConfigInput>): ConfigError {
  const errors = errorsOf(input);
  expect(errors, errors.map(describeConfigError).join('\n')).toHaveLength(1);
  return errors[0] as ConfigError;
}

describe('kaldrix.example.toml', () => {
  it('loads, and names every key of the schema', () => {
    const config = loaded({ tomlText: exampleText });
    expect(config.chainId).toBe('kaldrix-devnet');
    expect(config.storage.dataDir).toBe('/var/lib/kaldrix');
    for (const spec of KEY_SPECS) expect(exampleText, keyPath(spec)).toMatch(new RegExp(`^#? ?${spec.key} =`, 'm'));
  });
});

describe('defaults', () => {
  it('fills every optional key and freezes the result, nested objects and lists included', () => {
    const config = loaded({ tomlText: BASE });
    expect(config.api.listen).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.network.listen).toEqual(['/ip4/127.0.0.1/tcp/7000', '/ip4/127.0.0.1/tcp/7001/ws']);
    expect(config.network.minPeers).toBe(3);
    expect(config.crypto.backend).toBe('noble');
    expect(config.crypto.validatorKeyPath).toBeUndefined();
    expect(config.consensus.maxLeaderTimeoutMs).toBeUndefined();
    expect(config.dag.maxVerifyBacklog).toBe(1024);
    expect(config.api.txIndexEntries).toBe(100_000);
    expect(config.storage).toMatchObject({ snapshotIntervalCommits: 1000, keepCertificates: 100_000 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.network)).toBe(true);
    expect(Object.isFrozen(config.network.listen)).toBe(true);
    expect(Object.isFrozen(config.api.listen)).toBe(true);
  });

  it('works with no file at all when flags and environment give the required keys', () => {
    const config = loaded({ flags: { data: '/d', genesis: 'g.json' }, env: { KALDRIX_CHAIN_ID: 'x' } });
    expect(config).toMatchObject({ chainId: 'x', genesisPath: 'g.json', storage: { dataDir: '/d' } });
  });
});

describe('precedence: flags > environment > file > defaults', () => {
  const file = `${BASE}[network]\nmin_peers = 5\nbootstrap = ["/ip4/10.0.0.1/tcp/7000", "/ip4/10.0.0.2/tcp/7000"]\n`;

  it('file beats default', () => {
    expect(loaded({ tomlText: file }).network.minPeers).toBe(5);
  });
  it('environment beats file', () => {
    expect(loaded({ tomlText: file, env: { KALDRIX_NETWORK_MIN_PEERS: '7' } }).network.minPeers).toBe(7);
    expect(loaded({ tomlText: `${BASE}[api]\ntx_index_entries = 5000\n`, env: { KALDRIX_API_TX_INDEX_ENTRIES: '20000' } }).api.txIndexEntries).toBe(20_000);
    expect(loaded({ tomlText: BASE, env: { KALDRIX_STORAGE_SNAPSHOT_INTERVAL_COMMITS: '0', KALDRIX_STORAGE_KEEP_CERTIFICATES: '0' } }).storage).toMatchObject({ snapshotIntervalCommits: 0, keepCertificates: 0 });
  });
  it('flag beats environment, by key path or by short alias', () => {
    const env = { KALDRIX_NETWORK_MIN_PEERS: '7', KALDRIX_STORAGE_DATA_DIR: '/env' };
    const config = loaded({ tomlText: file, env, flags: { 'network.min_peers': '9', data: '/flag' } });
    expect(config.network.minPeers).toBe(9);
    expect(config.storage.dataDir).toBe('/flag');
  });
  it('a higher layer replaces a list whole; environment lists are comma-separated', () => {
    expect(loaded({ tomlText: file, env: { KALDRIX_NETWORK_BOOTSTRAP: '/ip4/10.0.0.9/tcp/1, /ip4/10.0.0.8/tcp/2' } }).network.bootstrap)
      .toEqual(['/ip4/10.0.0.9/tcp/1', '/ip4/10.0.0.8/tcp/2']);
    expect(loaded({ tomlText: file, flags: { bootstrap: ['/ip4/10.0.0.7/tcp/3'] } }).network.bootstrap).toEqual(['/ip4/10.0.0.7/tcp/3']);
    expect(loaded({ tomlText: file, env: { KALDRIX_NETWORK_BOOTSTRAP: '' } }).network.bootstrap).toEqual([]);
  });
  it('reads booleans from text and bare switches', () => {
    const listen = '/ip4/127.0.0.1/udp/7002/webrtc-direct';
    expect(loaded({ tomlText: BASE, env: { KALDRIX_NETWORK_WEBRTC_DIRECT: 'true', KALDRIX_NETWORK_LISTEN: listen } }).network.webrtcDirect).toBe(true);
    expect(loaded({ tomlText: BASE, flags: { 'network.webrtc_direct': true, listen } }).network.webrtcDirect).toBe(true);
  });
  it('ignores KALDRIX_ variables outside the config sections (KALDRIX_DEBUG belongs to the CLI)', () => {
    expect(loaded({ tomlText: BASE, env: { KALDRIX_DEBUG: '1', PATH: '/bin' } }).chainId).toBe('testnet-1');
  });
  it('still reports a bad value in a lower layer that a higher one overrides', () => {
    const e = onlyError({ tomlText: `${BASE}[network]\nmin_peers = -1\n`, flags: { 'network.min_peers': '4' } });
    expect(e).toMatchObject({ code: 'OUT_OF_RANGE', path: 'network.min_peers', source: { kind: 'file' } });
  });
});

describe('errors name the key, the value, the source and what is allowed', () => {
  it('TOML_SYNTAX with line and column', () => {
    expect(onlyError({ tomlText: 'chain_id = "a"\n[network\n' })).toMatchObject({ code: 'TOML_SYNTAX', line: 2 });
  });
  it('UNKNOWN_KEY in the file lists the section keys', () => {
    const e = onlyError({ tomlText: `${BASE}[network]\nmin_peer = 3\n` });
    expect(e).toMatchObject({ code: 'UNKNOWN_KEY', path: 'network.min_peer', value: '3' });
    expect(e.code === 'UNKNOWN_KEY' && e.allowed).toContain('min_peers');
  });
  it('UNKNOWN_KEY at top level and for an unknown section', () => {
    const errors = errorsOf({ tomlText: `colour = "red"\n${BASE}[mempool]\nx = 1\n` });
    expect(errors.map((e) => e.code === 'UNKNOWN_KEY' && e.path)).toEqual(['colour', 'mempool']);
  });
  it('UNKNOWN_KEY from the environment and from flags', () => {
    expect(onlyError({ tomlText: BASE, env: { KALDRIX_API_LISTN: '1.2.3.4:1' } })).toMatchObject({
      code: 'UNKNOWN_KEY', path: 'api.listn', source: { kind: 'env', name: 'KALDRIX_API_LISTN' },
    });
    expect(onlyError({ tomlText: BASE, flags: { 'api.colour': 'x' } })).toMatchObject({ code: 'UNKNOWN_KEY', path: 'api.colour', source: { kind: 'flag', name: '--api.colour' } });
  });
  it('PROTOCOL_PARAM: a genesis parameter in the node config says where it belongs', () => {
    const e = onlyError({ tomlText: `${BASE}[consensus]\nleader_timeout_ms = 300\n` });
    expect(e).toMatchObject({ code: 'PROTOCOL_PARAM', path: 'consensus.leader_timeout_ms', genesisName: 'params.leader_timeout_ms' });
    expect(describeConfigError(e)).toContain('genesis');
  });
  it('WRONG_TYPE for a string where an integer belongs, and a section that is not a table', () => {
    expect(onlyError({ tomlText: `${BASE}[api]\nbody_limit_bytes = "big"\n` })).toMatchObject({
      code: 'WRONG_TYPE', path: 'api.body_limit_bytes', value: '"big"', allowed: 'an integer from 1024 to 16777216',
    });
    expect(onlyError({ tomlText: `dag = 3\n${BASE}` })).toMatchObject({ code: 'WRONG_TYPE', path: 'dag' });
    expect(onlyError({ tomlText: BASE, env: { KALDRIX_NETWORK_WEBRTC_DIRECT: 'yes' } })).toMatchObject({ code: 'WRONG_TYPE', path: 'network.webrtc_direct', value: '"yes"' });
  });
  it('OUT_OF_RANGE with the bounds', () => {
    const e = onlyError({ tomlText: BASE, env: { KALDRIX_NETWORK_MIN_PEERS: '5000' } });
    expect(e).toMatchObject({ code: 'OUT_OF_RANGE', path: 'network.min_peers', value: '5000', min: 0, max: 1000 });
    expect(describeConfigError(e)).toBe('network.min_peers = 5000 (from environment KALDRIX_NETWORK_MIN_PEERS): out of range; allowed: an integer from 0 to 1000');
  });
  it('NOT_ALLOWED with the allowed values', () => {
    expect(onlyError({ tomlText: `${BASE}[crypto]\nbackend = "openssl"\n` })).toMatchObject({ code: 'NOT_ALLOWED', path: 'crypto.backend', values: ['noble', 'liboqs'] });
  });
  it('BAD_FORMAT for a multiaddr, naming the entry, and for host:port, origins and the chain id', () => {
    const e = onlyError({ tomlText: `${BASE}[network]\nlisten = ["/ip4/127.0.0.1/tcp/7000", "/ip4/999.0.0.1/tcp/1"]\n` });
    expect(e).toMatchObject({ code: 'BAD_FORMAT', path: 'network.listen[1]', value: '"/ip4/999.0.0.1/tcp/1"' });
    expect(onlyError({ tomlText: BASE, flags: { 'api.listen': 'localhost' } })).toMatchObject({ code: 'BAD_FORMAT', path: 'api.listen' });
    expect(onlyError({ tomlText: BASE, flags: { 'api.listen': '127.0.0.1:70000' } })).toMatchObject({ code: 'BAD_FORMAT', path: 'api.listen' });
    const origin = onlyError({ tomlText: `${BASE}[api]\ncors_origins = ["https://app.example.org/"]\n` });
    expect(origin).toMatchObject({ code: 'BAD_FORMAT', path: 'api.cors_origins[0]' });
    expect(origin.code === 'BAD_FORMAT' && origin.allowed).toContain('https://app.example.org');
    expect(onlyError({ tomlText: BASE, env: { KALDRIX_CHAIN_ID: 'Main Net' } })).toMatchObject({ code: 'BAD_FORMAT', path: 'chain_id' });
  });
  it('accepts IPv6 host:port and strips the brackets', () => {
    expect(loaded({ tomlText: BASE, flags: { 'api.listen': '[::1]:0' } }).api.listen).toEqual({ host: '::1', port: 0 });
  });
  it('TOO_MANY entries in a list', () => {
    const many = Array.from({ length: 17 }, (_, i) => `/ip4/127.0.0.1/tcp/${7000 + i}`).join(',');
    expect(onlyError({ tomlText: BASE, env: { KALDRIX_NETWORK_LISTEN: many } })).toMatchObject({ code: 'TOO_MANY', path: 'network.listen', max: 16 });
  });
  it('MISSING for every required key, with where to set it', () => {
    const errors = errorsOf({});
    expect(errors.map((e) => e.code === 'MISSING' && e.path)).toEqual(['chain_id', 'genesis', 'storage.data_dir']);
    expect(describeConfigError(errors[2] as ConfigError)).toContain('KALDRIX_STORAGE_DATA_DIR');
  });
  it('CONFLICT between keys: min_peers above max_connections, webrtc_direct without a listener and the reverse', () => {
    expect(onlyError({ tomlText: `${BASE}[network]\nmin_peers = 10\nmax_connections = 5\n` })).toMatchObject({
      code: 'CONFLICT', path: 'network.min_peers', otherPath: 'network.max_connections',
    });
    expect(onlyError({ tomlText: `${BASE}[network]\nwebrtc_direct = true\n` })).toMatchObject({ code: 'CONFLICT', path: 'network.webrtc_direct', otherPath: 'network.listen' });
    expect(onlyError({ tomlText: BASE, flags: { listen: ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/udp/2/webrtc-direct'] } })).toMatchObject({
      code: 'CONFLICT', path: 'network.listen[1]', source: { kind: 'flag', name: '--listen' },
    });
  });
  it('CONFLICT when a key is given twice as flags (alias and path)', () => {
    expect(onlyError({ tomlText: BASE, flags: { data: '/a', 'storage.data_dir': '/b' } })).toMatchObject({ code: 'CONFLICT', path: 'storage.data_dir' });
  });
  it('reports every problem at once, not only the first', () => {
    const errors = errorsOf({ tomlText: `${BASE}[network]\nmin_peers = "x"\nfoo = 1\n[api]\nmax_page_items = 0\n` });
    expect(errors.map((e) => e.code).sort()).toEqual(['OUT_OF_RANGE', 'UNKNOWN_KEY', 'WRONG_TYPE']);
  });
  it('never throws on odd TOML values (dates, nested tables, arrays of tables)', () => {
    const text = `${BASE}[api]\nlisten = 1979-05-27T07:32:00Z\nmax_page_items = [1]\n[[network.bootstrap]]\nx = 1\n`;
    const errors = errorsOf({ tomlText: text });
    expect(errors.map((e) => e.code !== 'TOML_SYNTAX' && `${e.code} ${e.path}`)).toEqual([
      'WRONG_TYPE network.bootstrap[0]', 'WRONG_TYPE api.listen', 'WRONG_TYPE api.max_page_items',
    ]);
  });
});
