// Bad input against a real 4-validator devnet (issue 7, "Bad input"): malformed, oversized and
// forged input on every HTTP endpoint and every `/kaldrix/...` protocol is refused, the node
// keeps committing, and a peer that keeps sending bad data is banned and disconnected.
//
// The attackers are separate libp2p nodes made here with the project's own createPeerNetwork
// (fresh data directories, so fresh peer ids), dialing node 0 directly; the bad request bytes
// go over raw streams so that nothing on the attacking side can tidy them up first.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@libp2p/interface';
import { multiaddr } from '@multiformats/multiaddr';
import * as lp from 'it-length-prefixed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressFromPublicKey, createLocalSigner, createNobleBackend, parseAddress, schemeInfo } from '../../core/crypto/index.ts';
import { createCommittee } from '../../core/consensus/committee.ts';
import { encodeSignedTx, parseGenesis, signTx } from '../../core/state/index.ts';
import { decodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';
import { launchDevnet, type RunningDevnet } from './devnet/launch.ts';
import { writeDevnet, type DevnetManifest } from './devnet/files.ts';
import { createPeerNetwork, type KaldrixPeerNetwork } from './net/network.ts';
import { SEAL_OVERHEAD_BYTES } from './net/pqSession.ts';
import { PROTOCOLS, PROTOCOL_LIMITS, type RequestProtocolName } from '../../core/net/protocols.ts';
import { transactionTopic, vertexTopic } from './net/gossip.ts';
import { txBatchCap, txBatchCodec } from './net/_txBatch.ts';
import { MAX_TRANSACTION_BYTES_LIMIT } from '../../core/dag/index.ts';

type Status = { lastCommitIndex: string; lastCertifiedSequence: string; connectedPeers: number };
type ApiError = { error: string; message: string; field?: string; reject?: { code: string } };

async function status(apiUrl: string): Promise<Status | undefined> {
  const response = await fetch(`${apiUrl}/v1/status`).catch(() => undefined);
  return response?.ok === true ? ((await response.json()) as Status) : undefined;
}

const commitIndexOf = async (apiUrl: string): Promise<bigint> => BigInt((await status(apiUrl))?.lastCommitIndex ?? '0');

/** Polls until `check` holds (bounded). */
async function eventually(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms`);
}

describe('bad input against a 4-validator devnet', () => {
  let dir: string | undefined;
  let manifest: DevnetManifest;
  let devnet: RunningDevnet | undefined;
  let api: string;
  const attackers: KaldrixPeerNetwork[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kaldrix-badinput-'));
    manifest = await writeDevnet({ dir, validators: 4, users: 2, basePort: 31_000 + Math.floor(Math.random() * 50) * 40, chainId: 'kaldrix-badinput-test', genesisTimeMs: Date.now() });
    devnet = launchDevnet(manifest, { onLine: (line) => lines.push(line) });
    await devnet.waitReady(60_000);
    api = manifest.nodes[0]?.apiUrl ?? '';
  }, 75_000);

  afterAll(async () => {
    await Promise.all(attackers.map((a) => a.stop()));
    for (const [name, code] of devnet?.unexpectedExits() ?? []) console.error(`${name} exited with ${code}:\n${lines.filter((l) => l.startsWith(`[${name}]`)).slice(-30).join('\n')}`);
    await devnet?.stopAll(10_000);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, 40_000);

  /**
   * libp2p's connection manager refuses a sixth inbound connection from one host within a second
   * (its inboundConnectionThreshold, 5) by resetting it, and every attacker dials from 127.0.0.1:
   * attackers dial at most four times a second, or a fast machine's probes meet that limit
   * instead of the checks they are about.
   */
  const DIAL_SPACING_MS = 250;
  let lastDialMs = 0;

  /** A libp2p node of our own making with a fresh identity, connected to node 0. */
  async function attacker(): Promise<{ net: KaldrixPeerNetwork; connection: Connection }> {
    const dataDir = await mkdtemp(join(dir ?? tmpdir(), 'attacker-'));
    const genesis = parseGenesis(readFileSync(manifest.genesisPath, 'utf8'));
    if (!genesis.ok) throw new Error('devnet genesis does not parse');
    // The committee's keys, so the validators' seat claims in the PQ handshake check out.
    const members = createCommittee(0n, genesis.value.validators).members.map((m) => ({ index: m.index, publicKey: m.key }));
    const net = await createPeerNetwork({
      chainId: manifest.chainId,
      validatorKeys: () => members,
      dataDir,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      requests: { vertexBytes: () => undefined, latestOwnVertex: () => undefined, commitRange: () => undefined, latestCertificate: () => undefined, epochCertificates: () => [], accountProof: () => undefined, resumeOffer: async () => ({ commitLogFrom: undefined, point: undefined }), resumePiece: async () => undefined },
      inbound: { vertex: () => undefined, transaction: () => ({ kind: 'ignore' }) },
    });

    attackers.push(net);
    await net.start();
    const waitMs = lastDialMs + DIAL_SPACING_MS - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    lastDialMs = Date.now();
    const connection = await net.libp2p.dial(multiaddr(manifest.nodes[0]?.tcp ?? ''), { signal: AbortSignal.timeout(10_000) });
    return { net, connection };
  }

  /** An attacker that node 0's transaction topic is known to, and whether it is still connected to node 0. */
  async function gossipAttacker() {
    const target = manifest.nodes[0];
    if (target === undefined) throw new Error('no node 0');
    const { net } = await attacker();
    const pubsub = net.libp2p.services.pubsub;
    const txTopic = transactionTopic(manifest.chainId);
    await eventually('node 0 subscribed as seen by the attacker', 10_000, () => pubsub.getSubscribers(txTopic).some((p) => p.toString() === target.peerId), 50);
    const connectedToTarget = () => net.libp2p.getConnections().some((c) => c.remotePeer.toString() === target.peerId && c.status === 'open');
    return { net, pubsub, txTopic, target, connectedToTarget };
  }

  /** Sends `bytes` raw on a new stream and collects whatever comes back before the stream ends. */
  async function exchange(connection: Connection, protocol: string, bytes: Uint8Array): Promise<number> {
    const signal = AbortSignal.timeout(10_000);
    let received = 0;
    try {
      const stream = await connection.newStream(protocol, { signal });
      stream.send(bytes);
      await stream.close({ signal }).catch(() => undefined);
      for await (const chunk of stream) received += chunk.byteLength;
    } catch {
      // A refused request ends in a reset: that is the expected outcome, not a failure.
    }
    return received;
  }

  const post = (body: BodyInit, contentType: string) => fetch(`${api}/v1/transactions`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const getJson = async (path: string): Promise<{ status: number; body: ApiError }> => {
    const response = await fetch(`${api}${path}`);
    return { status: response.status, body: (await response.json()) as ApiError };
  };

  it('HTTP: bad bodies and params get 4xx JSON errors naming the field', async () => {
    const badBodies: [string, string, number, string, string | undefined][] = [
      ['{"hex":"zz"}', 'application/json', 400, 'BAD_REQUEST', 'body.hex'],
      ['{"hex":"abc"}', 'application/json', 400, 'BAD_REQUEST', 'body.hex'],
      ['{"base64":"***"}', 'application/json', 400, 'BAD_REQUEST', 'body.base64'],
      ['{"sneaky":1}', 'application/json', 400, 'BAD_REQUEST', 'body.sneaky'],
      ['{}', 'application/json', 400, 'BAD_REQUEST', 'body'],
      ['{"hex":"00","base64":"AAAA"}', 'application/json', 400, 'BAD_REQUEST', 'body'],
      ['{"hex":', 'application/json', 400, 'BAD_REQUEST', 'body'],
      ['[1,2,3]', 'application/json', 400, 'BAD_REQUEST', 'body'],
      // fastify parses text/plain itself, so it reaches the handler as a body without hex or base64.
      ['hello', 'text/plain', 400, 'BAD_REQUEST', 'body'],
      ['<tx/>', 'application/xml', 415, 'UNSUPPORTED_MEDIA_TYPE', undefined],
      ['', 'application/octet-stream', 400, 'BAD_REQUEST', 'body'],
    ];
    for (const [body, contentType, code, error, field] of badBodies) {
      const response = await post(body, contentType);
      const answer = (await response.json()) as ApiError;
      expect([body, response.status, answer.error, answer.field]).toEqual([body, code, error, field]);
      expect(answer.message.length).toBeGreaterThan(0);
    }
    // Oversized: one byte over the body limit (default 256 KiB), refused before it is parsed.
    const oversized = await post(new Uint8Array(256 * 1024 + 1), 'application/octet-stream');
    expect(oversized.status).toBe(413);
    expect(((await oversized.json()) as ApiError).error).toBe('PAYLOAD_TOO_LARGE');
    // Garbage bytes pass the HTTP layer and are refused by the mempool's decoder, with its reason.
    const garbage = await post(new Uint8Array(200).fill(0xa5), 'application/octet-stream');
    const garbageAnswer = (await garbage.json()) as ApiError;
    expect([garbage.status, garbageAnswer.error]).toEqual([400, 'TX_REJECTED']);
    expect(typeof garbageAnswer.reject?.code).toBe('string');

    const hash = 'ab'.repeat(32);
    const badParams: [string, number, string, string][] = [
      ['/v1/transactions/nothex', 400, 'BAD_REQUEST', 'params.id'],
      [`/v1/transactions/${hash}ab`, 400, 'BAD_REQUEST', 'params.id'],
      ['/v1/accounts/notanaddress', 400, 'BAD_ADDRESS', 'params.address'],
      [`/v1/accounts/kdx1${'q'.repeat(40)}`, 400, 'BAD_ADDRESS', 'params.address'],
      ['/v1/checkpoints/abc', 400, 'BAD_REQUEST', 'params.sequence'],
      ['/v1/checkpoints/007', 400, 'BAD_REQUEST', 'params.sequence'],
      ['/v1/checkpoints/18446744073709551616', 400, 'BAD_REQUEST', 'params.sequence'],
      ['/v1/checkpoints?limit=0', 400, 'BAD_REQUEST', 'query.limit'],
      ['/v1/checkpoints?sneaky=1', 400, 'BAD_REQUEST', 'query.sneaky'],
      ['/v1/vertices/-1/0', 400, 'BAD_REQUEST', 'params.round'],
      ['/v1/vertices/x/0', 400, 'BAD_REQUEST', 'params.round'],
      ['/v1/vertices/1/70000', 400, 'BAD_REQUEST', 'params.author'],
      ['/v1/vertices/1/0?digest=zz', 400, 'BAD_REQUEST', 'query.digest'],
    ];
    for (const [path, code, error, field] of badParams) {
      const { status: got, body } = await getJson(path);
      expect([path, got, body.error, body.field]).toEqual([path, code, error, field]);
    }
    // A path parameter over fastify's maxParamLength (100) is cut off by fastify itself before
    // routing: still a JSON 4xx, but in fastify's own shape (no stable code, no field).
    const tooLong = await getJson(`/v1/accounts/kdx1${'q'.repeat(120)}`);
    expect(tooLong.status).toBe(414);
    expect(typeof tooLong.body.message).toBe('string');
    // Well-formed but absent is an answer, not a 4xx: an unknown id, a checkpoint not held.
    expect((await getJson(`/v1/transactions/${hash}`)).status).toBe(200);
  }, 30_000);

  /** A transfer signed by devnet user `user`, and the same bytes with one bit of the signature flipped. */
  async function transferAndForgery(user: number, nonce: bigint, amount: bigint): Promise<{ real: Uint8Array; forged: Uint8Array }> {
    const keys = decodePlaintextKeyFile(JSON.parse(readFileSync(manifest.users[user]?.keyPath ?? '', 'utf8')) as Record<string, unknown>);
    if (!keys.ok) throw new Error('devnet user key does not decode');
    const sender = addressFromPublicKey(schemeInfo(keys.value.scheme).tag, keys.value.publicKey);
    const to = parseAddress(manifest.nodes[1]?.address ?? '');
    if (!to.ok) throw new Error('devnet validator address does not parse');
    const tx = { chainId: manifest.chainId, sender, nonce, fee: 1000n, body: { kind: 'transfer' as const, value: { to: to.value, amount } } };
    const signed = await signTx(createLocalSigner(createNobleBackend(), keys.value), tx, { includePublicKey: false });
    const flipped = new Uint8Array(signed.signature.bytes);
    flipped[100] = (flipped[100] ?? 0) ^ 0x04;
    return { real: encodeSignedTx(signed), forged: encodeSignedTx({ ...signed, signature: { ...signed.signature, bytes: flipped } }) };
  }

  it('HTTP: a transaction with one bit of its signature flipped is refused as BAD_SIGNATURE; the real one is admitted', async () => {
    const { real, forged } = await transferAndForgery(0, 0n, 1n);
    const refused = await post(Buffer.from(forged), 'application/octet-stream');
    const answer = (await refused.json()) as ApiError;
    expect([refused.status, answer.error, answer.reject?.code]).toEqual([400, 'TX_REJECTED', 'BAD_SIGNATURE']);
    const admitted = await post(Buffer.from(real), 'application/octet-stream');
    expect(admitted.status).toBe(202);
  }, 30_000);

  it('p2p: gossiped transactions with forged signatures stop at the first node, which bans their sender; the real ones still get in', async () => {
    const { pubsub, txTopic, connectedToTarget } = await gossipAttacker();
    const codec = txBatchCodec(MAX_TRANSACTION_BYTES_LIMIT);
    const reals: Uint8Array[] = [];
    // Well-framed batches of well-formed transfers (in the sender's nonce window, paid for):
    // only the signature check can refuse them. 25 points each of the 100 before a ban.
    for (let i = 0; i < 10 && connectedToTarget(); i++) {
      const { real, forged } = await transferAndForgery(1, BigInt(i), 1n);
      reals.push(real);
      await pubsub.publish(txTopic, codec.encode([forged])).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await eventually('the attacker disconnected by node 0', 15_000, () => !connectedToTarget(), 100);
    const fromNode = (name: string) => lines.filter((l) => l.startsWith(`[${name}]`));
    expect(fromNode('v0').some((l) => l.includes('relayed an invalid transaction (BAD_SIGNATURE)'))).toBe(true);
    // Node 0 relayed none of them: its peers would have refused them too and blamed node 0.
    for (const name of ['v1', 'v2', 'v3']) expect(fromNode(name).filter((l) => l.includes('relayed an invalid transaction'))).toEqual([]);
    // The forgeries reserved nothing: the real transfers of the same nonces are admitted.
    for (const real of reals.slice(0, 3)) expect((await post(Buffer.from(real), 'application/octet-stream')).status).toBe(202);
    const commitsBefore = await commitIndexOf(api);
    await eventually('commits after the attack', 30_000, async () => (await commitIndexOf(api)) > commitsBefore + 3n);
    expect(devnet?.unexpectedExits().size).toBe(0);
  }, 90_000);

  it('p2p: malformed and oversized requests on every /kaldrix/... protocol get no answer', async () => {
    const commitsBefore = await commitIndexOf(api);
    const names = Object.keys(PROTOCOL_LIMITS) as RequestProtocolName[];
    // A fresh attacker per protocol, so no ban cuts the probing short; each probe is refused alone.
    for (const name of names) {
      const { net, connection } = await attacker();
      const limits = PROTOCOL_LIMITS[name];
      const capBytes = limits.requestBytes + (limits.sealed ? SEAL_OVERHEAD_BYTES : 0);
      // 0xff bytes: an unterminated varint to every codec, and never a valid seal.
      const malformed = lp.encode.single(new Uint8Array(Math.max(1, Math.min(capBytes, 7))).fill(0xff)).subarray();
      const oversized = lp.encode.single(new Uint8Array(capBytes + 1024).fill(0x01)).subarray();
      const notAFrame = new Uint8Array(12).fill(0xff);
      for (const [what, bytes] of [['malformed', malformed], ['oversized', oversized], ['not a frame', notAFrame]] as const) {
        expect([name, what, await exchange(connection, PROTOCOLS[name], bytes)]).toEqual([name, what, 0]);
      }
      // Control: the same connection still gets an answer to a well-formed request, so the zero
      // bytes above are refusals, not a dead link.
      if (name === 'latestCertificate') {
        const answer = await net.request(manifest.nodes[0]?.peerId ?? '', 'latestCertificate', new Uint8Array(0));
        expect(answer.ok).toBe(true);
      }
    }
    // A handshake stream with garbage is a failed handshake: refused too.
    const { connection } = await attacker();
    expect(await exchange(connection, PROTOCOLS.pqHandshake, lp.encode.single(new Uint8Array(64).fill(0xee)).subarray())).toBe(0);
    await eventually('commits after the probes', 30_000, async () => (await commitIndexOf(api)) > commitsBefore + 3n);
  }, 60_000);

  it('p2p: oversized and garbage gossip gets the sender banned and disconnected; the node keeps committing', async () => {
    const { net, pubsub, txTopic, target, connectedToTarget } = await gossipAttacker();
    const commitsBefore = await commitIndexOf(api);
    // Garbage under the caps first (the validator's decoders refuse it), then over the cap.
    await pubsub.publish(vertexTopic(manifest.chainId), new Uint8Array(300).fill(0x5a)).catch(() => undefined);
    await pubsub.publish(txTopic, new Uint8Array(300).fill(0x5b)).catch(() => undefined);
    // Each oversized message costs 25 points of the 100 before a ban; distinct bytes, distinct message ids.
    for (let i = 0; i < 8 && connectedToTarget(); i++) {
      await pubsub.publish(txTopic, new Uint8Array(txBatchCap(MAX_TRANSACTION_BYTES_LIMIT) + 1 + i).fill(i)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await eventually('the attacker disconnected by node 0', 15_000, () => !connectedToTarget(), 100);
    // Banned, not just dropped: a redial does not give it a lasting connection.
    await net.libp2p.dial(multiaddr(target.tcp), { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    await eventually('the redial refused', 5_000, () => !connectedToTarget(), 100);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connectedToTarget()).toBe(false);
    // Node 0 keeps its validator peers and keeps committing.
    await eventually('commits after the attack', 30_000, async () => (await commitIndexOf(api)) > commitsBefore + 3n);
    expect((await status(api))?.connectedPeers).toBeGreaterThanOrEqual(3);
    // ... and keeps certifying (the known-bug probes below need a certificate held).
    await eventually('a certified checkpoint on node 0', 60_000, async () => BigInt((await status(api))?.lastCertifiedSequence ?? '0') >= 1n, 500);
    expect(devnet?.unexpectedExits().size).toBe(0);
  }, 120_000);

  // Two lookups the API once got wrong (the backend asked for the newest certificate below
  // sequence + 1: an overflow at 2^64 − 1, and an older checkpoint for one not yet certified).
  it('GET /v1/checkpoints/<2^64 - 1> answers 404 NOT_FOUND', async () => {
    const answer = await getJson('/v1/checkpoints/18446744073709551615');
    expect([answer.status, answer.body.error]).toEqual([404, 'NOT_FOUND']);
  });

  it('GET /v1/checkpoints/:sequence for a sequence not yet certified answers 404, not an older checkpoint', async () => {
    const answer = await getJson('/v1/checkpoints/1000000');
    expect([answer.status, answer.body.error]).toEqual([404, 'NOT_FOUND']);
  });
});
