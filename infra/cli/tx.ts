/**
 * `kaldrix tx transfer`: builds, signs and submits a transfer to a running node's HTTP API
 * (POST /v1/transactions with the canonical signed bytes, infra/peer/api/_routesTx.ts), and
 * with --wait follows it until committed.
 *
 * The node supplies what the key file cannot: the chain id (GET /v1/status; signing binds it,
 * DESIGN.md §2 replay protection) and the sender account (GET /v1/accounts/:address): its
 * committed nonce, the default --nonce, and whether a key is on record. An account with none
 * yet (funded by address only) must carry its public key in its next transaction, and only in
 * that one (core/state checkSenderKey, mempool expectedSenderKey). Caveat: the API shows the
 * committed nonce, not transactions of the sender still pending; with some in flight, pass
 * --nonce.
 *
 * This file is the command's spec (flags, help); the work is in _txRun.ts, loaded when the command
 * runs, so `kaldrix --help` and the other commands do not load the signing and ledger code.
 *
 * Exit codes: 2 bad flags or key file (nothing was sent), 1 the node refused the transaction
 * (or execution rejected it, --wait), 3 the node could not be asked or the wait timed out.
 */
import { DEFAULT_WAIT_TIMEOUT_SECONDS, TX_TRANSFER_NAME } from './_txFlags.ts';
import type { CommandSpec } from './command.ts';
import { EXIT } from './failure.ts';
import { PASSPHRASE_OPTIONS } from './passphrase.ts';

const NAME = TX_TRANSFER_NAME;

export const txTransferCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: NAME,
  summary: 'sign a transfer with a key file and submit it to a node; prints the transaction id',
  usage: [`${NAME} --api <url> --key <file> --to <address> --amount <n> [--fee <n>] [--nonce <n>] [--wait [--timeout <seconds>]] [--passphrase-file <file> | --passphrase-env <VAR>] [--json]`],
  options: {
    api: { type: 'string', valueName: '<url>', description: 'the node\'s HTTP API base URL, e.g. http://127.0.0.1:8080', required: true },
    key: { type: 'string', valueName: '<file>', description: 'the sender\'s key file (kaldrix keygen, or a devnet key)', required: true },
    to: { type: 'string', valueName: '<address>', description: 'the recipient\'s kdx1… address', required: true },
    amount: { type: 'string', valueName: '<n>', description: 'base units to send, at least 1', required: true },
    fee: { type: 'string', valueName: '<n>', description: 'fee in base units; a node may ask a minimum per byte', defaultText: '0' },
    nonce: { type: 'string', valueName: '<n>', description: 'the sender\'s transaction number', defaultText: 'the account\'s committed nonce, asked from the node' },
    wait: { type: 'boolean', description: 'wait until the transaction is committed and print the outcome' },
    timeout: { type: 'string', valueName: '<seconds>', description: 'how long --wait waits', defaultText: String(DEFAULT_WAIT_TIMEOUT_SECONDS) },
    ...PASSPHRASE_OPTIONS,
    json: { type: 'boolean', description: 'print one JSON object (id, chain, sender, fields, and with --wait the outcome)' },
  },
  notes: [
    'The chain id comes from the node (GET /v1/status) and the nonce from the sender\'s account (GET /v1/accounts/:address). ' +
      'Amounts, fees and nonces are whole numbers in decimal. The key file\'s passphrase comes from --passphrase-file, ' +
      '--passphrase-env or a terminal prompt, as for kaldrix sign; a devnet key file needs none.',
    'Without --wait the command ends once the node has admitted the transaction to its pool: that is not yet a commit. ' +
      'With --wait it follows GET /v1/transactions/:id; a commit is final. With transactions of this sender still ' +
      'pending, give --nonce (the committed nonce plus the number pending).',
  ],
  examples: [
    'kaldrix tx transfer --api http://127.0.0.1:8080 --key alice.key.json --to kdx1… --amount 1000',
    'kaldrix tx transfer --api http://127.0.0.1:8080 --key alice.key.json --to kdx1… --amount 1000 --fee 5000 --wait --json',
  ],
  exitCodes: [
    [EXIT.ok, 'submitted (with --wait: committed and applied)'],
    [EXIT.rejected, 'the node refused the transaction, or (with --wait) execution rejected it'],
    [EXIT.usage, 'bad flag or input, unreadable key file, wrong or missing passphrase: nothing was sent'],
    [EXIT.unavailable, 'the API is unreachable, too slow, not a kaldrix API, or --wait timed out'],
    [EXIT.internal, 'internal error (a bug)'],
  ],
  // The signing and ledger code loads only when a transfer runs, not for --help or other commands.
  run: async (flags, io) => (await import('./_txRun.ts')).runTransfer(flags, io),
});
