/** Submitting to a peer's API: the request it makes, and how each kind of answer comes back. */
import { describe, expect, it } from 'vitest';
import { describeWalletError } from './errors.ts';
import { parseApiUrl, submitTransaction } from './submit.ts';

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(status: number, body: string, calls: Call[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

const BYTES = Uint8Array.of(1, 2, 3);

describe('submitTransaction', () => {
  it('POSTs the raw bytes as octet-stream to /v1/transactions and reads the 202 answer', async () => {
    const calls: Call[] = [];
    const answer = await submitTransaction(fakeFetch(202, '{"id":"ab12","status":"pending"}', calls), 'http://127.0.0.1:9012', BYTES);
    expect(answer).toEqual({ ok: true, value: { idHex: 'ab12', status: 'pending' } });
    expect(calls[0]?.url).toBe('http://127.0.0.1:9012/v1/transactions');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(new Headers(calls[0]?.init?.headers).get('content-type')).toBe('application/octet-stream');
    const sent = calls[0]?.init?.body;
    expect(sent instanceof Blob ? [...new Uint8Array(await sent.arrayBuffer())] : undefined).toEqual([1, 2, 3]);
  });

  it("shows a peer's refusal with the API's error code, message and reject code", async () => {
    const body = JSON.stringify({ error: 'TX_REJECTED', message: 'the mempool refused the transaction: NONCE_TOO_LOW', reject: { code: 'NONCE_TOO_LOW' } });
    const answer = await submitTransaction(fakeFetch(400, body), 'http://127.0.0.1:9012/', BYTES);
    expect(answer).toEqual({
      ok: false,
      error: { code: 'PEER_REFUSED', httpStatus: 400, apiCode: 'TX_REJECTED', message: 'the mempool refused the transaction: NONCE_TOO_LOW', rejectCode: 'NONCE_TOO_LOW' },
    });
    if (!answer.ok) expect(describeWalletError(answer.error)).toContain('TX_REJECTED, NONCE_TOO_LOW');
  });

  it('reports an unreachable peer and a non-JSON error page', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await submitTransaction(failing, 'http://127.0.0.1:1', BYTES)).toEqual({ ok: false, error: { code: 'PEER_UNREACHABLE', message: 'Failed to fetch' } });
    expect(await submitTransaction(fakeFetch(502, '<html>bad gateway</html>'), 'http://x.test', BYTES)).toMatchObject({
      ok: false,
      error: { code: 'PEER_REFUSED', httpStatus: 502, apiCode: 'HTTP_ERROR' },
    });
  });

  it('refuses URLs that are not http(s) before sending anything', async () => {
    const calls: Call[] = [];
    expect(await submitTransaction(fakeFetch(202, '{}', calls), 'ftp://peer', BYTES)).toMatchObject({ ok: false, error: { code: 'BAD_API_URL' } });
    expect(parseApiUrl('not a url')).toMatchObject({ ok: false, error: { code: 'BAD_API_URL' } });
    expect(parseApiUrl('http://user:pw@peer.test')).toMatchObject({ ok: false, error: { code: 'BAD_API_URL' } });
    expect(calls).toHaveLength(0);
  });
});
