/**
 * Vertices of the next epoch that arrive before this validator has switched to it.
 *
 * docs/protocol.md "The validator" → "Epochs". Validators switch when each of them sees the
 * end-of-epoch certificate, so a fast one proposes round 1 of the new epoch while a slower one
 * still runs the old epoch. Dropping those vertices would cost the slow one a fetch round
 * trip per missing vertex after its switch (nobody broadcasts a vertex twice), so they are
 * held as raw bytes and replayed through the normal receive path — decode, validate against
 * the new committee, verify — right after the switch. Nothing is verified here: before the
 * switch the validator may not even know the new committee.
 *
 * Bounds: a claimed author is unauthenticated before verification, so the shares are per
 * sending peer (`maxPerPeer`, default 64: two rounds' worth of a 32-member committee relayed
 * by one peer), plus a total (`maxTotal`, default 1,024). Beyond them a vertex is refused
 * (`NEXT_EPOCH_BUFFER_FULL`, not penalized); it is fetched again when a later vertex names it.
 */
import type { PeerId } from './types.ts';

export type HeldVertex = { readonly bytes: Uint8Array; readonly from: PeerId };

export type NextEpochVertices = {
  /** Holds `bytes`; false when a bound refuses it. */
  hold(bytes: Uint8Array, from: PeerId): boolean;
  /** Everything held, in arrival order, emptying the buffer. */
  drain(): readonly HeldVertex[];
  size(): number;
};

export const NEXT_EPOCH_DEFAULTS = Object.freeze({ maxPerPeer: 64, maxTotal: 1024 });

export function createNextEpochVertices(maxPerPeer: number = NEXT_EPOCH_DEFAULTS.maxPerPeer, maxTotal: number = NEXT_EPOCH_DEFAULTS.maxTotal): NextEpochVertices {
  let held: HeldVertex[] = [];
  const perPeer = new Map<PeerId, number>();
  return Object.freeze({
    hold(bytes: Uint8Array, from: PeerId): boolean {
      const count = perPeer.get(from) ?? 0;
      if (held.length >= maxTotal || count >= maxPerPeer) return false;
      perPeer.set(from, count + 1);
      held.push(Object.freeze({ bytes, from }));
      return true;
    },
    drain(): readonly HeldVertex[] {
      const out = held;
      held = [];
      perPeer.clear();
      return out;
    },
    size: () => held.length,
  });
}
