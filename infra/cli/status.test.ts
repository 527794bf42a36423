import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiUrl, parseApiUrl } from './_http.ts';
import { sampleStatus, startTestApi, TEST_CHAIN_ID, type TestApi } from './_apiTestServer.ts';
import { run } from './_cliTest.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.script.status = sampleStatus();
  api.requests.length = 0;
});

describe('kaldrix status', () => {
  it('prints a readable summary of GET /v1/status', async () => {
    const r = await run(['status', '--api', api.url]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe([
      `api           ${api.url}`,
      `chain         ${TEST_CHAIN_ID} (kaldrix 0.1.0)`,
      'node          validator seat 1, peer 12D3KooWtest',
      'epoch         2',
      'round         57 (highest seen 58)',
      'last commit   index 41, 12 transactions executed',
      'certified     sequence 4 (last checkpoint 5)',
      'leaders       40 committed, 3 skipped (view changes)',
      'peers         3 connected',
      'mempool       7 transactions',
      `state root    ${'bb'.repeat(32)}`,
      '',
    ].join('\n'));
    expect(api.requests).toEqual(['GET /v1/status']);
  });

  it('shows an observer, a closing epoch and a recovering node; optional fields may be absent', async () => {
    const { selfIndex: _seat, peerId: _peer, version: _version, stateRoot: _root, ...rest } = sampleStatus();
    api.script.status = { ...rest, epochClosing: true, recovering: true };
    const r = await run(['status', '--api', `${api.url}/`]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`chain         ${TEST_CHAIN_ID}\n`);
    expect(r.out).toContain('node          observer\n');
    expect(r.out).toContain('epoch         2 (closing: waiting for its final certificate)\n');
    expect(r.out).toContain('recovering    yes');
    expect(r.out).not.toContain('state root');
    expect(r.out).not.toContain('resume point');
  });

  it('shows where the node keeps its resume points when it reports them', async () => {
    api.script.status = { ...sampleStatus(), resumePointSequence: '120', resumedFromSequence: '80', storedCommitFloor: '2001' };
    const r = await run(['status', '--api', api.url]);
    expect(r.out).toContain('resume point  checkpoint 120 (started from checkpoint 80); commits stored from index 2001\n');
    api.script.status = { ...sampleStatus(), resumePointSequence: '0', resumedFromSequence: '0', storedCommitFloor: '0' };
    expect((await run(['status', '--api', api.url])).out).toContain('resume point  none yet (started from genesis); commits stored from index 0\n');
  });

  it('says when the start point was taken from a peer, and from which commit the node serves ranges', async () => {
    api.script.status = { ...sampleStatus(), resumePointSequence: '300', resumedFromSequence: '300', resumedFromPeer: true, storedCommitFloor: '2401', commitLogFrom: '2401' };
    const r = await run(['status', '--api', api.url]);
    expect(r.out).toContain('resume point  checkpoint 300 (started from checkpoint 300, taken from a peer); commits stored from index 2401\n');
    expect(r.out).toContain('serves ranges from commit 2401 (a peer further behind needs state sync)\n');
    api.script.status = { ...sampleStatus(), commitLogFrom: '0' };
    expect((await run(['status', '--api', api.url])).out).toContain('serves ranges none yet\n');
    expect((await run(['status', '--api', api.url])).out).not.toContain('state sync');
    api.script.status = { ...sampleStatus(), stateSyncsWhileRunning: 2 };
    expect((await run(['status', '--api', api.url])).out).toContain("state sync    2 times while running (it fell behind every peer's commit log)\n");
  });

  it('--json prints the status object as the API sent it', async () => {
    const r = await run(['status', '--api', api.url, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(sampleStatus());
    expect(r.out.endsWith('}\n')).toBe(true);
  });

  it('an unreachable API exits 3 with one line naming the URL', async () => {
    const gone = await startTestApi();
    await gone.close();
    const r = await run(['status', '--api', gone.url]);
    expect([r.code, r.out]).toEqual([3, '']);
    expect(r.err).toBe(`kaldrix status: cannot reach the API at '${gone.url}/v1/status': ECONNREFUSED (check --api and that the node is running)\n`);
  });

  it('an answer that is not a kaldrix status exits 3', async () => {
    api.script.status = { ...sampleStatus(), lastCommitIndex: 41 };
    const r = await run(['status', '--api', api.url]);
    expect([r.code, r.out]).toEqual([3, '']);
    expect(r.err).toBe(`kaldrix status: ${api.url}/v1/status is not a kaldrix node status (check --api: it must be a kaldrix node API)\n`);
  });

  it('bad or missing --api exits 2 without a request', async () => {
    expect(await run(['status'])).toMatchObject({ code: 2, err: 'kaldrix status: missing --api (see kaldrix status --help)\n' });
    expect(await run(['status', '--api', 'file:///etc/passwd'])).toMatchObject({ code: 2, err: expect.stringMatching(/^kaldrix status: --api 'file:\/\/\/etc\/passwd' is not an http or https URL/) as unknown });
    expect(await run(['status', '--api', 'http://h/?x=1'])).toMatchObject({ code: 2, err: expect.stringMatching(/has a query or fragment/) as unknown });
    expect(api.requests).toEqual([]);
  });

  it('--api keeps a path prefix (a node behind a reverse proxy)', () => {
    const parsed = parseApiUrl('https://example.org/kaldrix');
    if (!parsed.ok) throw new Error(parsed.error.what);
    expect(apiUrl(parsed.value, 'v1/status').href).toBe('https://example.org/kaldrix/v1/status');
  });
});
