/**
 * The devnet's open-loop load: transfer slots at a fixed offered rate for a bounded window,
 * whatever the nodes answer, each slot given to the next user in turn; user j always submits to
 * node j mod 4 (binary POST /v1/transactions), so the four APIs share the load.
 *
 * Each user keeps one submission in flight at a time and sends its lowest unaccepted nonce: a
 * refused transfer (e.g. SENDER_LIMIT when the 64-nonce window is full) is sent again at the
 * user's next slot, so a refusal never leaves a nonce gap that would stall the user for good.
 * A slot that finds its user busy waits in the user's backlog (at most MAX_BACKLOG, beyond that
 * the slot is dropped); slots still waiting when the window closes are dropped. So the offered
 * rate is the slot rate, and `sent` shows how much of it the generator could really put on the
 * wire with one request per user in flight.
 *
 * Committed throughput: the sum of the users' account nonces (GET /v1/accounts, answered against
 * the last certified state root, spread over the four nodes) at the start and end of the window
 * and after the drain: every applied transfer raises its sender's nonce by one, exactly once.
 * (`executedTransactions` of /v1/status counts receipts, and a transfer included by several
 * proposers is counted more than once there, so it is not used.)
 */
import type { ApiClient } from './_devnetHttp.ts';
import type { UserQueue } from './_devnetTxs.ts';
import { createFinalitySampler, type FinalityReport } from './_devnetFinality.ts';

export type LoadPlan = {
  readonly label: string;
  /** kdx1… addresses of the sending users (their nonces count the applied transfers). */
  readonly userAddresses: readonly string[];
  readonly offeredTps: number;
  readonly durationMs: number;
  /** Longest wait after the window for the samples to commit and the mempools to empty. */
  readonly drainMs: number;
  readonly samplesPerSecond: number;
  /** Awaited about once a second during the window, never two at once (signing ahead, reading memory). */
  readonly everySecond?: (elapsedMs: number) => Promise<void>;
  readonly progress: (line: string) => void;
};

export type LoadResult = {
  readonly offeredTps: number;
  readonly windowMs: number;
  readonly slots: number;
  readonly sent: number;
  readonly accepted: number;
  /** Answered "already pooled or executed" (a retry after an answer that got lost): counted as in. */
  readonly alreadyKnown: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly noAnswer: number;
  /** Slots that never became a request: the user was busy until the window closed, or had nothing signed. */
  readonly dropped: number;
  /** Transfers applied (certified) during the window and during the drain; NaN when an account lookup failed. */
  readonly executedInWindow: number;
  readonly executedInDrain: number;
  readonly drainMs: number;
  readonly mempoolAfterDrain: number;
  readonly finality: FinalityReport;
};

/** Slots one user may owe before more are dropped (≈ 1 s of its share at 2,000 tx/s and 100 users). */
const MAX_BACKLOG = 20;
const TICK_MS = 2;
const PROGRESS_EVERY_MS = 5_000;
/** The drain ends early once every node's pool holds fewer transfers than this (a pool holds every gossiped transfer, so not a sum). */
const DRAINED_MEMPOOL = 10;
const DRAIN_POLL_MS = 250;

type UserState = { readonly queue: UserQueue; readonly client: ApiClient; backlog: number; busy: boolean };
type Counters = { slots: number; sent: number; accepted: number; alreadyKnown: number; noAnswer: number; dropped: number; rejected: Record<string, number> };
type StatusView = { mempoolTransactions?: number };
type AccountView = { account?: { nonce?: string } | null };

/** Transfers applied so far: the sum of the users' nonces (certified state), or undefined when a lookup fails. */
async function appliedTransfers(addresses: readonly string[], clients: readonly ApiClient[]): Promise<number | undefined> {
  const answers = (await Promise.all(addresses.map((a, i) => (clients[i % clients.length] as ApiClient).getJson(`/v1/accounts/${a}`)))) as (AccountView | undefined)[];
  if (answers.some((x) => x === undefined)) return undefined;
  return answers.reduce((sum, x) => sum + Number(x?.account?.nonce ?? '0'), 0);
}

const KNOWN_CODES: ReadonlySet<string> = new Set(['DUPLICATE', 'NONCE_TOO_LOW']);

function rejectCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { reject?: { code?: unknown }; error?: unknown };
    return String(parsed.reject?.code ?? parsed.error ?? 'unparsed');
  } catch {
    return 'unparsed';
  }
}

async function statuses(clients: readonly ApiClient[]): Promise<StatusView[]> {
  return (await Promise.all(clients.map((c) => c.getJson('/v1/status')))).map((s) => (s ?? {}) as StatusView);
}

/** Runs one window of load at `plan.offeredTps` over `users` and reports what happened. */
export async function runLoad(plan: LoadPlan, users: readonly UserQueue[], clients: readonly ApiClient[]): Promise<LoadResult> {
  if (!(plan.offeredTps > 0) || !(plan.durationMs > 0)) throw new RangeError('offeredTps and durationMs must be positive');
  const states: UserState[] = users.map((queue) => ({ queue, client: clients[queue.userIndex % clients.length] as ApiClient, backlog: 0, busy: false }));
  const c: Counters = { slots: 0, sent: 0, accepted: 0, alreadyKnown: 0, noAnswer: 0, dropped: 0, rejected: {} };
  const sampler = createFinalitySampler(clients[0] as ApiClient, plan.samplesPerSecond);
  const totalSlots = Math.round((plan.offeredTps * plan.durationMs) / 1000);
  let windowOpen = true;
  const inFlight = new Set<Promise<void>>();

  const pump = async (user: UserState): Promise<void> => {
    user.busy = true;
    while (user.backlog > 0 && windowOpen) {
      const tx = user.queue.pending[0];
      if (tx === undefined) break;
      user.backlog--;
      c.sent++;
      const sentAt = performance.now();
      const answer = await user.client.submit(tx.bytes);
      if (answer.status === 202) {
        c.accepted++;
        user.queue.pending.shift();
        sampler.offer(tx.idHex, user.client, sentAt);
      } else if (answer.status === 0) c.noAnswer++;
      else {
        const code = answer.status === 400 ? rejectCode(answer.body) : `HTTP ${answer.status}`;
        if (KNOWN_CODES.has(code)) {
          c.alreadyKnown++;
          user.queue.pending.shift();
        } else c.rejected[code] = (c.rejected[code] ?? 0) + 1;
      }
    }
    c.dropped += user.backlog;
    user.backlog = 0;
    user.busy = false;
  };

  const before = await appliedTransfers(plan.userAddresses, clients);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let hookRunning = false;
    let lastHookAt = start;
    let lastProgressAt = start;
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(totalSlots, Math.floor(((now - start) * plan.offeredTps) / 1000));
      for (; c.slots < due; c.slots++) {
        const user = states[c.slots % states.length] as UserState;
        if (user.backlog >= MAX_BACKLOG) c.dropped++;
        else user.backlog++;
        if (!user.busy) {
          const p = pump(user);
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
      }
      if (plan.everySecond !== undefined && !hookRunning && now - lastHookAt >= 1000) {
        hookRunning = true;
        lastHookAt = now;
        void plan.everySecond(now - start).finally(() => (hookRunning = false));
      }
      if (now - lastProgressAt >= PROGRESS_EVERY_MS) {
        lastProgressAt = now;
        plan.progress(`${plan.label}: ${((now - start) / 1000).toFixed(0)}/${(plan.durationMs / 1000).toFixed(0)} s, ${c.sent} sent, ${c.accepted} accepted, ${sampler.outstanding()} samples awaiting commit`);
      }
      if (c.slots >= totalSlots && now - start >= plan.durationMs) resolve();
      else setTimeout(tick, TICK_MS);
    };
    tick();
  });
  windowOpen = false;
  const windowMs = performance.now() - start;
  const atWindowEnd = await appliedTransfers(plan.userAddresses, clients);
  await Promise.all(inFlight);
  const drain = await drainAfter(plan, clients, sampler.outstanding);
  const afterDrain = plan.drainMs > 0 ? await appliedTransfers(plan.userAddresses, clients) : atWindowEnd;
  const delta = (a: number | undefined, b: number | undefined): number => (a === undefined || b === undefined ? Number.NaN : b - a);
  return Object.freeze({
    offeredTps: plan.offeredTps,
    windowMs,
    ...c,
    rejected: Object.freeze({ ...c.rejected }),
    executedInWindow: delta(before, atWindowEnd),
    executedInDrain: delta(atWindowEnd, afterDrain),
    drainMs: drain.ms,
    mempoolAfterDrain: drain.mempool,
    finality: sampler.finish(),
  });
}

/** Waits (at most `plan.drainMs`) until no sample awaits its commit and every pool is nearly empty. */
async function drainAfter(plan: LoadPlan, clients: readonly ApiClient[], outstanding: () => number): Promise<{ ms: number; mempool: number }> {
  const start = performance.now();
  for (;;) {
    const all = await statuses(clients);
    const mempool = all.reduce((sum, s) => sum + (s.mempoolTransactions ?? 0), 0);
    const ms = performance.now() - start;
    const drained = outstanding() === 0 && all.every((s) => (s.mempoolTransactions ?? 0) < DRAINED_MEMPOOL);
    if (drained || ms >= plan.drainMs) return { ms, mempool };
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
}
