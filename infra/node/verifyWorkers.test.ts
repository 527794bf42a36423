// The Node verify pool with real worker threads (each starts tsx and loads its backend: about
// a second per thread on a 2-core machine, so the pools here are few and shared per backend).
import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { contextBytes } from '../../core/crypto/contexts.ts';
import type { VerifyItem } from '../../core/crypto/types.ts';
import { createVerifyPool, type VerifyPool } from '../../core/crypto/verifyPool.ts';
import { createNativeSha256CacheKeyHasher, createNodeVerifyPool, spawnNodeVerifyWorker, type NodeVerifyBackendName, type NodeVerifyWorkerPort } from './verifyWorkers.ts';

const noble = createNobleBackend();

/** ML-DSA-44 items: even positions valid, odd positions forged; both the empty and a KALDRIX context. */
function mixedItems(count: number): { items: VerifyItem[]; expected: boolean[] } {
  const keys = noble.keygen('ml-dsa-44', new Uint8Array(32).fill(7));
  const items: VerifyItem[] = [];
  const expected: boolean[] = [];
  for (let n = 0; n < count; n++) {
    const context = n % 4 < 2 ? new Uint8Array(0) : contextBytes('kaldrix/tx/v1');
    const message = new Uint8Array([n, 0xaa]);
    const signature = noble.sign('ml-dsa-44', keys.secretKey, message, context);
    const isValid = n % 2 === 0;
    if (!isValid) signature[100] = (signature[100] as number) ^ 0x40;
    items.push({ scheme: 'ml-dsa-44', publicKey: keys.publicKey, message, signature, context });
    expected.push(isValid);
  }
  return { items, expected };
}

function nodePool(backend: NodeVerifyBackendName): { pool: VerifyPool; ports: NodeVerifyWorkerPort[] } {
  const ports: NodeVerifyWorkerPort[] = [];
  const pool = createVerifyPool(
    {
      spawn: (index) => {
        const port = spawnNodeVerifyWorker(index, backend);
        ports.push(port);
        return port;
      },
      cacheKeyHasher: createNativeSha256CacheKeyHasher(),
    },
    { workers: 2, batchSize: 4 },
  );
  return { pool, ports };
}

const exited = (thread: Worker): Promise<number> => new Promise((resolve) => thread.once('exit', resolve));

describe.each(['noble', 'liboqs'] as const)('Node verify pool (%s backend, 2 threads)', (backend) => {
  let pool: VerifyPool;
  let ports: NodeVerifyWorkerPort[];
  const { items, expected } = mixedItems(16);

  beforeAll(() => ({ pool, ports } = nodePool(backend)));
  afterAll(() => pool.close());

  it('verifies a mixed batch of valid and forged signatures, in order, on both threads', async () => {
    expect(await pool.verifyBatch(items)).toEqual(expected);
    const stats = pool.stats();
    expect(stats.verified).toBe(16);
    expect(stats.perWorker.every((n) => n > 0)).toBe(true);
  });

  it('answers repeats of valid items from the cache', async () => {
    const before = pool.stats();
    expect(await pool.verifyBatch(items)).toEqual(expected);
    const after = pool.stats();
    expect(after.cacheHits - before.cacheHits).toBe(8);
    expect(after.verified - before.verified).toBe(8); // the forged half is verified again
  });

  it('fails the pending work of a killed thread with WORKER_CRASHED, then recovers', async () => {
    const { items: fresh, expected: freshExpected } = mixedItems(24);
    // Different messages from the first test's, so nothing is served from the cache.
    const renamed = fresh.map((item) => ({ ...item, message: new Uint8Array([...item.message, 1]) }));
    const pending = pool.verifyBatch(renamed);
    const victim = ports[0] as NodeVerifyWorkerPort;
    const outcome = expect(pending).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringMatching(/verify worker 0 died: thread exited/) });
    await victim.thread.terminate();
    await outcome;
    expect(pool.stats().respawns).toBe(1);
    // The respawned thread and the other one still give correct answers.
    const again = await pool.verifyBatch(fresh);
    expect(again).toEqual(freshExpected);
  });
});

describe('close()', () => {
  it('ends every thread and fails what was pending', async () => {
    const { pool, ports } = nodePool('noble');
    const { items } = mixedItems(8);
    const pending = expect(pool.verifyBatch(items)).rejects.toMatchObject({ code: 'CLOSED' });
    const exits = ports.map((p) => exited(p.thread));
    await pool.close();
    await pending;
    expect(await Promise.all(exits)).toHaveLength(2);
    expect(ports.every((p) => p.thread.threadId === -1)).toBe(true);
  });
});

describe('createNodeVerifyPool', () => {
  it('builds a working pool from options alone, and refuses an unknown backend', async () => {
    const pool = createNodeVerifyPool({ backend: 'liboqs', workers: 1 });
    const { items, expected } = mixedItems(4);
    expect(pool.workers).toBe(1);
    expect(await pool.verifyBatch(items)).toEqual(expected);
    await pool.close();
    expect(() => createNodeVerifyPool({ backend: 'openssl' as NodeVerifyBackendName })).toThrow(TypeError);
  });
});

describe('createNativeSha256CacheKeyHasher', () => {
  it('is SHA-256 over the domain, a zero byte, then what the cache feeds it', () => {
    const state = createNativeSha256CacheKeyHasher().create();
    state.update(new Uint8Array([1, 2]));
    const expected = createHash('sha256').update('kaldrix/verify-cache/v1').update(new Uint8Array([0, 1, 2])).digest();
    expect(state.digest()).toEqual(new Uint8Array(expected));
  });
});
