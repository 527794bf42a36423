// Persistence: the light state as canonical bytes, decoded and re-checked without signatures;
// a reloaded state goes on verifying; a tampered piece is caught by the re-check. The committee
// codec and hash it relies on.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCommittee, type Certificate } from '../consensus/index.ts';
import { toHex } from '../crypto/index.ts';
import { acceptCheckpoint } from './acceptCheckpoint.ts';
import { syncEpochs } from './advanceEpoch.ts';
import { committeeHash, decodeCommittee, encodeCommittee } from './committeeCodec.ts';
import { recheckLightState } from './recheck.ts';
import { decodeLightState, encodeLightState, loadLightState } from './stateCodec.ts';
import { runFixture, type Fixture } from './test/fixture.ts';
import { trustCheckpoint, trustGenesis } from './trustRoot.ts';
import type { LightState } from './types.ts';

let f: Fixture;
/** Synced through the handovers of epochs 0 and 1, head = sequence 5 (epoch 2, not its last). */
let state: LightState;
beforeAll(async () => {
  f = await runFixture();
  const synced = await syncEpochs(trustGenesis(f.chain.genesis), f.endOfEpoch.slice(0, 2), f.pool);
  const accepted = await acceptCheckpoint(synced.state, f.certificates[4] as Certificate, f.pool);
  if (!accepted.ok) throw new Error(accepted.error.code);
  state = accepted.value.state;
}, 60_000);

const roundTrip = (s: LightState): LightState => {
  const decoded = decodeLightState(encodeLightState(s));
  if (!decoded.ok) throw new Error(decoded.error.code);
  return decoded.value;
};

describe('light state bytes', () => {
  it('round trip: same bytes, passes the re-check, resumes verifying', async () => {
    const bytes = encodeLightState(state);
    const loaded = loadLightState(bytes);
    if (!loaded.ok) throw new Error(loaded.error.code);
    expect(toHex(encodeLightState(loaded.value))).toBe(toHex(bytes));
    expect(Object.isFrozen(loaded.value)).toBe(true);
    expect(loaded.value.head?.checkpoint.sequence).toBe(5n);
    expect(loaded.value.committee.quorumStake).toBe(state.committee.quorumStake);
    expect(loaded.value.acceptedHashes).toEqual([toHex(state.head?.hash ?? new Uint8Array())]);
    // The reloaded client goes on: the next handover, then the newest certificate.
    const next = await acceptCheckpoint(loaded.value, f.certificates[5] as Certificate, f.pool);
    const newest = next.ok ? await acceptCheckpoint(next.value.state, f.certificates[6] as Certificate, f.pool) : next;
    expect(newest.ok && newest.value.state.head?.checkpoint.sequence).toBe(7n);
  });

  it('a genesis state and a pinned state round-trip and re-check too', async () => {
    const genesis = trustGenesis(f.chain.genesis);
    expect(recheckLightState(roundTrip(genesis)).ok).toBe(true);
    const pinned = await trustCheckpoint({ certificate: f.endOfEpoch[0] as Certificate, committee: f.chain.committee, pinnedAtMs: 1_767_225_600_000 }, f.pool, { nowMs: 1_767_225_600_000 });
    if (!pinned.ok) throw new Error(pinned.error.code);
    const back = roundTrip(pinned.value.state);
    expect(recheckLightState(back).ok).toBe(true);
    expect(back.root.kind === 'checkpoint' && back.root.pinnedAtMs).toBe(1_767_225_600_000);
  });

  it('the re-check catches a tampered link, head, committee or root', async () => {
    expect(recheckLightState(state).ok).toBe(true);
    const links = state.epochChain;
    const last = links[links.length - 1] as (typeof links)[number];
    const code = (s: LightState) => {
      const r = recheckLightState(roundTrip(s));
      return r.ok ? 'OK' : r.error.code;
    };
    expect(code({ ...state, epochChain: [...links.slice(0, -1), { ...last, nextCommitteeHash: new Uint8Array(32) }] })).toBe('COMMITTEE_HASH_MISMATCH');
    expect(code({ ...state, epochChain: [links[1], links[0]] as typeof links })).toBe('BROKEN_EPOCH_CHAIN');
    expect(code({ ...state, epochChain: links.slice(1) })).toBe('BROKEN_EPOCH_CHAIN');
    const head = state.head as NonNullable<LightState['head']>;
    expect(code({ ...state, head: { ...head, checkpoint: { ...head.checkpoint, stateRoot: new Uint8Array(32) } } })).toBe('HASH_MISMATCH');
    const m0 = state.committee.members[0] as LightState['committee']['members'][number];
    const richer = createCommittee(state.committee.epoch, [{ ...m0, stake: m0.stake + 1n }, ...state.committee.members.slice(1)]);
    expect(code({ ...state, committee: richer })).toBe('COMMITTEE_HASH_MISMATCH');
    expect(code({ ...state, committee: createCommittee(state.committee.epoch + 1n, state.committee.members) })).toBe('COMMITTEE_EPOCH_MISMATCH');
    // Bytes flipped in storage: inside the head's state root, found by the re-check.
    const bytes = encodeLightState(state);
    const at = indexOf(bytes, head.checkpoint.stateRoot);
    const flipped = bytes.slice();
    flipped[at] = (flipped[at] as number) ^ 1;
    expect(loadLightState(flipped)).toMatchObject({ ok: false, error: { code: 'HASH_MISMATCH', where: 'head' } });
    expect(loadLightState(bytes.subarray(0, 10))).toMatchObject({ ok: false, error: { code: 'MALFORMED_STATE' } });
  });
});

describe('committee bytes', () => {
  it('round trip, and the hash changes with any stake', () => {
    const bytes = encodeCommittee(f.chain.committee);
    const decoded = decodeCommittee(bytes);
    expect(decoded.ok && toHex(encodeCommittee(decoded.value))).toBe(toHex(bytes));
    expect(decoded.ok && decoded.value.quorumStake).toBe(f.chain.committee.quorumStake);
    const m0 = f.chain.committee.members[0] as (typeof f.chain.committee.members)[number];
    const other = createCommittee(0n, [{ ...m0, stake: m0.stake + 1n }, ...f.chain.committee.members.slice(1)]);
    expect(toHex(committeeHash(other))).not.toBe(toHex(committeeHash(f.chain.committee)));
  });

  it('refuses members out of order', () => {
    const bytes = encodeCommittee(f.chain.committee);
    // Swap the first two members' address bytes: still well-formed, no longer ascending.
    const [a, b] = f.chain.committee.members;
    if (a === undefined || b === undefined) throw new Error('a committee of 2+');
    const swapped = bytes.slice();
    const ia = indexOf(bytes, a.address);
    const ib = indexOf(bytes, b.address);
    swapped.set(b.address, ia);
    swapped.set(a.address, ib);
    expect(decodeCommittee(swapped)).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
  });
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}
