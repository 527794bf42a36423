/**
 * Peer hygiene: a score per peer, bans, a per-peer token bucket on inbound requests, and a cap
 * on each peer's requests in flight (DESIGN.md §2 Network "Peer scoring and rate limits").
 *
 * A score starts at 0; each penalty lowers it by its reason's weight; below the ban threshold
 * the peer is banned for the life of the process (the connection gater then refuses it both
 * ways). Scores heal slowly toward 0 (SCORE_RECOVERY_PER_MINUTE), so the rare penalties of an
 * honest peer (a timeout, a lost race) never add up, while a burst of invalid data bans at once.
 * Every table is bounded.
 */

/** The network's own penalty reasons; any other string (a validator reject code) weighs DEFAULT_PENALTY_WEIGHT. */
export const PENALTY_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  /** A request or response that fails to decode, or a frame above its protocol's cap. */
  'malformed-request': 25,
  'malformed-response': 25,
  'oversized-gossip': 25,
  /** A transaction batch that does not decode. */
  'malformed-gossip': 25,
  /**
   * A transaction batch holding a forged or otherwise invalid transaction. Every node checks a
   * batch before relaying it, so an honest relayer sends one only in a rare race (a key rotation
   * it has not executed yet); four in a row ban.
   */
  'invalid-gossip': 25,
  /** A handshake that failed after it started: a forged seat signature or a broken exchange. */
  'handshake-failed': 50,
  /** A sealed frame that does not open: tampering or a broken peer. */
  'bad-seal': 50,
  /**
   * A resume point offered for state sync whose certificate or state does not check out
   * (stateSync.ts). Forged or corrupt; a server does not re-verify its own stored points, so
   * a peer with a damaged disk could send one honestly: two ban.
   */
  'bad-resume-point': 50,
  /** Consensus requests without a PQ link. */
  'no-pq-link': 5,
  'timeout': 1,
});

/** A validator reject (invalid signature, bad parents, ...) costs a tenth of the way to a ban. */
export const DEFAULT_PENALTY_WEIGHT = 10;
export const DEFAULT_BAN_THRESHOLD = -100;
/**
 * Points a score heals per minute, back toward 0. Small penalties an honest peer collects on a
 * slow link (timeouts) must not add up to a ban over hours; a burst of malformed or forged data
 * (25–50 points each) still bans at once. Requests refused by the rate limit or the in-flight
 * cap are not penalized at all: the refusal is the protection, and an honest peer catching up
 * after a restart asks in bursts (a validator banned for that cost a 4-node devnet its quorum).
 */
export const SCORE_RECOVERY_PER_MINUTE = 10;
/** Peers whose score is remembered; beyond it the oldest unbanned entries are forgotten. */
export const MAX_TRACKED_PEERS = 10_000;
/** Bans remembered; beyond it the oldest ban is lifted (a bound on memory, far above any real attack's distinct ids per hour). */
export const MAX_BANNED_PEERS = 65_536;

export type RateLimit = {
  /** Requests a peer may make at once after being idle. */
  readonly burst: number;
  /** Sustained requests per second. */
  readonly perSecond: number;
};

/** A catching-up peer asks in batches of 64 refs; 32 requests a second is 2,000 vertices a second. */
export const DEFAULT_RATE_LIMIT: RateLimit = Object.freeze({ burst: 64, perSecond: 32 });
/** Requests one peer may have in flight at a node: bounds the buffers one peer can pin. */
export const DEFAULT_MAX_INFLIGHT_PER_PEER = 8;

export type HygieneInit = {
  readonly banThreshold?: number;
  readonly rateLimit?: RateLimit;
  readonly maxInflightPerPeer?: number;
  /** Monotonic milliseconds. */
  readonly nowMs: () => number;
};

export type PenaltyOutcome = { readonly score: number; readonly newlyBanned: boolean };

export interface PeerHygiene {
  penalize(peer: string, reason: string): PenaltyOutcome;
  score(peer: string): number;
  isBanned(peer: string): boolean;
  bannedCount(): number;
  /** Takes one token from `peer`'s bucket; false when it is empty. */
  allowRequest(peer: string): boolean;
  /** Starts an inbound request; false when the peer already has the maximum in flight. */
  beginRequest(peer: string): boolean;
  endRequest(peer: string): void;
}

type Bucket = { tokens: number; updatedMs: number };

export function createPeerHygiene(init: HygieneInit): PeerHygiene {
  const banThreshold = init.banThreshold ?? DEFAULT_BAN_THRESHOLD;
  const rate = init.rateLimit ?? DEFAULT_RATE_LIMIT;
  const maxInflight = init.maxInflightPerPeer ?? DEFAULT_MAX_INFLIGHT_PER_PEER;
  if (!(banThreshold < 0)) throw new RangeError('banThreshold must be negative');
  if (!(rate.burst >= 1 && rate.perSecond > 0)) throw new RangeError('rateLimit needs burst ≥ 1 and perSecond > 0');
  if (!(Number.isSafeInteger(maxInflight) && maxInflight >= 1)) throw new RangeError('maxInflightPerPeer must be a positive integer');
  const scores = new Map<string, { score: number; updatedMs: number }>();
  const healed = (peer: string, nowMs: number): number => {
    const entry = scores.get(peer);
    if (entry === undefined) return 0;
    return Math.min(0, entry.score + ((nowMs - entry.updatedMs) / 60_000) * SCORE_RECOVERY_PER_MINUTE);
  };
  const banned = new Set<string>();
  const buckets = new Map<string, Bucket>();
  const inflight = new Map<string, number>();

  const remember = <V>(map: Map<string, V>, peer: string, value: V) => {
    map.delete(peer);
    map.set(peer, value);
    // Maps iterate in insertion order: the first key is the least recently touched.
    if (map.size > MAX_TRACKED_PEERS) map.delete(map.keys().next().value as string);
  };

  return Object.freeze({
    penalize(peer: string, reason: string): PenaltyOutcome {
      const nowMs = init.nowMs();
      const score = healed(peer, nowMs) - (PENALTY_WEIGHTS[reason] ?? DEFAULT_PENALTY_WEIGHT);
      remember(scores, peer, { score, updatedMs: nowMs });
      if (score >= banThreshold || banned.has(peer)) return { score, newlyBanned: false };
      banned.add(peer);
      if (banned.size > MAX_BANNED_PEERS) banned.delete(banned.values().next().value as string);
      return { score, newlyBanned: true };
    },
    score: (peer: string) => healed(peer, init.nowMs()),
    isBanned: (peer: string) => banned.has(peer),
    bannedCount: () => banned.size,
    allowRequest(peer: string): boolean {
      const now = init.nowMs();
      const bucket = buckets.get(peer) ?? { tokens: rate.burst, updatedMs: now };
      bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * rate.perSecond);
      bucket.updatedMs = now;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      remember(buckets, peer, bucket);
      return allowed;
    },
    beginRequest(peer: string): boolean {
      const count = inflight.get(peer) ?? 0;
      if (count >= maxInflight) return false;
      inflight.set(peer, count + 1);
      return true;
    },
    endRequest(peer: string): void {
      const count = (inflight.get(peer) ?? 1) - 1;
      if (count <= 0) inflight.delete(peer);
      else inflight.set(peer, count);
    },
  });
}
