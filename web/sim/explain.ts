/**
 * Plain words for what just happened in a run: one line per leader decision, fault, piece of
 * evidence, safety violation and verdict change, derived from the engine's event stream alone
 * (issue "Web app": the explanation panel; DESIGN.md §2 "PBFT on the DAG").
 *
 * The counts follow the commit rule as the DAG shows it: a round r+1 vertex that has the leader's
 * round-r vertex among its parents supports it (prepare); a round r+2 vertex whose parents
 * include supporters worth a quorum of stake is a commit-vertex (commit). Counts are over every
 * vertex proposed so far (the network's view, not one validator's), by distinct authors, so
 * an equivocator counts once.
 * Pure: no clock, no DOM; the explainer keeps the last KEPT_ROUNDS rounds of vertices only.
 */
import type { Fault, SimEvent, Violation } from '../../sim/run/index.ts';
import type { Verdict } from '../../sim/scenario/index.ts';
import type { Explanation } from './protocol.ts';

/** Rounds of vertices kept for counting: a decision comes a few rounds after its leader. */
const KEPT_ROUNDS = 64;
/** Decided slots and evidence remembered for de-duplication (each validator reports its own). */
const KEPT_KEYS = 4_096;

type VertexNote = { readonly author: number; readonly digest: string; readonly parents: readonly { readonly round: number; readonly author: number; readonly digest: string }[] };

export const validatorLabel = (i: number): string => `v${i}`;
export const secondsText = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function nodeSetText(nodes: readonly number[]): string {
  return `{${nodes.map(validatorLabel).join(', ')}}`;
}

export function faultText(fault: Fault, timeMs: number): string {
  const at = `at ${secondsText(timeMs)}`;
  switch (fault.kind) {
    case 'crash':
      return `${validatorLabel(fault.node)} crashed ${at}`;
    case 'restart':
      return `${validatorLabel(fault.node)} restarted ${at} with its store ${fault.store === 'keep' ? 'kept' : 'wiped (it must learn its last round from peers before proposing)'}`;
    case 'byzantine': {
      const b = fault.behaviour;
      const what =
        b.kind === 'equivocate' ? 'equivocates (a twin with the same key signs a second vertex each round)'
        : b.kind === 'withhold' ? `withholds its vertices from ${nodeSetText(b.from)}`
        : b.kind === 'forge' ? 'sends vertices with forged signatures'
        : b.kind === 'delay' ? `holds every message back ${b.delayMs} ms`
        : 'floods its peers with junk vertices';
      return `${validatorLabel(fault.node)} turned Byzantine ${at}: it ${what}`;
    }
    case 'partition': {
      const s = fault.spec;
      const shape = s.kind === 'groups' ? s.groups.map(nodeSetText).join(' | ') : s.kind === 'oneWay' ? `${nodeSetText(s.from)} cannot reach ${nodeSetText(s.to)}` : `${nodeSetText(s.a)} and ${nodeSetText(s.b)} cut from each other`;
      return `network partitioned ${at}: ${shape}`;
    }
    case 'heal':
      return `partition healed ${at}`;
    case 'loss':
      return `message loss set to ${Math.round(fault.probability * 100)} % ${at}`;
    case 'duplicate':
      return `message duplication set to ${Math.round(fault.probability * 100)} % ${at}`;
    case 'reorder':
      return `message reordering ${fault.spec === undefined ? 'turned off' : 'turned on'} ${at}`;
  }
}

export function violationText(v: Violation): string {
  switch (v.kind) {
    case 'commit-divergence': {
      const a = v.first;
      const b = v.second;
      const who = `${validatorLabel(a.by)} and ${validatorLabel(b.by)}`;
      if (a.leader.digest !== b.leader.digest) {
        return `safety violated at commit ${v.index}: ${who} committed different leaders (${validatorLabel(a.leader.author)} at round ${a.leader.round} vs ${validatorLabel(b.leader.author)} at round ${b.leader.round})`;
      }
      return `safety violated at commit ${v.index}: ${who} committed the same leader with different histories`;
    }
    case 'certificate-conflict':
      return `safety violated: ${validatorLabel(v.first.by)} and ${validatorLabel(v.second.by)} hold conflicting certificates for checkpoint ${v.sequence}`;
    case 'supply':
      return `safety violated: ${validatorLabel(v.by)}'s ledger holds ${v.found} instead of the genesis supply ${v.expected}`;
  }
}

export function verdictText(verdict: Verdict, timeMs: number): Explanation {
  switch (verdict) {
    case 'pass':
      return { timeMs, tone: 'good', text: `verdict pass at ${secondsText(timeMs)}: commits are advancing and no safety violation was found` };
    case 'no-progress':
      return { timeMs, tone: 'warn', text: `verdict no-progress at ${secondsText(timeMs)}: no new commit within the liveness bound since the last fault` };
    case 'diverged':
      return { timeMs, tone: 'bad', text: `verdict diverged at ${secondsText(timeMs)}: honest validators committed conflicting histories` };
  }
}

export type ExplainerInit = {
  /** Stake per validator (index = validator). */
  readonly stakes: readonly number[];
};

export type Explainer = {
  /** Lines for one event (most events say nothing new: decisions are reported by every validator). */
  explain(event: SimEvent): readonly Explanation[];
};

/** Keeps a bounded set of keys: the oldest go first. */
function boundedSet(limit: number): { has(key: string): boolean; add(key: string): void } {
  const keys = new Set<string>();
  return {
    has: (key) => keys.has(key),
    add: (key) => {
      keys.add(key);
      if (keys.size > limit) keys.delete(keys.values().next().value as string);
    },
  };
}

export function createExplainer(init: ExplainerInit): Explainer {
  const stakes = init.stakes;
  const n = stakes.length;
  const totalStake = stakes.reduce((a, b) => a + b, 0);
  const isQuorum = (stake: number): boolean => 3 * stake > 2 * totalStake;
  const rounds = new Map<number, VertexNote[]>();
  const said = boundedSet(KEPT_KEYS);
  let highestCommitExplained = -1;

  const verticesAt = (round: number): readonly VertexNote[] => rounds.get(round) ?? [];
  const stakeOf = (authors: ReadonlySet<number>): number => [...authors].reduce((sum, a) => sum + (stakes[a] ?? 0), 0);

  /** Round r+1 vertices that reference a vertex of (r, leader) [with this digest]. */
  function supporters(round: number, leader: number, digest: string | undefined): VertexNote[] {
    return verticesAt(round + 1).filter((v) => v.parents.some((p) => p.round === round && p.author === leader && (digest === undefined || p.digest === digest)));
  }

  function commitVertexAuthors(round: number, leader: number, digest: string): Set<number> {
    const support = new Set(supporters(round, leader, digest).map((v) => `${v.author}/${v.digest}`));
    const authors = new Set<number>();
    for (const v of verticesAt(round + 2)) {
      const votes = new Set(v.parents.filter((p) => p.round === round + 1 && support.has(`${p.author}/${p.digest}`)).map((p) => p.author));
      if (isQuorum(stakeOf(votes))) authors.add(v.author);
    }
    return authors;
  }

  function onProposed(event: Extract<SimEvent, { type: 'vertexProposed' }>): void {
    let list = rounds.get(event.round);
    if (list === undefined) {
      rounds.set(event.round, (list = []));
      for (const r of rounds.keys()) if (r < event.round - KEPT_ROUNDS) rounds.delete(r);
    }
    if (!list.some((v) => v.author === event.author && v.digest === event.digest)) list.push({ author: event.author, digest: event.digest, parents: event.parents });
  }

  function onCommitted(event: Extract<SimEvent, { type: 'committed' }>): Explanation[] {
    if (event.index <= highestCommitExplained) return [];
    highestCommitExplained = event.index;
    const { round, author, digest } = event.leader;
    const commitAuthors = commitVertexAuthors(round, author, digest).size;
    const how = event.how === 'direct' ? 'directly' : event.how === 'indirect' ? 'indirectly (decided through a later committed leader)' : event.how;
    const count = rounds.has(round + 2) ? `: ${commitAuthors} of ${n} commit-vertices` : '';
    return [{ timeMs: event.time, tone: 'good', text: `round ${round} leader ${validatorLabel(author)} committed ${how}${count} (commit ${event.index}, ${event.txs} transactions)` }];
  }

  function onSkipped(event: Extract<SimEvent, { type: 'skipped' }>): Explanation[] {
    const key = `skip/${event.round}`;
    if (said.has(key)) return [];
    said.add(key);
    const proposed = verticesAt(event.round).some((v) => v.author === event.leader);
    const reason = !proposed
      ? `no vertex from ${validatorLabel(event.leader)} for that round reached the network in time`
      : `only ${new Set(supporters(event.round, event.leader, undefined).map((v) => v.author)).size} of ${n} validators referenced it in time`;
    return [{ timeMs: event.time, tone: 'warn', text: `leader ${validatorLabel(event.leader)} at round ${event.round} skipped: ${reason} (a view change)` }];
  }

  function onEvidence(event: Extract<SimEvent, { type: 'evidence' }>): Explanation[] {
    const key = `evidence/${event.offender}/${event.slot}`;
    if (event.offender < 0 || said.has(key)) return [];
    said.add(key);
    return [{ timeMs: event.time, tone: 'bad', text: `${validatorLabel(event.offender)} equivocated at ${event.slot}: evidence produced by ${validatorLabel(event.by)}` }];
  }

  function onCertified(event: Extract<SimEvent, { type: 'certified' }>): Explanation[] {
    const key = `cert/${event.sequence}`;
    if (said.has(key)) return [];
    said.add(key);
    return [{ timeMs: event.time, tone: 'info', text: `checkpoint ${event.sequence} certified by a quorum: commits up to ${event.lastCommitIndex} are final` }];
  }

  return Object.freeze({
    explain(event: SimEvent): readonly Explanation[] {
      switch (event.type) {
        case 'vertexProposed':
          onProposed(event);
          return [];
        case 'vertexAccepted':
          return [];
        case 'committed':
          return onCommitted(event);
        case 'skipped':
          return onSkipped(event);
        case 'evidence':
          return onEvidence(event);
        case 'certified':
          return onCertified(event);
        case 'fault':
          return [{ timeMs: event.time, tone: event.fault.kind === 'heal' || event.fault.kind === 'restart' ? 'info' : 'warn', text: faultText(event.fault, event.time) }];
        case 'violation':
          return [{ timeMs: event.time, tone: 'bad', text: violationText(event.violation) }];
        case 'verdict':
          return [verdictText(event.verdict, event.time)];
      }
    },
  });
}
