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
 * Exit codes: 2 bad flags or key file (nothing was sent), 1 the node refused the transaction
 * (or execution rejected it, --wait), 3 the node could not be asked or the wait timed out.
 */
import { addressFromPublicKey, bytesEqual, createLocalSigner, createNobleBackend, encodeAddress, schemeInfo, toHex, type KeyPair } from '../../core/crypto/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { TX_SIGNING_CONTEXT, encodeSignedTx, signTx, txId, txSigningMessage, type SignedTx, type Tx } from '../../core/state/index.ts';
import { asObject, objectField, textField, u64Field } from './_apiJson.ts';
import { apiErrorOf, apiRequest, shownApi } from './_http.ts';
import { DEFAULT_WAIT_TIMEOUT_SECONDS, parseTransferFlags, type TransferFlags } from './_txFlags.ts';
import { describeRefusal } from './_txRefusal.ts';
import { waitForCommit, type CommittedTx } from './_txWait.ts';
import type { CommandSpec, FlagValues } from './command.ts';
import { EXIT, failure, formatFailure, type CliFailure, type ExitCode } from './failure.ts';
import type { CliIo } from './io.ts';
import { loadKeyFile } from './keyFileStore.ts';
import { PASSPHRASE_OPTIONS } from './passphrase.ts';

const NAME = 'tx transfer';

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
  run: runTransfer,
});

/** What the node tells about the chain and the sender before signing. */
type ChainFacts = { readonly chainId: string; readonly accountNonce: bigint; readonly keyOnRecord: boolean };

async function runTransfer(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  const request = parseTransferFlags(flags);
  if (!request.ok) return request;
  const key = await loadKeyFile(io, flags, request.value.keyPath);
  if (!key.ok) return key;
  const sender = addressFromPublicKey(schemeInfo(key.value.scheme).tag, key.value.publicKey);
  if (bytesEqual(sender, request.value.to)) return failure('--to is the key\'s own address', 'a transfer to oneself would only burn the fee');

  const facts = await askChainFacts(request.value.api, sender);
  if (!facts.ok) return exitWith(io, EXIT.unavailable, facts.error);
  const nonce = request.value.nonce ?? facts.value.accountNonce;
  const tx: Tx = {
    chainId: facts.value.chainId,
    sender,
    nonce,
    fee: request.value.fee,
    body: { kind: 'transfer', value: { to: request.value.to, amount: request.value.amount } },
  };
  // The key rides along only in the account's next transaction while none is on record.
  const signed = await signAndCheck(io, key.value, tx, !facts.value.keyOnRecord && nonce === facts.value.accountNonce);
  if (!signed.ok) return signed;
  const idHex = toHex(txId(signed.value.tx));
  const submitted = await submit(request.value.api, signed.value, idHex);
  if (!submitted.ok) return exitWith(io, submitted.error.code, submitted.error.failure);

  const summary = { id: idHex, chainId: tx.chainId, sender: encodeAddress(sender), to: encodeAddress(request.value.to), amount: String(request.value.amount), fee: String(tx.fee), nonce: String(nonce) };
  if (!request.value.wait) {
    io.stdout(request.value.json ? `${JSON.stringify({ ...summary, status: 'pending' })}\n` : `${idHex}\n`);
    return ok(EXIT.ok);
  }
  if (!request.value.json) io.stdout(`${idHex}\n`);
  return awaitAndReport(io, request.value, summary);
}

/** Chain id from the status, nonce and key-on-record from the sender's account. */
async function askChainFacts(api: URL, sender: Uint8Array): Promise<Result<ChainFacts, CliFailure>> {
  const notApi = 'check --api: it must be a kaldrix node API';
  const status = await apiRequest(api, 'v1/status');
  if (!status.ok) return status;
  const statusBody = asObject(status.value.body);
  const chainId = statusBody === undefined || status.value.httpStatus !== 200 ? undefined : textField(statusBody, 'chainId');
  if (chainId === undefined) return failure(`${shownApi(api)}/v1/status gives no chain id`, notApi);
  const account = await apiRequest(api, `v1/accounts/${encodeAddress(sender)}`);
  if (!account.ok) return account;
  if (account.value.httpStatus !== 200) {
    const { code, message } = apiErrorOf(account.value);
    return failure(`the node answered the sender's account lookup with ${code}: ${message}`, notApi);
  }
  const body = asObject(account.value.body);
  if (body?.['exists'] === false) return ok({ chainId, accountNonce: 0n, keyOnRecord: false });
  const fields = body === undefined ? undefined : objectField(body, 'account');
  const accountNonce = fields === undefined ? undefined : u64Field(fields, 'nonce');
  if (fields === undefined || accountNonce === undefined) return failure(`${shownApi(api)} sent an account without a nonce`, notApi);
  return ok({ chainId, accountNonce, keyOnRecord: objectField(fields, 'key') !== undefined });
}

/** Signature hedging input: FIPS 204 `rnd` is 32 bytes. */
const SIGN_RANDOM_BYTES = 32;

/** Signs, then verifies before sending: a damaged key file must fail here, not as a node's refusal. */
async function signAndCheck(io: CliIo, keyPair: KeyPair, tx: Tx, includePublicKey: boolean): Promise<Result<SignedTx, CliFailure>> {
  const backend = createNobleBackend();
  const signer = createLocalSigner(backend, keyPair, { random: () => io.randomBytes(SIGN_RANDOM_BYTES) });
  const signed = await signTx(signer, tx, { includePublicKey });
  if (!backend.verify(keyPair.scheme, keyPair.publicKey, txSigningMessage(tx), signed.signature.bytes, TX_SIGNING_CONTEXT)) {
    return failure('the transaction signature does not verify under the key file\'s public key', 'the key file may be damaged (its secret and public key differ); restore it from a backup');
  }
  return ok(signed);
}

type SubmitFailure = { readonly code: ExitCode; readonly failure: CliFailure };

async function submit(api: URL, signed: SignedTx, idHex: string): Promise<Result<true, SubmitFailure>> {
  const answer = await apiRequest(api, 'v1/transactions', { method: 'POST', bytes: encodeSignedTx(signed) });
  if (!answer.ok) return err({ code: EXIT.unavailable, failure: answer.error });
  const { httpStatus, body } = answer.value;
  if (httpStatus >= 400 && httpStatus < 500) return err({ code: EXIT.rejected, failure: describeRefusal(answer.value) });
  const object = asObject(body);
  const id = object === undefined ? undefined : textField(object, 'id');
  if (httpStatus !== 202 || id !== idHex) {
    const { code, message } = apiErrorOf(answer.value);
    const what = httpStatus === 202 ? `the node admitted the transaction under another id (${String(id)}, expected ${idHex})` : `the node failed to take the transaction: ${code}: ${message}`;
    return err({ code: EXIT.unavailable, failure: { what, hint: 'check --api: it must be a kaldrix node API of this version' } });
  }
  return ok(true);
}

type TransferSummary = Readonly<Record<string, string>>;

async function awaitAndReport(io: CliIo, request: TransferFlags, summary: TransferSummary): Promise<Result<ExitCode, CliFailure>> {
  const idHex = summary['id'] ?? '';
  const waited = await waitForCommit(io, { api: request.api, idHex, timeoutMs: request.waitTimeoutMs, label: `kaldrix ${NAME}` });
  if (!waited.ok) {
    if (request.json) io.stdout(`${JSON.stringify({ ...summary, status: waited.error.lastStatus ?? 'pending' })}\n`);
    return exitWith(io, EXIT.unavailable, waited.error.failure);
  }
  const committed = waited.value;
  if (request.json) io.stdout(`${JSON.stringify({ ...summary, ...committed.answer, id: idHex })}\n`);
  else io.stdout(`${describeCommitted(committed)}\n`);
  return ok(committed.applied ? EXIT.ok : EXIT.rejected);
}

function describeCommitted(c: CommittedTx): string {
  const fee = c.feeCharged === undefined ? '' : `, fee charged ${c.feeCharged}`;
  return `committed at commit index ${c.commitIndex}: ${c.applied ? 'applied' : `rejected by execution (${c.rejectCode ?? 'no reason given'})`}${fee}`;
}

/** Exits 1 or 3 with a failure line (runCli prints failures itself only for exit 2). */
function exitWith(io: CliIo, code: ExitCode, f: CliFailure): Result<ExitCode, CliFailure> {
  io.stderr(formatFailure(NAME, f));
  return ok(code);
}
