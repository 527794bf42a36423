/**
 * Vertices the DAG store garbage-collected, kept a while longer to answer peers' fetches.
 *
 * docs/protocol.md "Catch-up". A validator that catches up by a certified range collects below
 * (the range's last leader round − gc_depth), while its peers, which have decided beyond that
 * certificate, have collected higher. Its vertices waiting for parents in between can only be
 * completed by a peer that still holds those parents. If none did, it could not take part
 * until the next certificate — and when another validator is down, that certificate needs its
 * vote: the network would stall for good. So a validator keeps `retainRounds` rounds below its
 * gc round for serving fetches only; consensus never sees them (the store's view is unchanged).
 * The gap to cover is the lag between deciding and certifying (a few checkpoints' rounds),
 * well below the default of gc_depth rounds.
 *
 * Cost: the round lists the store drops are kept as they are (references, no copies); a lookup
 * scans one round's list (at most committee size × slot cap), and happens only for a fetch the
 * store cannot answer.
 */
import { bytesEqual } from '../crypto/index.ts';
import type { StoredVertex, VertexRef } from '../dag/index.ts';

export type CollectedVertices = {
  /** The store collected `dropped` while moving its gc round to `gcRound`. */
  keep(dropped: readonly StoredVertex[], gcRound: number): void;
  get(ref: VertexRef): StoredVertex | undefined;
  /** Rounds held (for status and tests). */
  rounds(): number;
};

export function createCollectedVertices(retainRounds: number): CollectedVertices {
  if (!Number.isSafeInteger(retainRounds) || retainRounds < 0) throw new RangeError('createCollectedVertices: retainRounds must be a non-negative integer');
  const byRound = new Map<number, StoredVertex[]>();
  return Object.freeze({
    keep(dropped: readonly StoredVertex[], gcRound: number) {
      if (retainRounds === 0) return;
      const oldest = gcRound - retainRounds;
      for (const v of dropped) {
        if (v.ref.round < oldest) continue;
        const list = byRound.get(v.ref.round);
        if (list === undefined) byRound.set(v.ref.round, [v]);
        else list.push(v);
      }
      for (const round of byRound.keys()) if (round < oldest) byRound.delete(round);
    },
    get(ref: VertexRef) {
      const list = byRound.get(ref.round);
      return list?.find((v) => v.ref.author === ref.author && bytesEqual(v.ref.digest, ref.digest));
    },
    rounds: () => byRound.size,
  });
}
