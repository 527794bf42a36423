/**
 * What `kaldrix tx transfer` does once its flags parsed (the spec and help are in tx.ts): read
 * the key file, ask the node for the chain id and the sender's nonce, sign, check the
 * signature, submit, and with --wait follow the transaction until committed.
 *
 * Loaded by tx.ts only when the command runs: it pulls in core/crypto and core/state.
 */
import { addressFromPublicKey, bytesEqual, createLocalSigner, createNobleBackend, encodeAddress, schemeInfo, toHex, type KeyPair } from '../../core/crypto/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { TX_SIGNING_CONTEXT, encodeSignedTx, signTx, txId, txSigningMessage, type SignedTx, type Tx } from '../../core/state/index.ts';
import { asObject, objectField, textField, u64Field } from './_apiJson.ts';
import { apiErrorOf, apiRequest, shownApi } from './_http.ts';
import { parseTransferFlags, TX_TRANSFER_NAME, type TransferFlags } from './_txFlags.ts';
import { describeRefusal } from './_txRefusal.ts';
import { waitForCommit, type CommittedTx } from './_txWait.ts';
import type { FlagValues } from './command.ts';
import { EXIT, failure, formatFailure, type CliFailure, type ExitCode } from './failure.ts';
import type { CliIo } from './io.ts';
import { loadKeyFile } from './keyFileStore.ts';

const NAME = TX_TRANSFER_NAME;

/** What the node tells about the chain and the sender before signing. */
type ChainFacts = { readonly chainId: string; readonly accountNonce: bigint; readonly keyOnRecord: boolean };

/** Runs `kaldrix tx transfer` (the dispatcher has checked that the required flags are present). */
export async function runTransfer(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
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
