import { base64 } from '@scure/base';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAddress, toHex } from '../../../core/crypto/index.ts';
import { COMMITTED_ID, createFakeBackend, DUPLICATE_TX, knownAddress, PENDING_ID, vertexBytes, type FakeBackend } from './_fakeBackend.ts';
import { createApiServer, type ApiServerOptions } from './index.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
function server(options: ApiServerOptions = {}, backend: FakeBackend = createFakeBackend()): { app: FastifyInstance; backend: FakeBackend } {
  const app = createApiServer(backend, options);
  apps.push(app);
  return { app, backend };
}
type Json = Record<string, unknown> & { error?: string; field?: string; message?: string };
async function get(app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
  const r = await app.inject({ method: 'GET', url, headers });
  return { status: r.statusCode, body: r.headers['content-type']?.toString().startsWith('application/json') ? (r.json() as Json) : { text: r.body }, headers: r.headers };
}
async function post(app: FastifyInstance, payload: string | Buffer, contentType = 'application/json'): Promise<{ status: number; body: Json }> {
  const r = await app.inject({ method: 'POST', url: '/v1/transactions', payload, headers: { 'content-type': contentType } });
  return { status: r.statusCode, body: r.json() as Json };
}

describe('probes', () => {
  it('/healthz answers while the process serves', async () => {
    expect(await get(server().app, '/healthz')).toMatchObject({ status: 200, body: { live: true } });
  });

  it('/readyz is 200 when started, caught up and with enough peers; 503 otherwise, with the inputs', async () => {
    const { app, backend } = server();
    expect(await get(app, '/readyz')).toMatchObject({ status: 200, body: { ready: true } });
    backend.ready = { started: true, connectedPeers: 2, minPeers: 3, caughtUp: true };
    expect(await get(app, '/readyz')).toMatchObject({ status: 503, body: { ready: false, connectedPeers: 2, minPeers: 3 } });
    backend.ready = { started: true, connectedPeers: 3, minPeers: 3, caughtUp: false };
    expect((await get(app, '/readyz')).status).toBe(503);
    backend.ready = { started: false, connectedPeers: 3, minPeers: 3, caughtUp: true };
    expect((await get(app, '/readyz')).status).toBe(503);
  });

  it('/metrics passes the Prometheus text and its content type through', async () => {
    const r = await get(server().app, '/metrics');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ text: 'kaldrix_round 7\n' });
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

describe('chain routes', () => {
  it('/v1/status: bigints as decimal strings, hashes as hex', async () => {
    const { body } = await get(server().app, '/v1/status');
    expect(body).toMatchObject({ epoch: '0', lastCommitIndex: '5', round: 12, peerId: '12D3KooWtest', version: '0.1.0', rejects: { BAD_SIGNATURE: 2 } });
    expect(body['stateRoot']).toBe('02'.repeat(32));
    expect(body['multiaddrs']).toEqual(['/ip4/127.0.0.1/tcp/7000']);
  });

  it('/v1/checkpoints pages newest first with a cursor', async () => {
    const { app } = server();
    const first = await get(app, '/v1/checkpoints?limit=2');
    const seqs = (b: Json): unknown[] => (b['checkpoints'] as Json[]).map((c) => c['sequence']);
    expect(seqs(first.body)).toEqual(['5', '4']);
    expect(first.body['next']).toBe('4');
    const second = await get(app, '/v1/checkpoints?limit=2&before=4');
    expect(seqs(second.body)).toEqual(['3', '2']);
    const last = await get(app, '/v1/checkpoints?limit=2&before=2');
    expect(seqs(last.body)).toEqual(['1']);
    expect(last.body['next']).toBeNull();
    const all = await get(app, '/v1/checkpoints');
    expect((all.body['checkpoints'] as Json[])[0]).toMatchObject({ sequence: '5', lastCommitIndex: '50', signerCount: 3, memberCount: 4, endsEpoch: true });
  });

  it('/v1/checkpoints/:sequence gives the certificate in hex and base64 with its decoded summary', async () => {
    const { body, status } = await get(server().app, '/v1/checkpoints/5');
    expect(status).toBe(200);
    expect(body).toMatchObject({ sequence: '5', signers: [0, 1, 3], signatureSchemes: ['ml-dsa-44', 'ml-dsa-44', 'ml-dsa-44'] });
    const cert = body['certificate'] as { hex: string; base64: string };
    expect(toHex(base64.decode(cert.base64))).toBe(cert.hex);
    expect((body['nextCommittee'] as Json[])[0]?.['address']).toMatch(/^kdx1/);
  });

  it('/v1/vertices/:round/:author gives every vertex of the slot, or the one with ?digest=', async () => {
    const { app } = server();
    const both = await get(app, '/v1/vertices/7/2');
    const vertices = both.body['vertices'] as Json[];
    expect(vertices.map((v) => v['timestampMs'])).toEqual([1000, 2000]);
    expect((vertices[0]?.['vertex'] as { hex: string }).hex).toBe(toHex(vertexBytes[0] as Uint8Array));
    const digest = String(vertices[1]?.['digest']);
    const one = await get(app, `/v1/vertices/7/2?digest=${digest.toUpperCase()}`);
    expect((one.body['vertices'] as Json[]).map((v) => v['timestampMs'])).toEqual([2000]);
  });

  it('/v1/validators lists the committee with bech32m addresses', async () => {
    const { body } = await get(server().app, '/v1/validators');
    expect(body).toMatchObject({ epoch: '3', totalStake: '400' });
    const validators = body['validators'] as Json[];
    expect(validators).toHaveLength(4);
    expect(validators[0]).toMatchObject({ index: 0, stake: '100', key: { scheme: 'ml-dsa-44' } });
    expect(String(validators[0]?.['address'])).toMatch(/^kdx1/);
  });
});

describe('transactions and accounts', () => {
  it('accepts a transaction as hex, base64 or raw bytes with 202 and the id', async () => {
    const { app, backend } = server();
    const tx = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
    for (const [payload, type] of [[JSON.stringify({ hex: 'DEADBEEF' }), 'application/json'], [JSON.stringify({ base64: base64.encode(tx) }), 'application/json'], [Buffer.from(tx), 'application/octet-stream']] as const) {
      const r = await post(app, payload, type);
      expect(r).toEqual({ status: 202, body: { id: 'cc'.repeat(32), status: 'pending' } });
    }
    expect(backend.submitted.map(toHex)).toEqual(['deadbeef', 'deadbeef', 'deadbeef']);
    expect(backend.submitted.every((b) => b.constructor === Uint8Array)).toBe(true);
  });

  it('answers 400 TX_REJECTED with the mempool typed reject', async () => {
    const r = await post(server().app, JSON.stringify({ hex: toHex(DUPLICATE_TX) }));
    expect(r).toEqual({ status: 400, body: { error: 'TX_REJECTED', message: 'the mempool refused the transaction: DUPLICATE', reject: { code: 'DUPLICATE', id: toHex(PENDING_ID) } } });
  });

  it('400 BAD_REQUEST names the body field and why', async () => {
    const { app, backend } = server();
    const cases: [string, string][] = [
      [JSON.stringify({ hex: 'xyz' }), 'body.hex'],
      [JSON.stringify({ hex: 'abc' }), 'body.hex'],
      [JSON.stringify({ base64: '!!!!' }), 'body.base64'],
      [JSON.stringify({ base64: 'AAA' }), 'body.base64'],
      [JSON.stringify({ tx: 'ab' }), 'body.tx'],
      [JSON.stringify({ hex: 'ab', base64: 'AA==' }), 'body'],
      [JSON.stringify({}), 'body'],
      [JSON.stringify(['ab']), 'body'],
    ];
    for (const [payload, field] of cases) {
      const r = await post(app, payload);
      expect(r.status, payload).toBe(400);
      expect(r.body, payload).toMatchObject({ error: 'BAD_REQUEST', field });
    }
    expect(await post(app, Buffer.alloc(0), 'application/octet-stream')).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    expect(await post(app, '{"hex": ')).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'body' } });
    expect(backend.submitted).toHaveLength(0);
  });

  it('413 above the body limit, for JSON and raw bodies; 415 for other content types', async () => {
    const { app, backend } = server({ bodyLimitBytes: 1024 });
    expect(await post(app, JSON.stringify({ hex: 'ab'.repeat(600) }))).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 } });
    expect(await post(app, Buffer.alloc(1025), 'application/octet-stream')).toMatchObject({ status: 413, body: { error: 'PAYLOAD_TOO_LARGE' } });
    expect((await post(app, Buffer.alloc(1024, 1), 'application/octet-stream')).status).toBe(202);
    expect(await post(app, 'hex=ab', 'application/x-www-form-urlencoded')).toMatchObject({ status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(backend.submitted).toHaveLength(1);
  });

  it('/v1/transactions/:id: pending, committed with commit index and receipt, unknown', async () => {
    const { app } = server();
    expect((await get(app, `/v1/transactions/${toHex(PENDING_ID)}`)).body).toEqual({ id: toHex(PENDING_ID), status: 'pending' });
    expect((await get(app, `/v1/transactions/${toHex(COMMITTED_ID).toUpperCase()}`)).body).toEqual({
      id: toHex(COMMITTED_ID), status: 'committed', commitIndex: '42', receipt: { id: toHex(COMMITTED_ID), status: 'applied', feeCharged: '7' },
    });
    expect((await get(app, `/v1/transactions/${'00'.repeat(32)}`)).body).toMatchObject({ status: 'unknown', indexedFromCommit: '1' });
  });

  it('/v1/accounts/:address: the account with its proof, or its absence with an exclusion proof', async () => {
    const { app } = server();
    const known = await get(app, `/v1/accounts/${encodeAddress(knownAddress)}`);
    expect(known.body).toMatchObject({ exists: true, account: { balance: '9223372036854775813', nonce: '3', stake: '0' }, proof: '090807', commitIndex: '5', certifiedSequence: '5' });
    const other = await get(app, `/v1/accounts/${encodeAddress(new Uint8Array(33))}`);
    expect(other.body).toMatchObject({ exists: false, account: null, proof: '090807' });
    expect(other.body).not.toHaveProperty('certifiedSequence');
  });

  it('400 BAD_ADDRESS with core’s reason for a bad address', async () => {
    const good = encodeAddress(knownAddress);
    const typo = `${good.slice(0, -1)}${good.endsWith('q') ? 'p' : 'q'}`;
    expect(await get(server().app, `/v1/accounts/${typo}`)).toMatchObject({ status: 400, body: { error: 'BAD_ADDRESS', field: 'params.address', reason: { code: 'BAD_CHECKSUM' } } });
  });
});

describe('validation, 404 and CORS', () => {
  it('400 BAD_REQUEST names the param or query field', async () => {
    const { app } = server({ maxPageItems: 10 });
    const cases: [string, string][] = [
      ['/v1/checkpoints?limit=0', 'query.limit'],
      ['/v1/checkpoints?limit=11', 'query.limit'],
      ['/v1/checkpoints?limit=x', 'query.limit'],
      ['/v1/checkpoints?before=-1', 'query.before'],
      ['/v1/checkpoints?before=18446744073709551616', 'query.before'],
      ['/v1/checkpoints?colour=red', 'query.colour'],
      ['/v1/checkpoints/01', 'params.sequence'],
      ['/v1/checkpoints/99999999999999999999', 'params.sequence'],
      ['/v1/vertices/x/1', 'params.round'],
      ['/v1/vertices/1/70000', 'params.author'],
      ['/v1/vertices/1/1?digest=ab', 'query.digest'],
      ['/v1/transactions/abc', 'params.id'],
    ];
    for (const [url, field] of cases) {
      const r = await get(app, url);
      expect(r.status, url).toBe(400);
      expect(r.body, url).toMatchObject({ error: 'BAD_REQUEST', field });
      expect(r.body.message, url).toContain(field);
    }
  });

  it('404 JSON for unknown routes and for keys not held', async () => {
    const { app } = server();
    expect(await get(app, '/v2/nothing?x=1')).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', message: 'no route GET /v2/nothing' } });
    expect(await get(app, '/v1/checkpoints/9')).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await get(app, '/v1/vertices/8/2')).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await get(app, `/v1/vertices/7/2?digest=${'00'.repeat(32)}`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('500 INTERNAL without details when the backend fails', async () => {
    const backend = createFakeBackend();
    const { app } = server({}, { ...backend, certificate: async () => Uint8Array.of(1, 2, 3) });
    expect(await get(app, '/v1/checkpoints/1')).toEqual(expect.objectContaining({ status: 500, body: { error: 'INTERNAL', message: 'internal error' } }));
  });

  it('CORS: configured origins get the header and preflights; others get none', async () => {
    const { app } = server({ corsOrigins: ['https://app.example.org'] });
    const allowed = await get(app, '/v1/status', { origin: 'https://app.example.org' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(allowed.headers['vary']).toContain('Origin');
    const other = await get(app, '/v1/status', { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/transactions', headers: { origin: 'https://app.example.org', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');
    const refused = await app.inject({ method: 'OPTIONS', url: '/v1/transactions', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('CORS "*" allows any origin; no configured origin means no CORS headers', async () => {
    const any = await get(server({ corsOrigins: ['*'] }).app, '/healthz', { origin: 'https://x.example' });
    expect(any.headers['access-control-allow-origin']).toBe('*');
    const none = await get(server().app, '/healthz', { origin: 'https://x.example' });
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses bad options (caller bugs)', () => {
    expect(() => createApiServer(createFakeBackend(), { maxPageItems: 0 })).toThrow(RangeError);
  });
});
