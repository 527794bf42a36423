/**
 * Golden scenario transcripts for the commit rule (HOUSE-RULES 13, in the manner of etcd-io/raft
 * `testdata/*.txt` datadriven files; our own format and runner).
 *
 * A file is a list of commands, one per line; `#` starts a comment line. Commands that produce
 * output are followed by `----` and the expected output, ended by a blank line or the file's end:
 *
 *   committee 1,1,1,1            stakes of members 0..n-1 (first command)
 *   leaders round-robin          leader of round r is r mod n
 *   leaders 1 2 3 0              leader of round 1, 2, 3, 4 (listed rounds only)
 *   leaders schedule 7           the stake-weighted schedule, seed = test hash of byte 7
 *   gc-depth 60                  linearizer gc depth in rounds (default 60)
 *   dag r2 0,1,2 -> r1 0,1,2     vertices of authors 0,1,2 at round 2 with those parents
 *   dag r1..r5 all               rounds 1 to 5, every author, parents: all of the round below
 *   dag r2 1' -> r1 0,1,3        variant 1 of (r2, 1): an equivocating twin; `all`/`*` work too
 *   dag r4 0 -> r3 * r1 3        several parent groups: strong ones, then weak links
 *   decide                       newly decided leaders; commits with their order and digest
 *   counters                     the commit counters so far
 *
 * `runGolden(text)` returns the file as it should read with the actual outputs in place; the
 * test compares it with the file (the diff is the review) or writes it back on request.
 */
import { hashDomain, toHex, type Hash32 } from '../../crypto/index.ts';
import type { DagVertex, VertexRef } from '../../dag/types.ts';
import { type CommitCounters, countDecisions, type LeaderDecision, tryDecide, ZERO_COMMIT_COUNTERS } from '../commitRule.ts';
import { nextCommitDigest } from '../commitDigest.ts';
import type { Committee } from '../committee.ts';
import { createLinearizer, type Linearizer } from '../linearize.ts';
import { createLeaderSchedule, type LeaderElector } from '../leaderSchedule.ts';
import { createTestDag, fixedLeaders, formatRef, roundRobin, testCommittee, testRef, type TestDag } from './dagBuilder.ts';

type GoldenState = {
  committee?: Committee;
  leaders?: LeaderElector;
  gcDepthRounds: number;
  dag: TestDag;
  linearizer?: Linearizer;
  lastDecidedRound: number;
  commitIndex: bigint;
  lastDigest: Hash32;
  counters: CommitCounters;
};

function fail(line: number, message: string): never {
  throw new Error(`golden line ${line}: ${message}`);
}

function need<T>(value: T | undefined, line: number, what: string): T {
  if (value === undefined) fail(line, `${what} must be set first`);
  return value;
}

/** `3` → [3, 0]; `2'` → [2, 1]. */
function parseAuthor(token: string, line: number, n: number): [number, number] {
  const match = /^(\d+)('*)$/.exec(token);
  if (match === null) fail(line, `bad author '${token}'`);
  const author = Number(match[1]);
  if (author >= n) fail(line, `author ${author} is not in a committee of ${n}`);
  return [author, (match[2] as string).length];
}

function parseRound(token: string | undefined, line: number): number {
  const match = /^r(\d+)$/.exec(token ?? '');
  if (match === null) fail(line, `expected a round like r3, got '${token ?? ''}'`);
  return Number(match[1]);
}

/** Refs named by an author list at `round`: `all`/`*` means every variant-0 vertex present there. */
function refsAt(state: GoldenState, round: number, list: string, line: number, n: number): VertexRef[] {
  if (list === 'all' || list === '*') {
    return Array.from({ length: n }, (_, a) => testRef(round, a)).filter((r) => state.dag.has(r));
  }
  return list.split(',').map((token) => {
    const [author, variant] = parseAuthor(token, line, n);
    return testRef(round, author, variant);
  });
}

function commandDag(state: GoldenState, args: string[], line: number): void {
  const n = need(state.committee, line, 'committee').members.length;
  const [roundSpec, authorList, arrow, ...parentSpec] = args;
  const range = /^r(\d+)(?:\.\.r(\d+))?$/.exec(roundSpec ?? '');
  if (range === null || authorList === undefined) fail(line, 'usage: dag r<round>[..r<round>] <authors> [-> r<round> <authors> ...]');
  if (arrow !== undefined && arrow !== '->') fail(line, `expected '->', got '${arrow}'`);
  if (arrow !== undefined && (parentSpec.length === 0 || parentSpec.length % 2 !== 0)) fail(line, 'parents come as pairs: r<round> <authors>');
  const from = Number(range[1]);
  const to = range[2] === undefined ? from : Number(range[2]);
  for (let round = from; round <= to; round++) {
    const parents: VertexRef[] = [];
    if (arrow === undefined) {
      if (round > 1) parents.push(...refsAt(state, round - 1, 'all', line, n));
    } else {
      for (let i = 0; i < parentSpec.length; i += 2) {
        parents.push(...refsAt(state, parseRound(parentSpec[i], line), parentSpec[i + 1] as string, line, n));
      }
    }
    for (const token of authorList === 'all' || authorList === '*' ? Array.from({ length: n }, (_, a) => `${a}`) : authorList.split(',')) {
      const [author, variant] = parseAuthor(token, line, n);
      const vertex: DagVertex = { ref: testRef(round, author, variant), parents };
      try {
        state.dag.insert(vertex);
      } catch (e) {
        fail(line, (e as Error).message);
      }
    }
  }
}

function commandLeaders(state: GoldenState, args: string[], line: number): void {
  const committee = need(state.committee, line, 'committee');
  if (args[0] === 'round-robin') {
    state.leaders = roundRobin(committee.members.length);
  } else if (args[0] === 'schedule') {
    state.leaders = createLeaderSchedule(committee, hashDomain('kaldrix/test/v1', Uint8Array.of(Number(args[1] ?? 0))));
  } else {
    const list = args.map(Number);
    state.leaders = fixedLeaders((round) => {
      const leader = list[round - 1];
      if (leader === undefined || Number.isNaN(leader)) throw new Error(`golden line ${line}: no leader listed for round ${round}`);
      return leader;
    });
  }
}

function describeDecision(state: GoldenState, d: LeaderDecision): string[] {
  if (d.status === 'skip') return [`r${d.round} L${d.leader} skip ${d.how}${d.how === 'direct' ? ' (view change)' : ''}`];
  state.linearizer ??= createLinearizer({ gcDepthRounds: state.gcDepthRounds });
  const subDag = state.linearizer.commit(state.dag, d.vertex);
  state.commitIndex += 1n;
  state.lastDigest = nextCommitDigest(state.lastDigest, state.commitIndex, subDag);
  return [
    `r${d.round} L${d.leader} commit ${formatRef(d.vertex)} ${d.how}`,
    `  #${state.commitIndex} order ${subDag.vertices.map(formatRef).join(' ')}`,
    `  #${state.commitIndex} digest ${toHex(state.lastDigest).slice(0, 16)}`,
  ];
}

function commandDecide(state: GoldenState, line: number): string[] {
  const committee = need(state.committee, line, 'committee');
  const leaders = need(state.leaders, line, 'leaders');
  const decisions = tryDecide(state.dag, committee, leaders, state.lastDecidedRound);
  state.counters = countDecisions(state.counters, decisions);
  const last = decisions.at(-1);
  if (last !== undefined) state.lastDecidedRound = last.round;
  const out = decisions.flatMap((d) => describeDecision(state, d));
  return out.length > 0 ? out : ['(no new decisions)'];
}

/** Runs one command; returns its output lines, or undefined for commands without output. */
function runCommand(state: GoldenState, text: string, line: number): string[] | undefined {
  const [name, ...args] = text.trim().split(/\s+/);
  switch (name) {
    case 'committee':
      state.committee = testCommittee((args[0] ?? '').split(',').map((s) => BigInt(s)));
      return undefined;
    case 'leaders':
      commandLeaders(state, args, line);
      return undefined;
    case 'gc-depth':
      state.gcDepthRounds = Number(args[0]);
      return undefined;
    case 'dag':
      commandDag(state, args, line);
      return undefined;
    case 'decide':
      return commandDecide(state, line);
    case 'counters':
      return Object.entries(state.counters).map(([k, v]) => `${k} ${v}`);
    default:
      return fail(line, `unknown command '${name ?? ''}'`);
  }
}

/** The file as it should read: every expected block replaced by the actual output. */
export function runGolden(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const state: GoldenState = {
    gcDepthRounds: 60,
    dag: createTestDag(),
    lastDecidedRound: 0,
    commitIndex: 0n,
    lastDigest: new Uint8Array(32),
    counters: ZERO_COMMIT_COUNTERS,
  };
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i] as string;
    out.push(current);
    if (current.trim() === '' || current.startsWith('#')) continue;
    const output = runCommand(state, current, i + 1);
    if (output === undefined) continue;
    if (lines[i + 1] !== '----') fail(i + 1, `'${current}' produces output: follow it with '----' and the expected lines`);
    // Skip the old expected block: up to a blank line or the end.
    i += 1;
    while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== '') i++;
    out.push('----', ...output);
  }
  return `${out.join('\n')}\n`;
}
