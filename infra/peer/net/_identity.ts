/**
 * The peer's libp2p identity, persisted so its peer id and multiaddrs survive restarts.
 *
 * DESIGN.md §2 Network: browsers and bootstrap lists name a peer by `/p2p/<id>` (and, for
 * WebRTC-direct, by its certificate hash), so both must be stable. The key is an Ed25519
 * private key in libp2p's protobuf encoding at `<dataDir>/p2p-key`, created on first start
 * with file mode 0600 (it is a secret: whoever holds it can impersonate the peer).
 *
 * Caveat: this key is classical; it only names the peer. Post-quantum confidentiality and the
 * validator's authentication come from the PQ handshake on top (docs/pq-links.md).
 */
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';

export const PEER_KEY_FILE = 'p2p-key';

/** Owner read/write only. */
const KEY_FILE_MODE = 0o600;

/** A protobuf Ed25519 private key is 68 bytes; anything far larger is not our file. */
const MAX_KEY_FILE_BYTES = 4096;

/** Loads `<dataDir>/p2p-key`, or creates it (mode 0600) when absent. */
export async function loadOrCreatePeerKey(dataDir: string): Promise<PrivateKey> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, PEER_KEY_FILE);
  const existing = await readIfPresent(path);
  if (existing !== undefined) {
    if (existing.length > MAX_KEY_FILE_BYTES) throw new Error(`${path}: ${existing.length} bytes is not a libp2p private key`);
    const key = privateKeyFromProtobuf(existing);
    if (key.type !== 'Ed25519') throw new Error(`${path}: expected an Ed25519 key, found ${key.type}`);
    await tightenMode(path);
    return key;
  }
  const key = await generateKeyPair('Ed25519');
  // 'wx': never overwrite a key another process wrote meanwhile.
  await writeFile(path, privateKeyToProtobuf(key), { mode: KEY_FILE_MODE, flag: 'wx' });
  return key;
}

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A key file copied in with looser permissions is narrowed back to 0600. */
async function tightenMode(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) await chmod(path, KEY_FILE_MODE);
}
