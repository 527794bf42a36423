// The pool against in-process worker ports that run the real protocol (pack → answerVerifyRequest
// with the real noble backend → results), so everything but the thread itself is exercised.
// The Node shell with real threads is tested in infra/node/verifyWorkers.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from './backends/noble.ts';
import { contextBytes } from './contexts.ts';
import type { SignatureBackend, VerifyItem } from './types.ts';
import { createVerifyPool, VerifyPoolError, type VerifyPoolComponents } from './verifyPool.ts';
import { answerVerifyRequest, type VerifyRequest, type VerifyWorkerMessage, type VerifyWorkerPort } from './verifyProtocol.ts';

const noble = createNobleBackend();
const context = contextBytes('kaldrix/vote/v1');

type FakePort = VerifyWorkerPort & {
  readonly requests: VerifyRequest[];
  /** Answers the held request at position `n` (manual ports only). */
  answer(n: number): void;
  die(reason: string): void;
  terminated: boolean;
};

/** A port answering through the real protocol; `manual` ports hold requests until told. */
function fakePort(manual = false, backend: SignatureBackend = noble): FakePort {
  let handler: (m: VerifyWorkerMessage) => void = () => undefined;
  const held: VerifyRequest[] = [];
  const port: FakePort = {
    requests: [],
    terminated: false,
    postMessage(message) {
      port.requests.push(message);
      if (manual) held.push(message);
      else void Promise.resolve().then(() => handler(answerVerifyRequest([backend], message)));
    },
    onMessage: (h) => void (handler = h),
    terminate: () => void (port.terminated = true),
    answer(n) {
      const [request] = held.splice(n, 1);
      if (request !== undefined) handler(answerVerifyRequest([backend], request));
    },
    die: (reason) => handler({ type: 'fatal', reason }),
  };
  return port;
}

function poolWith(ports: FakePort[], init: Partial<Parameters<typeof createVerifyPool>[1]> = {}, components: Partial<VerifyPoolComponents> = {}) {
  const spawned: FakePort[] = [];
  const pool = createVerifyPool(
    {
      spawn: (index) => {
        const port = ports.shift() ?? fakePort();
        spawned[index] = port;
        return port;
      },
      ...components,
    },
    { workers: 2, ...init },
  );
  return { pool, spawned };
}

let good: VerifyItem[] = [];
let forged: VerifyItem[] = [];

beforeAll(() => {
  const keys = [1, 2, 3].map((n) => noble.keygen('ml-dsa-44', new Uint8Array(32).fill(n)));
  good = Array.from({ length: 6 }, (_, n) => {
    const { publicKey, secretKey } = keys[n % 3]!;
    const message = new Uint8Array([n, 1, 2, 3]);
    return { scheme: 'ml-dsa-44', publicKey, message, signature: noble.sign('ml-dsa-44', secretKey, message, context), context };
  });
  forged = good.map((item, n) => {
    const signature = item.signature.slice();
    signature[10 + n] = (signature[10 + n] as number) ^ 0x01;
    return { ...item, signature };
  });
});

describe('verifyBatch', () => {
  it('answers a mixed batch in order across two workers', async () => {
    const { pool, spawned } = poolWith([], { batchSize: 2 });
    const items = [good[0]!, forged[1]!, good[2]!, forged[3]!, good[4]!, good[5]!, forged[0]!];
    expect(await pool.verifyBatch(items)).toEqual([true, false, true, false, true, true, false]);
    expect(spawned.every((p) => p.requests.length > 0)).toBe(true);
    expect(pool.stats()).toMatchObject({ verified: 7, valid: 4, queued: 0, inFlight: 0 });
    expect(pool.stats().perWorker.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('keeps order when batches come back out of order', async () => {
    const [a, b] = [fakePort(true), fakePort(true)];
    const { pool } = poolWith([a, b], { batchSize: 2 });
    const pending = pool.verifyBatch([good[0]!, forged[1]!, good[2]!, forged[3]!]);
    b.answer(0);
    a.answer(0);
    expect(await pending).toEqual([true, false, true, false]);
  });

  it('serves repeats of valid items from the cache, and never caches a forgery', async () => {
    const { pool } = poolWith([]);
    await pool.verifyBatch([good[0]!, forged[0]!]);
    expect(await pool.verifyBatch([good[0]!, forged[0]!])).toEqual([true, false]);
    expect(await pool.verify(forged[0]!)).toBe(false);
    expect(pool.stats()).toMatchObject({ cacheHits: 1, verified: 4 });
  });

  it('verifies identical items in flight once', async () => {
    const { pool } = poolWith([]);
    const [first, second] = await Promise.all([pool.verifyBatch([good[1]!, good[1]!, forged[1]!]), pool.verify(good[1]!)]);
    expect(first).toEqual([true, true, false]);
    expect(second).toBe(true);
    expect(pool.stats()).toMatchObject({ verified: 2, deduplicated: 2 });
  });

  it('runs without a cache (and without de-duplication) when cacheEntries is 0', async () => {
    const { pool } = poolWith([], { cacheEntries: 0 });
    expect(await pool.verifyBatch([good[0]!, good[0]!])).toEqual([true, true]);
    expect(await pool.verify(good[0]!)).toBe(true);
    expect(pool.stats()).toMatchObject({ verified: 3, cacheHits: 0, deduplicated: 0, cache: undefined });
  });

  it('verifies in the calling thread with 0 workers', async () => {
    const pool = createVerifyPool({ fallback: noble }, { workers: 0 });
    expect(await pool.verifyBatch([forged[2]!, good[2]!])).toEqual([false, true]);
    expect(pool.stats()).toMatchObject({ inThread: 2, workers: 0 });
  });

  it('refuses work beyond maxQueued with QUEUE_FULL, as a whole batch', async () => {
    const { pool } = poolWith([fakePort(true), fakePort(true)], { maxQueued: 2, batchSize: 1 });
    // Each worker holds two one-item batches (4 in flight); 2 more may wait; the 7th is refused.
    const accepted = [pool.verifyBatch(good.slice(0, 2)), pool.verifyBatch(good.slice(2, 4)), pool.verifyBatch(good.slice(4, 6))];
    expect(pool.stats()).toMatchObject({ queued: 2, inFlight: 4 });
    await expect(pool.verify(forged[0]!)).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    await expect(pool.verifyBatch(forged.slice(0, 3))).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    // A repeat of a queued statement adds no job, so it is still accepted.
    const repeat = pool.verify(good[5]!);
    await pool.close();
    for (const p of [...accepted, repeat]) await expect(p).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('throws TypeError/RangeError for malformed items and bad options', async () => {
    const { pool } = poolWith([]);
    await expect(pool.verify({ ...good[0]!, signature: [1, 2] as unknown as Uint8Array })).rejects.toThrow(TypeError);
    await expect(pool.verify({ ...good[0]!, context: new Uint8Array(256) })).rejects.toThrow(RangeError);
    expect(() => createVerifyPool({}, { workers: 2 })).toThrow(TypeError);
    expect(() => createVerifyPool({}, { workers: 0 })).toThrow(TypeError);
    expect(() => createVerifyPool({ fallback: noble }, { workers: -1 })).toThrow(RangeError);
    expect(() => createVerifyPool({ fallback: noble }, { workers: 0, batchSize: 0 })).toThrow(RangeError);
  });
});

describe('failure and shutdown', () => {
  it('fails exactly the crashed worker’s jobs, respawns it, and carries on', async () => {
    const [a, b] = [fakePort(true), fakePort(true)];
    const { pool, spawned } = poolWith([a, b], { batchSize: 1 });
    const onA = pool.verify(good[0]!);
    const onB = pool.verify(good[1]!);
    a.die('simulated crash');
    await expect(onA).rejects.toSatisfy((e: unknown) => e instanceof VerifyPoolError && e.code === 'WORKER_CRASHED' && /worker 0 died: simulated crash/.test(e.message));
    expect(a.terminated).toBe(true);
    b.answer(0);
    expect(await onB).toBe(true);
    expect(spawned[0]).not.toBe(a);
    expect(await pool.verify(forged[0]!)).toBe(false);
    expect(pool.stats()).toMatchObject({ respawns: 1, workers: 2 });
  });

  it('falls back in-thread once every slot is dead and respawns are used up', async () => {
    const [a, b] = [fakePort(true), fakePort(true)];
    const { pool } = poolWith([a, b], { maxRespawns: 0 }, { fallback: noble });
    const pending = pool.verifyBatch([good[3]!, forged[3]!, good[4]!, forged[4]!, good[5]!]);
    a.die('gone');
    b.die('gone');
    await expect(pending).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    expect(await pool.verifyBatch([good[3]!, forged[3]!])).toEqual([true, false]);
    expect(pool.stats()).toMatchObject({ workers: 0, inThread: 2 });
  });

  it('fails with NO_WORKERS when every slot is dead and there is no fallback', async () => {
    const { pool, spawned } = poolWith([fakePort(true), fakePort(true)], { maxRespawns: 0 });
    spawned.forEach((p) => p.die('gone'));
    await expect(pool.verify(good[0]!)).rejects.toMatchObject({ code: 'NO_WORKERS' });
  });

  it('reports a worker-side failure as WORKER_FAILED', async () => {
    let handler: (m: VerifyWorkerMessage) => void = () => undefined;
    const failing: VerifyWorkerPort = {
      onMessage: (h) => void (handler = h),
      postMessage: (m) => void Promise.resolve().then(() => handler({ type: 'failed', id: m.id, reason: 'backend failed to load' })),
      terminate: () => undefined,
    };
    const pool = createVerifyPool({ spawn: () => failing }, { workers: 1 });
    await expect(pool.verify(good[0]!)).rejects.toMatchObject({ code: 'WORKER_FAILED', message: expect.stringContaining('backend failed to load') });
  });

  it('close() fails what is pending, terminates every worker and refuses new work', async () => {
    const { pool, spawned } = poolWith([fakePort(true), fakePort(true)], { batchSize: 1 });
    const pending = pool.verifyBatch(good.slice(0, 6));
    await pool.close();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
    expect(spawned.map((p) => p.terminated)).toEqual([true, true]);
    await expect(pool.verify(good[0]!)).rejects.toMatchObject({ code: 'CLOSED' });
    await pool.close();
  });
});

describe('verifyUntilQuorum', () => {
  it('stops once the valid weight reaches the threshold, leaving the rest unverified', async () => {
    // No cache, so the repeated items are separate jobs: 36 of them, far more than fit in flight.
    const { pool } = poolWith([fakePort(), fakePort()], { cacheEntries: 0 });
    const items = [...good, ...forged, ...good, ...forged, ...good, ...forged];
    const weights = items.map(() => 1);
    const outcome = await pool.verifyUntilQuorum(items, weights, 3);
    expect(outcome.reached).toBe(true);
    expect(outcome.validWeight).toBeGreaterThanOrEqual(3);
    expect(outcome.outcomes.filter((o) => o === 'valid').length).toBe(outcome.validWeight);
    expect(outcome.outcomes).toContain('skipped');
    expect(pool.stats().verified).toBeLessThan(items.length);
  });

  it('gives up as soon as the remaining weight cannot reach the threshold (bigint weights)', async () => {
    const { pool } = poolWith([]);
    const items = [forged[0]!, forged[1]!, good[2]!, good[3]!];
    const outcome = await pool.verifyUntilQuorum(items, [40n, 30n, 20n, 10n], 67n);
    expect(outcome.reached).toBe(false);
    expect(typeof outcome.validWeight).toBe('bigint');
    // After the 40 fails, 60 is all that is left: the tally gives up without the rest.
    expect(outcome.outcomes).toEqual(['invalid', 'skipped', 'skipped', 'skipped']);
  });

  it('weighs a forgery as nothing even when its weight alone would pass', async () => {
    const { pool } = poolWith([]);
    const outcome = await pool.verifyUntilQuorum([forged[4]!, good[5]!], [100, 1], 67);
    expect(outcome).toEqual({ reached: false, validWeight: 0, outcomes: ['invalid', 'skipped'] });
  });

  it('is decided by cache hits alone, and checks its arguments', async () => {
    const { pool } = poolWith([]);
    await pool.verifyBatch(good.slice(0, 3));
    const before = pool.stats().verified;
    const outcome = await pool.verifyUntilQuorum(good.slice(0, 3), [1, 1, 1], 2);
    expect(outcome.reached).toBe(true);
    expect(pool.stats().verified).toBe(before);
    await expect(pool.verifyUntilQuorum(good.slice(0, 2), [1], 1)).rejects.toThrow(RangeError);
    await expect(pool.verifyUntilQuorum(good.slice(0, 1), [1], 0)).rejects.toThrow(RangeError);
    await expect(pool.verifyUntilQuorum(good.slice(0, 1), [-1], 1)).rejects.toThrow(RangeError);
    await expect(pool.verifyUntilQuorum(good.slice(0, 1), [1n] as unknown as number[], 1)).rejects.toThrow(TypeError);
  });

  it('works in-thread with 0 workers, stopping early there too', async () => {
    const pool = createVerifyPool({ fallback: noble }, { workers: 0 });
    const outcome = await pool.verifyUntilQuorum(good.slice(0, 6), [1, 1, 1, 1, 1, 1], 2);
    expect(outcome).toMatchObject({ reached: true, validWeight: 2 });
    expect(pool.stats().inThread).toBeLessThan(6);
  });
});
