/**
 * `kaldrix devnet`: a local network of N validators on 127.0.0.1, one `kaldrix start` process
 * each, until SIGINT or SIGTERM (DESIGN.md §3; `npm start` runs it beside the web app).
 *
 * The first run writes `<dir>` (genesis, keys, configs, devnet.json — infra/peer/devnet/files.ts);
 * later runs reuse it, so the chain and its data survive a restart; `--fresh` starts a new chain.
 * When every node answers /readyz it prints, on stdout, one JSON line per node (`DevnetNodeLine`:
 * name, peer id, address, API URL, TCP and WebSockets multiaddrs) and then
 * `{"ready":true,"manifest":"<dir>/devnet.json"}`; devnet.json also lists the funded users' key
 * files. People get the same as a table on stderr, with the nodes' logs. The nodes stop with it,
 * also when it is killed without a chance to stop them (infra/cli/start.ts watches the parent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ok, type Result } from '../../core/result.ts';
import type { DevnetManifest } from '../peer/devnet/files.ts';
import { launchDevnet } from '../peer/devnet/launch.ts';
import { booleanFlag, stringFlag, type CommandSpec, type FlagValues } from './command.ts';
import { EXIT, failure, type CliFailure, type ExitCode } from './failure.ts';
import type { CliIo } from './io.ts';

const DEFAULTS = { dir: '.kaldrix/devnet', validators: 4, users: 4, basePort: 27000 } as const;

export const devnetCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'devnet',
  summary: 'run a local devnet of N validators on 127.0.0.1 until stopped',
  usage: ['devnet [--data <dir>] [--validators <n>] [--users <n>] [--base-port <port>] [--fresh] [--lying-node <i>]'],
  options: {
    data: { type: 'string', valueName: '<dir>', description: 'where the devnet lives: keys, genesis, each node\'s data (written on first use)', defaultText: DEFAULTS.dir },
    dir: { type: 'string', valueName: '<dir>', description: 'the same as --data' },
    validators: { type: 'string', valueName: '<n>', description: 'validators, 1..16 (a new devnet only)', defaultText: String(DEFAULTS.validators) },
    users: { type: 'string', valueName: '<n>', description: 'funded user accounts with key files (a new devnet only)', defaultText: String(DEFAULTS.users) },
    'base-port': { type: 'string', valueName: '<port>', description: 'validator i uses base+10i (p2p TCP), +1 (WebSockets), +2 (HTTP API)', defaultText: String(DEFAULTS.basePort) },
    fresh: { type: 'boolean', description: 'delete the devnet directory and start a new chain' },
    'lying-node': { type: 'string', valueName: '<i>', description: 'TEST ONLY: validator v<i> serves forged certificates to light clients (it still validates honestly)' },
  },
  notes: [
    'Keys are written UNENCRYPTED: a devnet is for testing, never for value.',
    'devnet.json lists every node (peer id, /ws multiaddr for browsers, API URL) and the users\' key files.',
  ],
  examples: ['kaldrix devnet', 'kaldrix devnet --validators 7 --fresh --data /tmp/net'],
  exitCodes: [
    [EXIT.ok, 'stopped by SIGINT or SIGTERM'],
    [EXIT.usage, 'bad flags, or the nodes did not become ready'],
  ],
  run: runDevnet,
});

function intFlag(flags: FlagValues, name: string, fallback: number, min: number, max: number): Result<number, CliFailure> {
  const text = stringFlag(flags, name);
  if (text === undefined) return ok(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) return failure(`--${name} ${text} is not an integer in ${min}..${max}`, `see kaldrix devnet --help`);
  return ok(value);
}

async function runDevnet(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  const data = stringFlag(flags, 'data');
  const alias = stringFlag(flags, 'dir');
  if (data !== undefined && alias !== undefined && data !== alias) return failure(`--data ${data} and --dir ${alias} name two directories`, 'give one of them (--dir is the same as --data)');
  const dir = data ?? alias ?? DEFAULTS.dir;
  const validators = intFlag(flags, 'validators', DEFAULTS.validators, 1, 16);
  if (!validators.ok) return validators;
  const users = intFlag(flags, 'users', DEFAULTS.users, 0, 100);
  if (!users.ok) return users;
  const basePort = intFlag(flags, 'base-port', DEFAULTS.basePort, 1024, 65_000 - 10 * validators.value);
  if (!basePort.ok) return basePort;
  const manifestPath = join(dir, 'devnet.json');
  if (booleanFlag(flags, 'fresh')) await rm(dir, { recursive: true, force: true });
  let manifest: DevnetManifest;
  if (existsSync(manifestPath)) {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DevnetManifest;
    io.stderr(`kaldrix devnet: reusing ${dir} (${manifest.nodes.length} validators; --fresh starts a new chain)\n`);
  } else {
    // Key and genesis generation pull in libp2p's key code: loaded only when a devnet is written.
    const { writeDevnet } = await import('../peer/devnet/files.ts');
    manifest = await writeDevnet({ dir, validators: validators.value, users: users.value, basePort: basePort.value, chainId: 'kaldrix-devnet-local', genesisTimeMs: Date.now() });
    io.stderr(`kaldrix devnet: wrote a new ${manifest.nodes.length}-validator devnet to ${dir}\n`);
  }
  const lyingNode = stringFlag(flags, 'lying-node') === undefined ? undefined : intFlag(flags, 'lying-node', 0, 0, manifest.nodes.length - 1);
  if (lyingNode !== undefined && !lyingNode.ok) return lyingNode;
  const liar = lyingNode === undefined ? undefined : manifest.nodes[lyingNode.value];
  const forgedEnv = liar === undefined ? undefined : (await import('../peer/testing/forgedCertificate.ts')).FORGED_CERTIFICATE_ADDRESS_ENV;
  const devnet = launchDevnet(manifest, {
    onLine: (line) => io.stderr(`${line}\n`),
    ...(liar === undefined || forgedEnv === undefined ? {} : { env: { [forgedEnv]: liar.address } }),
  });
  let stopping = false;
  const onSignal = (): void => {
    stopping = true;
    void devnet.stopAll();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await devnet.waitReady(180_000);
  } catch (e) {
    await devnet.stopAll();
    return failure((e as Error).message, 'see the node output above');
  }
  // stdout: one JSON line per node, then the ready line (for scripts); stderr: the same for people.
  for (const node of manifest.nodes) io.stdout(`${JSON.stringify(nodeLine(node))}\n`);
  io.stdout(`${JSON.stringify({ ready: true, manifest: manifestPath })}\n`);
  io.stderr(`devnet ready: ${manifestPath}\n`);
  for (const node of manifest.nodes) io.stderr(`  ${node.name}  API ${node.apiUrl}  ${node.ws}\n`);
  // Run until a signal; a node that dies on its own is reported, the others keep running.
  const reported = new Set<string>();
  while (!stopping) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [name, code] of devnet.unexpectedExits()) {
      if (reported.has(name)) continue;
      reported.add(name);
      io.stderr(`kaldrix devnet: ${name} exited with ${code}\n`);
    }
  }
  await devnet.stopAll();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return ok(EXIT.ok);
}

/** What `kaldrix devnet` prints per node on stdout, one JSON object per line. */
export type DevnetNodeLine = { readonly node: string; readonly peerId: string; readonly address: string; readonly api: string; readonly multiaddrs: readonly string[] };

function nodeLine(node: DevnetManifest['nodes'][number]): DevnetNodeLine {
  return { node: node.name, peerId: node.peerId, address: node.address, api: node.apiUrl, multiaddrs: [node.tcp, node.ws] };
}
