/**
 * Parsers of the timed fault script (`at 2s partition 0-3 | 4-9`, `at 1s crash 3`, ...) and
 * of the expectations (`expect commits >= 20 by 10s`). Node indices and times are checked
 * against the validator count and duration later (parse.ts), once every line is read; here
 * each comes back with the token to blame.
 */
import { err, ok } from '../../core/result.ts';
import type { PartitionSpec } from '../network/partition.ts';
import { parseDurationMs, parseProbability } from '../network/units.ts';
import { takeInteger, takeKeyword, takeValue, type Cursor, type Parsed } from './_cursor.ts';
import type { Token } from './_lexer.ts';
import type { Located } from './_settings.ts';
import { parseNodeSet } from './_values.ts';
import { BYZANTINE_KINDS, COMPARISONS, SCENARIO_LIMITS as L, VERDICTS, type ByzantineBehaviour, type Expectation, type NodeSet, type ScenarioAction } from './types.ts';

export type ParsedAction = {
  readonly atMs: Located<number>;
  readonly action: ScenarioAction;
  /** Every node the action names (sets by their largest member), for the range check. */
  readonly nodes: readonly Located<number>[];
};

export type ParsedExpectation = {
  readonly expectation: Expectation;
  /** `by` of a commits expectation, when written (else the duration is filled in). */
  readonly byMs: Located<number> | undefined;
};

const ACTIONS = ['partition', 'heal', 'crash', 'restart', 'byzantine', 'loss'] as const;
const EXPECTATIONS = ['safety', 'liveness', 'commits', 'verdict', 'evidence'] as const;

const largest = (set: NodeSet, token: Token): Located<number> => ({ value: set[set.length - 1] as number, token });

function takeNodeSet(c: Cursor, stops: readonly string[]): Parsed<Located<NodeSet>> {
  const tokens = c.takeUntil(stops);
  const set = parseNodeSet(c, tokens);
  return set.ok ? ok({ value: set.value, token: { ...(tokens[0] as Token), text: tokens.map((t) => t.text).join('') } }) : set;
}

function overlapError(c: Cursor, sets: readonly Located<NodeSet>[]): Parsed<undefined> {
  const seen = new Set<number>();
  for (const set of sets) {
    for (const node of set.value) {
      if (seen.has(node)) return err(c.errorAt('OVERLAPPING_GROUPS', set.token, `groups without common nodes (node ${node} is in two)`));
      seen.add(node);
    }
  }
  return ok(undefined);
}

const SEPARATORS = ['|', '->', '<->'];

/** `A | B | ...` (groups), `A -> B` (one way) or `A <-> B` (between A and B only). */
function parsePartition(c: Cursor): Parsed<{ spec: PartitionSpec; nodes: Located<number>[] }> {
  const first = takeNodeSet(c, SEPARATORS);
  if (!first.ok) return first;
  const sets = [first.value];
  const arrow = c.peek()?.text;
  const paired = arrow === '->' || arrow === '<->';
  if (paired) {
    c.take(arrow);
    const second = takeNodeSet(c, SEPARATORS);
    if (!second.ok) return second;
    sets.push(second.value);
  }
  while (!paired && c.peek()?.text === '|') {
    c.take('|');
    const group = takeNodeSet(c, SEPARATORS);
    if (!group.ok) return group;
    sets.push(group.value);
  }
  const ended = c.end();
  if (!ended.ok) return ended;
  const disjoint = overlapError(c, sets);
  if (!disjoint.ok) return disjoint;
  const nodes = sets.map((s) => largest(s.value, s.token));
  const [a, b] = sets.map((s) => s.value) as [NodeSet, NodeSet];
  const spec: PartitionSpec = !paired ? { kind: 'groups', groups: sets.map((s) => s.value) } : arrow === '->' ? { kind: 'oneWay', from: a, to: b } : { kind: 'between', a, b };
  return ok({ spec, nodes });
}

function parseBehaviour(c: Cursor): Parsed<{ behaviour: ByzantineBehaviour; nodes: Located<number>[] }> {
  const kind = takeKeyword(c, BYZANTINE_KINDS);
  if (!kind.ok) return kind;
  switch (kind.value) {
    case 'withhold': {
      const from = takeNodeSet(c, []);
      return from.ok ? ok({ behaviour: { kind: 'withhold', from: from.value.value }, nodes: [largest(from.value.value, from.value.token)] }) : from;
    }
    case 'delay': {
      const delayMs = takeValue(c, 'a delay such as 200ms', parseDurationMs);
      return delayMs.ok ? ok({ behaviour: { kind: 'delay', delayMs: delayMs.value }, nodes: [] }) : delayMs;
    }
    default:
      return ok({ behaviour: { kind: kind.value }, nodes: [] });
  }
}

function takeNode(c: Cursor): Parsed<Located<number>> {
  const n = takeInteger(c, 'a validator index', 0, L.maxValidators - 1);
  return n.ok ? ok({ value: n.value.value, token: n.value.token }) : n;
}

function parseActionBody(c: Cursor): Parsed<{ action: ScenarioAction; nodes: Located<number>[] }> {
  const verb = takeKeyword(c, ACTIONS);
  if (!verb.ok) return verb;
  switch (verb.value) {
    case 'partition': {
      const p = parsePartition(c);
      return p.ok ? ok({ action: { kind: 'partition', spec: p.value.spec }, nodes: p.value.nodes }) : p;
    }
    case 'heal':
      return ok({ action: { kind: 'heal' }, nodes: [] });
    case 'crash': {
      const node = takeNode(c);
      return node.ok ? ok({ action: { kind: 'crash', node: node.value.value }, nodes: [node.value] }) : node;
    }
    case 'restart': {
      const node = takeNode(c);
      if (!node.ok) return node;
      const store = takeKeyword(c, ['keep', 'wipe'] as const);
      return store.ok ? ok({ action: { kind: 'restart', node: node.value.value, store: store.value }, nodes: [node.value] }) : store;
    }
    case 'byzantine': {
      const node = takeNode(c);
      if (!node.ok) return node;
      const b = parseBehaviour(c);
      return b.ok ? ok({ action: { kind: 'byzantine', node: node.value.value, behaviour: b.value.behaviour }, nodes: [node.value, ...b.value.nodes] }) : b;
    }
    case 'loss': {
      const p = takeValue(c, 'a probability between 0 and 1', parseProbability);
      return p.ok ? ok({ action: { kind: 'loss', probability: p.value }, nodes: [] }) : p;
    }
  }
}

/** `at <time> <action>`: the cursor stands after `at`. */
export function parseAt(c: Cursor): Parsed<ParsedAction> {
  const timeToken = c.peek();
  const atMs = takeValue(c, 'a time such as 2s', parseDurationMs);
  if (!atMs.ok) return atMs;
  const body = parseActionBody(c);
  if (!body.ok) return body;
  const ended = c.end();
  if (!ended.ok) return ended;
  return ok({ atMs: { value: atMs.value, token: timeToken as Token }, action: body.value.action, nodes: body.value.nodes });
}

function takeCount(c: Cursor): Parsed<{ op: (typeof COMPARISONS)[number]; count: number }> {
  const op = takeKeyword(c, COMPARISONS);
  if (!op.ok) return op;
  const count = takeInteger(c, 'a count', 0, L.maxExpectedCount);
  return count.ok ? ok({ op: op.value, count: count.value.value }) : count;
}

/** `expect <what>`: the cursor stands after `expect`. */
export function parseExpect(c: Cursor): Parsed<ParsedExpectation> {
  const what = takeKeyword(c, EXPECTATIONS);
  if (!what.ok) return what;
  let parsed: ParsedExpectation;
  switch (what.value) {
    case 'safety':
    case 'liveness':
      parsed = { expectation: { kind: what.value }, byMs: undefined };
      break;
    case 'verdict': {
      const verdict = takeKeyword(c, VERDICTS);
      if (!verdict.ok) return verdict;
      parsed = { expectation: { kind: 'verdict', verdict: verdict.value }, byMs: undefined };
      break;
    }
    case 'evidence': {
      const n = takeCount(c);
      if (!n.ok) return n;
      parsed = { expectation: { kind: 'evidence', op: n.value.op, count: n.value.count }, byMs: undefined };
      break;
    }
    case 'commits': {
      const n = takeCount(c);
      if (!n.ok) return n;
      let byMs: Located<number> | undefined;
      if (c.peek() !== undefined) {
        const by = takeKeyword(c, ['by'] as const);
        if (!by.ok) return by;
        const token = c.peek();
        const ms = takeValue(c, 'a time such as 10s', parseDurationMs);
        if (!ms.ok) return ms;
        byMs = { value: ms.value, token: token as Token };
      }
      // byMs 0 is a placeholder: parse.ts fills in the duration when `by` is absent.
      parsed = { expectation: { kind: 'commits', op: n.value.op, count: n.value.count, byMs: byMs?.value ?? 0 }, byMs };
      break;
    }
  }
  const ended = c.end();
  return ended.ok ? ok(parsed) : ended;
}
