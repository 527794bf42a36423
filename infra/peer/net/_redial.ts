/**
 * Keeps at least `minPeers` connections by redialing bootstrap peers, each with its own
 * exponential backoff (DESIGN.md §2 Network; issue "Full Node.js peer": a minimum peer count
 * kept by redialing bootstrap peers).
 *
 * One check every `checkIntervalMs`; a bootstrap peer that is already connected, banned, or in
 * its backoff is skipped; at most one dial per bootstrap peer is in flight. A success resets
 * that peer's backoff; a failure doubles it up to `maxBackoffMs`, with ±25 % jitter so a
 * restarted network does not redial in lockstep.
 */

export type RedialInit = {
  /** Bootstrap peers: the multiaddr to dial and the peer id it names. */
  readonly bootstrap: readonly { readonly address: string; readonly peerId: string }[];
  readonly minPeers: number;
  readonly checkIntervalMs: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly connectedPeers: () => number;
  readonly isConnected: (peerId: string) => boolean;
  readonly isBanned: (peerId: string) => boolean;
  readonly dial: (address: string) => Promise<void>;
  readonly nowMs: () => number;
};

export interface Redialer {
  start(): void;
  stop(): void;
}

type Entry = { readonly address: string; readonly peerId: string; backoffMs: number; nextAttemptMs: number; dialing: boolean };

export function createRedialer(init: RedialInit): Redialer {
  const entries: Entry[] = init.bootstrap.map((b) => ({ ...b, backoffMs: init.initialBackoffMs, nextAttemptMs: 0, dialing: false }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  const attempt = (entry: Entry) => {
    entry.dialing = true;
    init.dial(entry.address).then(
      () => {
        entry.backoffMs = init.initialBackoffMs;
      },
      () => {
        const jitter = 0.75 + Math.random() * 0.5;
        entry.nextAttemptMs = init.nowMs() + entry.backoffMs * jitter;
        entry.backoffMs = Math.min(init.maxBackoffMs, entry.backoffMs * 2);
      },
    ).finally(() => {
      entry.dialing = false;
    });
  };

  const check = () => {
    if (!running) return;
    if (init.connectedPeers() < init.minPeers) {
      const now = init.nowMs();
      for (const entry of entries) {
        if (entry.dialing || now < entry.nextAttemptMs || init.isConnected(entry.peerId) || init.isBanned(entry.peerId)) continue;
        attempt(entry);
      }
    }
    timer = setTimeout(check, init.checkIntervalMs);
  };

  return Object.freeze({
    start() {
      if (running) return;
      running = true;
      check();
    },
    stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  });
}
