// A run sliced and steered live reaches the same digest as a replay of its fault script.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN_CONFIG } from './config.ts';
import { createSimSession } from './session.ts';

const config = { ...DEFAULT_RUN_CONFIG, validators: 4, seed: 7, tps: 10 };

describe('simulator session', () => {
  it('replaying the recorded script reaches the live run digest, however the live run was sliced', async () => {
    const live = await createSimSession(config, []);
    for (let t = 137; t < 900; t += 137) await live.advanceTo(t, 50);
    while (!(await live.advanceTo(900, 50)));
    expect(await live.inject({ kind: 'crash', node: 3 })).toBeUndefined();
    while (!(await live.advanceTo(1_700, 333)));
    await live.inject({ kind: 'partition', spec: { kind: 'groups', groups: [[0, 1], [2, 3]] } });
    await live.advanceTo(2_000, 1e9);
    const liveSnapshot = live.snapshot();
    expect(live.script.map((a) => a.atMs)).toEqual([900, 1_700]);

    const replay = await createSimSession(config, live.script);
    expect(await replay.advanceTo(2_000, 1e9)).toBe(true);
    const replaySnapshot = replay.snapshot();
    expect(replaySnapshot.digest).toBe(liveSnapshot.digest);
    expect(replaySnapshot.commitDigest).toBe(liveSnapshot.commitDigest);
    expect(replaySnapshot.commits).toBeGreaterThan(0);
    expect(replay.drainEvents(1e6).some((e) => e.type === 'fault')).toBe(true);
  });

  it('refuses faults that do not fit the run as typed errors, and branch drops the later script', async () => {
    const session = await createSimSession(config, [{ atMs: 500, action: { kind: 'crash', node: 1 } }]);
    expect(await session.inject({ kind: 'crash', node: 9 })).toMatchObject({ code: 'BAD_FAULT' });
    expect(await session.inject({ kind: 'restart', node: 0, store: 'keep' })).toMatchObject({ code: 'BAD_FAULT' });
    await session.advanceTo(200, 1e9);
    expect(session.branch()).toBe(1);
    expect(session.script).toEqual([]);
    await session.advanceTo(700, 1e9);
    expect(session.snapshot().committedHeights[1]).toBeGreaterThan(0);
    expect(session.drainExplanations().length).toBeGreaterThan(0);
  });
});
