/**
 * Replay links: the URL fragment that reproduces a run (issue "Web app": seed, config and fault
 * script in the link; ANCHORS.md "a replay link that holds the whole scenario").
 *
 * Format: `#run=<base64url(scenario text)>&t=<virtual ms>`. The scenario text is the canonical
 * scenario language (sim/scenario printScenario), so a link can be decoded by hand and the same
 * text runs under `npm run sim -- --scenario`. `t` is where the person was when they took the
 * link: opening it re-runs the simulation to `t` and pauses there, so the page shows the same
 * determinism digest. The fragment never reaches a server.
 */
import { base64urlnopad } from '@scure/base';
import { err, ok, type Result } from '../../core/result.ts';
import { formatScenarioError, parseScenario, printScenario, type TimedAction } from '../../sim/scenario/index.ts';
import { fromScenario, toScenario, type RunConfig } from './config.ts';
import { checkLiveFault, checkRunConfig, MAX_SCRIPT_ACTIONS, MAX_TIME_MS } from './protocol.ts';

export type Replay = {
  readonly config: RunConfig;
  readonly script: readonly TimedAction[];
  /** Virtual time to run to before pausing. */
  readonly atMs: number;
};

export type ReplayLinkError =
  | { readonly code: 'NOT_A_REPLAY_LINK' }
  | { readonly code: 'BAD_ENCODING' }
  | { readonly code: 'BAD_SCENARIO'; readonly detail: string }
  | { readonly code: 'UNSUPPORTED'; readonly detail: string };

/** Links beyond this are not links a person shares; refusing them bounds the parse. */
const MAX_FRAGMENT_CHARS = 64_000;

export function encodeReplayFragment(replay: Replay): string {
  const text = printScenarioText(replay);
  return `run=${base64urlnopad.encode(new TextEncoder().encode(text))}&t=${Math.round(replay.atMs)}`;
}

function printScenarioText(replay: Replay): string {
  return printScenario(toScenario(replay.config, replay.script, replay.atMs));
}

/** The replay in a fragment (with or without its leading `#`), or why it is not one. */
export function decodeReplayFragment(fragment: string): Result<Replay, ReplayLinkError> {
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (body.length > MAX_FRAGMENT_CHARS) return err({ code: 'BAD_ENCODING' });
  const params = new URLSearchParams(body);
  const run = params.get('run');
  const t = params.get('t');
  if (run === null || t === null) return err({ code: 'NOT_A_REPLAY_LINK' });
  if (!/^\d{1,8}$/.test(t) || Number(t) > MAX_TIME_MS) return err({ code: 'BAD_ENCODING' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(run));
  } catch {
    return err({ code: 'BAD_ENCODING' });
  }
  const parsed = parseScenario(text);
  if (!parsed.ok) return err({ code: 'BAD_SCENARIO', detail: parsed.error.map(formatScenarioError).join('; ') });
  const scenario = parsed.value;
  if (scenario.seed === undefined) return err({ code: 'BAD_SCENARIO', detail: 'the scenario names no seed' });
  const config = fromScenario(scenario, scenario.seed);
  if (!config.ok) return err({ code: 'UNSUPPORTED', detail: `${config.error.setting}: ${config.error.reason}` });
  const checked = checkRunConfig(config.value);
  if (!checked.ok) return err({ code: 'UNSUPPORTED', detail: checked.error.message });
  if (scenario.actions.length > MAX_SCRIPT_ACTIONS) return err({ code: 'UNSUPPORTED', detail: `more than ${MAX_SCRIPT_ACTIONS} faults` });
  for (const { atMs, action } of scenario.actions) {
    if (!Number.isInteger(atMs) || !checkLiveFault(action).ok) return err({ code: 'UNSUPPORTED', detail: `the fault at ${atMs} ms is not one the page can inject` });
  }
  return ok(Object.freeze({ config: checked.value, script: scenario.actions, atMs: Number(t) }));
}

export function replayLinkErrorText(e: ReplayLinkError): string {
  switch (e.code) {
    case 'NOT_A_REPLAY_LINK':
      return 'the link holds no run';
    case 'BAD_ENCODING':
      return 'the link is damaged (not valid base64url text)';
    case 'BAD_SCENARIO':
      return `the link's scenario does not parse: ${e.detail}`;
    case 'UNSUPPORTED':
      return `the link's scenario cannot run on this page: ${e.detail}`;
  }
}
