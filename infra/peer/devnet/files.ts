/**
 * Writes a local devnet to a directory: the genesis, one folder per validator (its plaintext
 * key file, its libp2p identity and its `kaldrix.toml`) and the funded users' key files, plus
 * `devnet.json`, the one file a person, a test or the web app reads to find everything.
 *
 * Layout:
 *   <dir>/genesis.json
 *   <dir>/devnet.json                 nodes: peer ids, multiaddrs, API URLs; users: addresses
 *   <dir>/v<i>/kaldrix.toml           listens on 127.0.0.1 only
 *   <dir>/v<i>/validator.key.json     PLAINTEXT (throwaway devnet keys)
 *   <dir>/v<i>/data/p2p-key           the libp2p identity, so every peer id is known up front
 *   <dir>/users/u<j>.key.json         PLAINTEXT, funded in the genesis
 *
 * Ports: validator i uses base + 10·i (TCP), +1 (WebSockets), +2 (HTTP API).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { encodePlaintextKeyFile } from '../../../core/crypto/plaintextKeyFile.ts';
import { loadOrCreatePeerKey } from '../net/_identity.ts';
import { addressTextOf, buildDevnetGenesis } from './genesis.ts';

export type DevnetPlan = {
  readonly dir: string;
  readonly validators: number;
  readonly users: number;
  readonly basePort: number;
  readonly chainId: string;
  readonly genesisTimeMs: number;
};

export type DevnetNode = {
  readonly name: string;
  readonly index: number;
  readonly peerId: string;
  readonly tcp: string;
  readonly ws: string;
  readonly apiUrl: string;
  readonly address: string;
  readonly configPath: string;
  readonly dataDir: string;
};

export type DevnetManifest = {
  readonly chainId: string;
  readonly genesisPath: string;
  readonly nodes: readonly DevnetNode[];
  readonly users: readonly { readonly name: string; readonly address: string; readonly keyPath: string }[];
};

const tomlList = (items: readonly string[]): string => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;

export async function writeDevnet(plan: DevnetPlan): Promise<DevnetManifest> {
  if (!Number.isInteger(plan.basePort) || plan.basePort < 1024 || plan.basePort + 10 * plan.validators > 65_535) throw new RangeError('devnet: basePort must leave room for 10 ports per validator below 65536');
  const genesis = buildDevnetGenesis(plan);
  await mkdir(plan.dir, { recursive: true });
  const genesisPath = join(plan.dir, 'genesis.json');
  await writeFile(genesisPath, genesis.text);
  const nodes: DevnetNode[] = [];
  for (const [index, keys] of genesis.validatorKeys.entries()) {
    const name = `v${index}`;
    const home = join(plan.dir, name);
    const dataDir = join(home, 'data');
    const peerKey = await loadOrCreatePeerKey(dataDir);
    const port = plan.basePort + 10 * index;
    const peerId = peerIdFromPrivateKey(peerKey).toString();
    nodes.push({
      name,
      index,
      peerId,
      tcp: `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`,
      ws: `/ip4/127.0.0.1/tcp/${port + 1}/ws/p2p/${peerId}`,
      apiUrl: `http://127.0.0.1:${port + 2}`,
      address: addressTextOf(keys),
      configPath: join(home, 'kaldrix.toml'),
      dataDir,
    });
    await writeFile(join(home, 'validator.key.json'), encodePlaintextKeyFile(keys), { mode: 0o600 });
  }
  for (const node of nodes) {
    const port = plan.basePort + 10 * node.index;
    const others = nodes.filter((n) => n !== node).map((n) => n.tcp);
    const toml = [
      '# A local devnet peer (written by `kaldrix devnet`): loopback only, throwaway keys.',
      `chain_id = ${JSON.stringify(plan.chainId)}`,
      `genesis = ${JSON.stringify(genesisPath)}`,
      '',
      '[crypto]',
      'backend = "liboqs"',
      '# Four peers share this machine: one verify thread each.',
      'verify_workers = 1',
      `validator_key = ${JSON.stringify(join(plan.dir, node.name, 'validator.key.json'))}`,
      '',
      '[network]',
      `listen = ${tomlList([`/ip4/127.0.0.1/tcp/${port}`, `/ip4/127.0.0.1/tcp/${port + 1}/ws`])}`,
      `bootstrap = ${tomlList(others)}`,
      `min_peers = ${Math.min(3, others.length)}`,
      '',
      '[storage]',
      `data_dir = ${JSON.stringify(node.dataDir)}`,
      '',
      '[api]',
      `listen = "127.0.0.1:${port + 2}"`,
      '# The web app (any local port) reads this API from the browser.',
      'cors_origins = ["*"]',
      '',
    ].join('\n');
    await writeFile(node.configPath, toml);
  }
  await mkdir(join(plan.dir, 'users'), { recursive: true });
  const users = [];
  for (const [j, keys] of genesis.userKeys.entries()) {
    const keyPath = join(plan.dir, 'users', `u${j}.key.json`);
    await writeFile(keyPath, encodePlaintextKeyFile(keys), { mode: 0o600 });
    users.push({ name: `u${j}`, address: addressTextOf(keys), keyPath });
  }
  const manifest: DevnetManifest = { chainId: plan.chainId, genesisPath, nodes, users };
  await writeFile(join(plan.dir, 'devnet.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
