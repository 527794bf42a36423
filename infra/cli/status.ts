/**
 * `kaldrix status --api <url>`: what a running node reports about itself (GET /v1/status,
 * infra/peer/api/_routesChain.ts), as a readable summary or the API's own JSON.
 *
 * The answer is checked, not trusted: the fields the summary needs must be there with their
 * wire types (u64 as decimal strings), otherwise the URL is not a kaldrix node API and the
 * command exits 3 like an unreachable one.
 */
import { ok, type Result } from '../../core/result.ts';
import { asObject, booleanField, countField, textField, u64Field, type JsonObject } from './_apiJson.ts';
import { apiErrorOf, apiRequest, parseApiUrl, shownApi, shownNodeText } from './_http.ts';
import { booleanFlag, stringFlag, type CommandSpec, type FlagValues } from './command.ts';
import { EXIT, formatFailure, type CliFailure, type ExitCode } from './failure.ts';
import type { CliIo } from './io.ts';

export const statusCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'status',
  summary: 'ask a running node for its status: chain, epoch, round, commits, certificates, peers',
  usage: ['status --api <url> [--json]'],
  options: {
    api: { type: 'string', valueName: '<url>', description: 'the node\'s HTTP API base URL, e.g. http://127.0.0.1:8080', required: true },
    json: { type: 'boolean', description: 'print the node\'s status object as the API sends it (u64 values as decimal strings)' },
  },
  notes: [
    'A commit index counts the ordered commits the node has executed; a certified sequence counts the checkpoints that ' +
      'a quorum of validators signed, which a light client can verify. kaldrix devnet prints the API URL of each node.',
  ],
  examples: ['kaldrix status --api http://127.0.0.1:8080', 'kaldrix status --api http://127.0.0.1:8080 --json'],
  exitCodes: [
    [EXIT.ok, 'the status was printed'],
    [EXIT.usage, 'bad flag or --api value'],
    [EXIT.unavailable, 'the API is unreachable, too slow, or not a kaldrix node API'],
    [EXIT.internal, 'internal error (a bug)'],
  ],
  run: runStatus,
});

/** A node's status as the summary shows it. */
export type NodeStatus = {
  readonly chainId: string;
  readonly version: string | undefined;
  readonly peerId: string | undefined;
  /** The node's validator seat; undefined for an observer. */
  readonly selfIndex: number | undefined;
  readonly epoch: bigint;
  readonly round: number;
  readonly highestRound: number | undefined;
  readonly lastCommitIndex: bigint;
  readonly executedTransactions: number | undefined;
  readonly lastCertifiedSequence: bigint;
  readonly lastCheckpointSequence: bigint | undefined;
  readonly committedLeaders: number | undefined;
  readonly skippedLeaders: number | undefined;
  readonly connectedPeers: number;
  readonly mempoolTransactions: number;
  readonly stateRoot: string | undefined;
  readonly recovering: boolean;
  readonly epochClosing: boolean;
  /** Resume points (sent by nodes that write them): the newest, the one it started from (0: genesis), the lowest commit still stored. */
  readonly resumePointSequence: bigint | undefined;
  readonly resumedFromSequence: bigint | undefined;
  readonly storedCommitFloor: bigint | undefined;
  /** State sync: whether the start point came from a peer; the oldest commit this node serves peers as ranges (0: none). */
  readonly resumedFromPeer: boolean;
  readonly commitLogFrom: bigint | undefined;
  /** Points taken from peers while running (0 or absent: none). */
  readonly stateSyncsWhileRunning: number;
};

async function runStatus(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  const api = parseApiUrl(stringFlag(flags, 'api') ?? '');
  if (!api.ok) return api;
  const answer = await apiRequest(api.value, 'v1/status');
  if (!answer.ok) return unavailable(io, answer.error);
  if (answer.value.httpStatus !== 200) {
    const { code, message } = apiErrorOf(answer.value);
    return unavailable(io, { what: `${shownApi(api.value)} answered ${code}: ${message}`, hint: 'check --api: it must be a kaldrix node API' });
  }
  const body = asObject(answer.value.body);
  const status = body === undefined ? undefined : readNodeStatus(body);
  if (body === undefined || status === undefined) {
    return unavailable(io, { what: `${shownApi(api.value)}/v1/status is not a kaldrix node status`, hint: 'check --api: it must be a kaldrix node API' });
  }
  io.stdout(booleanFlag(flags, 'json') ? `${JSON.stringify(body)}\n` : formatNodeStatus(status, shownApi(api.value)));
  return ok(EXIT.ok);
}

/** Exit 3: the node could not be asked. The failure line is printed here (runCli prints only exit-2 failures). */
function unavailable(io: CliIo, f: CliFailure): Result<ExitCode, CliFailure> {
  io.stderr(formatFailure(statusCommand.name, f));
  return ok(EXIT.unavailable);
}

/** The status fields, or undefined when one the summary cannot do without is missing or malformed. */
export function readNodeStatus(body: JsonObject): NodeStatus | undefined {
  const chainId = textField(body, 'chainId');
  const epoch = u64Field(body, 'epoch');
  const round = countField(body, 'round');
  const lastCommitIndex = u64Field(body, 'lastCommitIndex');
  const lastCertifiedSequence = u64Field(body, 'lastCertifiedSequence');
  const connectedPeers = countField(body, 'connectedPeers');
  const mempoolTransactions = countField(body, 'mempoolTransactions');
  if (chainId === undefined || epoch === undefined || round === undefined || lastCommitIndex === undefined) return undefined;
  if (lastCertifiedSequence === undefined || connectedPeers === undefined || mempoolTransactions === undefined) return undefined;
  return Object.freeze({
    chainId,
    version: textField(body, 'version'),
    peerId: textField(body, 'peerId'),
    selfIndex: countField(body, 'selfIndex'),
    epoch,
    round,
    highestRound: countField(body, 'highestRound'),
    lastCommitIndex,
    executedTransactions: countField(body, 'executedTransactions'),
    lastCertifiedSequence,
    lastCheckpointSequence: u64Field(body, 'lastCheckpointSequence'),
    committedLeaders: countField(body, 'committedLeaders'),
    skippedLeaders: countField(body, 'skippedLeaders'),
    connectedPeers,
    mempoolTransactions,
    stateRoot: textField(body, 'stateRoot'),
    recovering: booleanField(body, 'recovering') === true,
    epochClosing: booleanField(body, 'epochClosing') === true,
    resumePointSequence: u64Field(body, 'resumePointSequence'),
    resumedFromSequence: u64Field(body, 'resumedFromSequence'),
    storedCommitFloor: u64Field(body, 'storedCommitFloor'),
    resumedFromPeer: booleanField(body, 'resumedFromPeer') === true,
    commitLogFrom: u64Field(body, 'commitLogFrom'),
    stateSyncsWhileRunning: countField(body, 'stateSyncsWhileRunning') ?? 0,
  });
}

/** Column where values start in the summary. */
const LABEL_CHARS = 14;

/** The readable summary: one `label  value` line per fact, the optional ones only when sent. */
export function formatNodeStatus(s: NodeStatus, api: string): string {
  const lines: [string, string][] = [
    ['api', api],
    ['chain', shownNodeText(s.chainId) + (s.version === undefined ? '' : ` (kaldrix ${shownNodeText(s.version)})`)],
    ['node', `${s.selfIndex === undefined ? 'observer' : `validator seat ${s.selfIndex}`}${s.peerId === undefined ? '' : `, peer ${shownNodeText(s.peerId)}`}`],
    ['epoch', `${s.epoch}${s.epochClosing ? ' (closing: waiting for its final certificate)' : ''}`],
    ['round', `${s.round}${s.highestRound === undefined ? '' : ` (highest seen ${s.highestRound})`}`],
    ['last commit', `index ${s.lastCommitIndex}${s.executedTransactions === undefined ? '' : `, ${s.executedTransactions} transactions executed`}`],
    ['certified', `sequence ${s.lastCertifiedSequence}${s.lastCheckpointSequence === undefined ? '' : ` (last checkpoint ${s.lastCheckpointSequence})`}`],
  ];
  if (s.committedLeaders !== undefined && s.skippedLeaders !== undefined) {
    lines.push(['leaders', `${s.committedLeaders} committed, ${s.skippedLeaders} skipped (view changes)`]);
  }
  lines.push(['peers', `${s.connectedPeers} connected`], ['mempool', `${s.mempoolTransactions} transactions`]);
  if (s.stateRoot !== undefined) lines.push(['state root', shownNodeText(s.stateRoot)]);
  if (s.resumePointSequence !== undefined && s.resumedFromSequence !== undefined && s.storedCommitFloor !== undefined) {
    const newest = s.resumePointSequence === 0n ? 'none yet' : `checkpoint ${s.resumePointSequence}`;
    const started = s.resumedFromSequence === 0n ? 'genesis' : `checkpoint ${s.resumedFromSequence}${s.resumedFromPeer ? ', taken from a peer' : ''}`;
    lines.push(['resume point', `${newest} (started from ${started}); commits stored from index ${s.storedCommitFloor}`]);
  }
  if (s.commitLogFrom !== undefined) lines.push(['serves ranges', s.commitLogFrom === 0n ? 'none yet' : `from commit ${s.commitLogFrom} (a peer further behind needs state sync)`]);
  if (s.stateSyncsWhileRunning > 0) lines.push(['state sync', `${s.stateSyncsWhileRunning} time${s.stateSyncsWhileRunning === 1 ? '' : 's'} while running (it fell behind every peer's commit log)`]);
  if (s.recovering) lines.push(['recovering', 'yes: catching up after a restart with a lost store']);
  return lines.map(([label, value]) => `${label.padEnd(LABEL_CHARS)}${value}\n`).join('');
}
