/**
 * `kaldrix start`: runs one full peer until SIGINT or SIGTERM (DESIGN.md §3 Full node).
 *
 * Settings come from `--config kaldrix.toml`, the environment (`KALDRIX_<SECTION>_<KEY>`) and
 * flags, flags first; every bad setting is reported at once, each naming its key, where it came
 * from and what is allowed (infra/peer/config). An encrypted validator key is unlocked with the
 * passphrase in KALDRIX_KEY_PASSPHRASE. The command resolves only when the peer has stopped:
 * on a signal it closes the API, the network, the verify workers and the store in that order.
 */
import { ok, type Result } from '../../core/result.ts';
import { PARENT_PID_ENV } from '../peer/devnet/launch.ts';
import { booleanFlag, listFlag, stringFlag, type CommandSpec, type FlagValues } from './command.ts';
import { EXIT, failure, type CliFailure, type ExitCode } from './failure.ts';
import type { CliIo } from './io.ts';

export const startCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'start',
  summary: 'run a full peer (validator or follower) until stopped',
  usage: ['start --config <kaldrix.toml> [--listen <multiaddr>]... [--bootstrap <multiaddr>]... [--data <dir>] [--validator-key <file>] [--genesis <file>] [--set <key=value>]... [--recover]'],
  options: {
    config: { type: 'string', valueName: '<file>', description: 'the kaldrix.toml to read (sections [dag], [consensus], [crypto], [network], [storage], [api])' },
    listen: { type: 'string', valueName: '<multiaddr>', description: 'a libp2p listen address (repeatable; replaces network.listen)', multiple: true },
    bootstrap: { type: 'string', valueName: '<multiaddr>', description: 'a peer to dial, ending in /p2p/<id> (repeatable; replaces network.bootstrap)', multiple: true },
    data: { type: 'string', valueName: '<dir>', description: 'the data directory (storage.data_dir); locked while the peer runs' },
    'validator-key': { type: 'string', valueName: '<file>', description: 'the validator key file (crypto.validator_key); without it the peer follows' },
    genesis: { type: 'string', valueName: '<file>', description: 'the genesis JSON' },
    set: { type: 'string', valueName: '<key=value>', description: 'any setting by its key path, e.g. api.listen=0.0.0.0:8080 (repeatable)', multiple: true },
    recover: { type: 'boolean', description: 'the data directory was lost: learn the last own round from peers before proposing' },
  },
  notes: [
    'Precedence: flags, then environment variables KALDRIX_<SECTION>_<KEY> (lists comma-separated), then the file, then defaults. ' +
      'Protocol parameters are not settings: they come from the genesis.',
    'An encrypted validator key file is unlocked with the passphrase in the environment variable KALDRIX_KEY_PASSPHRASE.',
    'The HTTP API serves /healthz, /readyz, /metrics (Prometheus) and /v1/… (status, checkpoints, vertices, transactions, accounts, validators).',
  ],
  examples: ['kaldrix start --config kaldrix.toml', 'kaldrix start --config kaldrix.toml --listen /ip4/0.0.0.0/tcp/7000 --listen /ip4/0.0.0.0/tcp/7001/ws --set api.listen=0.0.0.0:8080'],
  exitCodes: [
    [EXIT.ok, 'stopped by SIGINT or SIGTERM'],
    [EXIT.usage, 'bad settings, an unreadable genesis or key, a locked data directory, a port in use'],
    [EXIT.internal, 'the peer stopped on an internal error'],
  ],
  run: runStart,
});

/** Flag values keyed by config key path. */
function configFlags(flags: FlagValues, aliases: Readonly<Record<string, string>>): Result<Record<string, string | readonly string[] | boolean>, CliFailure> {
  const out: Record<string, string | readonly string[] | boolean> = {};
  for (const [flag, path] of Object.entries(aliases)) {
    const spec = startCommand.options[flag];
    if (spec === undefined) continue;
    if (spec.multiple === true) {
      const values = listFlag(flags, flag);
      if (values.length > 0) out[path] = values;
    } else {
      const value = stringFlag(flags, flag);
      if (value !== undefined) out[path] = value;
    }
  }
  for (const assignment of listFlag(flags, 'set')) {
    const at = assignment.indexOf('=');
    if (at <= 0) return failure(`--set ${assignment} is not key=value`, 'for example --set network.min_peers=3');
    out[assignment.slice(0, at)] = assignment.slice(at + 1);
  }
  return ok(out);
}

async function runStart(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  // Loaded here, not at the top: the settings schema pulls in core's defaults, and the peer
  // libp2p, the store and the API server; every other command (and --help) would pay for them.
  const { describeConfigError, loadPeerConfig, PEER_FLAG_ALIASES } = await import('../peer/config/index.ts');
  const configPath = stringFlag(flags, 'config');
  let tomlText: string | undefined;
  if (configPath !== undefined) {
    const read = await io.readFile(configPath);
    if (!read.ok) return failure(`cannot read ${configPath}`, read.error.detail);
    tomlText = new TextDecoder().decode(read.value);
  }
  const overrides = configFlags(flags, PEER_FLAG_ALIASES);
  if (!overrides.ok) return overrides;
  const loaded = loadPeerConfig({ ...(tomlText === undefined ? {} : { tomlText }), flags: overrides.value, env: io.env });
  // Every bad setting at once, on the one line a CLI failure gets.
  if (!loaded.ok) return failure(loaded.error.map(describeConfigError).join('; '), 'see kaldrix start --help and infra/peer/kaldrix.example.toml');
  const passphrase = io.env['KALDRIX_KEY_PASSPHRASE'];
  const [{ startPeerNode }, { forgedCertificateAddress }] = await Promise.all([import('../peer/node.ts'), import('../peer/testing/forgedCertificate.ts')]);
  const forgedAddress = forgedCertificateAddress(io.env);
  const started = await startPeerNode({
    ...(forgedAddress === undefined ? {} : { testForgedCertificateAddress: forgedAddress }),
    config: loaded.value,
    recoverFromPeers: booleanFlag(flags, 'recover'),
    ...(passphrase === undefined ? {} : { passphrase }),
    log: (line) => io.stderr(`${line}\n`),
  });
  if (!started.ok) return failure(started.error.message, started.error.code === 'STORE' ? 'stop the other process or choose another --data' : 'fix the file or setting named above');
  const peer = started.value;
  io.stdout(`kaldrix peer ${peer.peerId} running; API ${peer.apiUrl}\n`);
  for (const address of peer.multiaddrs()) io.stdout(`  ${address}\n`);
  let bySignal = false;
  const onSignal = (): void => {
    bySignal = true;
    void peer.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const orphanWatch = watchParent(onSignal);
  await peer.stopped;
  if (orphanWatch !== undefined) clearInterval(orphanWatch);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return ok(bySignal ? EXIT.ok : EXIT.internal);
}

/**
 * A node started by `kaldrix devnet` (or a test) is told its parent's pid in PARENT_PID_ENV and
 * stops as on SIGTERM once that parent is gone (its parent pid changes when it is re-parented):
 * a devnet killed hard must not leave validators running and holding their ports. Checked once
 * a second; nothing happens without the variable (an operator's node has no such parent).
 */
function watchParent(stop: () => void): ReturnType<typeof setInterval> | undefined {
  const expected = Number(process.env[PARENT_PID_ENV]);
  if (!Number.isSafeInteger(expected) || expected <= 0) return undefined;
  const timer = setInterval(() => {
    if (process.ppid === expected) return;
    clearInterval(timer);
    stop();
  }, 1_000);
  timer.unref();
  return timer;
}
