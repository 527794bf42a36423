/**
 * State snapshots (core/state/stateSnapshot.ts): what a resume point costs a node — encoding the
 * whole ledger when it writes one (and the longest piece of that work, which is how long the
 * node's event loop waits at most), decoding it with the root check when it restarts from one —
 * for a ledger of 100,000 funded accounts (10,000 with --quick). Both are linear in the state
 * and independent of the chain's length, which is the point: a restart from genesis replays
 * every commit ever made. Plus what state sync's transfer of that state from a peer costs over
 * a real libp2p link on loopback (_snapshotSync.ts).
 */
import { ledgerFromGenesis } from '../../core/state/ledger.ts';
import { decodeStateSnapshot, encodeStateSnapshot, stateSnapshotChunks } from '../../core/state/index.ts';
import { STATE_PIECE_BYTES } from '../../infra/peer/resumePoints.ts';
import { registerSuite } from '../_registry.ts';
import { benchGenesis, standInAccounts } from './_ledgerWorkload.ts';
import { measureSyncTransfer } from './_snapshotSync.ts';

const SUITE = 'snapshot';
const ACCOUNTS = { full: 100_000, quick: 10_000 } as const;

registerSuite({
  name: SUITE,
  description: 'state snapshots of the ledger: encode (writing a resume point) and decode with the root check (restarting from one)',
  async run(ctx) {
    const accounts = ctx.quick ? ACCOUNTS.quick : ACCOUNTS.full;
    const count = accounts.toLocaleString('en-US');
    const names = {
      encode: `state snapshot: encode, ${count} accounts`,
      piece: `state snapshot: longest piece while writing, ${count} accounts`,
      decode: `state snapshot: decode + root check, ${count} accounts`,
      sync: `state sync: fetch from a peer over libp2p (loopback), ${count} accounts`,
    };
    if (!Object.values(names).some((name) => ctx.enabled(name))) return;
    const ledger = ledgerFromGenesis(benchGenesis(standInAccounts(accounts, 'bench-snapshot-account')));
    const expectedRoot = ledger.tree.root();
    const bytes = encodeStateSnapshot(ledger);
    const size = `${(bytes.length / 2 ** 20).toFixed(1)} MiB (${(bytes.length / accounts).toFixed(0)} B per account)`;
    const options = { minIterations: 1, runMs: ctx.quick ? 200 : 1_000, warmupMs: 0 };
    if (ctx.enabled(names.encode)) {
      const m = await ctx.measure(() => encodeStateSnapshot(ledger), options);
      ctx.figure({ name: names.encode, value: m.microsPerOp / 1000, unit: 'ms', note: `${size}; written every storage.snapshot_interval_commits commits` });
    }
    if (ctx.enabled(names.piece)) {
      // What a node writing a resume point holds the thread for at once: one piece's encoding.
      let longestMs = 0;
      let pieces = 0;
      let last = performance.now();
      for (const piece of stateSnapshotChunks(ledger, STATE_PIECE_BYTES)) {
        void piece;
        const now = performance.now();
        longestMs = Math.max(longestMs, now - last);
        pieces++;
        last = now;
      }
      ctx.figure({ name: names.piece, value: longestMs, unit: 'ms', note: `the longest of ${pieces} pieces of ${STATE_PIECE_BYTES / 2 ** 20} MiB: the most a node's event loop waits while it writes a resume point of this state (it yields between pieces)` });
    }
    if (ctx.enabled(names.decode)) {
      const m = await ctx.measure(() => {
        if (!decodeStateSnapshot(bytes, { expectedRoot }).ok) throw new Error('snapshot bench: the snapshot does not decode to its own root');
      }, options);
      ctx.figure({
        name: names.decode,
        value: m.microsPerOp / 1000,
        unit: 'ms',
        note: `${size}; rebuilds the tree and checks the certified root — what a restart from a resume point costs before it replays the commits after it (from genesis it would replay every commit)`,
      });
    }
    if (ctx.enabled(names.sync)) {
      const transfer = await measureSyncTransfer([...stateSnapshotChunks(ledger, STATE_PIECE_BYTES)]);
      const mib = transfer.bytes / 2 ** 20;
      ctx.figure({
        name: names.sync,
        value: transfer.ms,
        unit: 'ms',
        note: `${mib.toFixed(1)} MiB in ${transfer.pieces} pieces, ${(mib / (transfer.ms / 1000)).toFixed(1)} MiB/s: noise + yamux + the PQ link's sealing, four pieces in flight (infra/peer/stateSync.ts), within the server's rate limit (a burst of 64 requests, then 32 a second: ≥ ${Math.max(0, (transfer.pieces - 64) / 32).toFixed(1)} s for these pieces); a syncing node then pays the decode + root check above`,
      });
    }
  },
});
