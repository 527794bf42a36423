/**
 * The flags of `kaldrix tx transfer`, checked before anything costly happens (a key file's
 * scrypt run, a passphrase prompt, a request to the node): a typo fails at once, exit 2.
 *
 * Amounts, fees and nonces are u64 numbers of base units in plain decimal (DESIGN.md §2
 * Ledger); addresses are kdx1… bech32m text (core/crypto address.ts).
 */
// The light modules, not the folders' index files: tx.ts reads DEFAULT_WAIT_TIMEOUT_SECONDS
// from here for its help page, which must not load the signature backends or the ledger.
import { parseAddress, type AddressError } from '../../core/crypto/address.ts';
import { ok, type Result } from '../../core/result.ts';
import { U64_MAX, type Address } from '../../core/state/types.ts';
import { parseApiUrl } from './_http.ts';
import { booleanFlag, stringFlag, type FlagValues } from './command.ts';
import { failure, quoteInput, type CliFailure } from './failure.ts';

/** The command's name: its help page's title and the prefix of its failure lines. */
export const TX_TRANSFER_NAME = 'tx transfer';
/** How long --wait waits for the commit when --timeout is not given. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 60;
/** Longest --timeout: an hour is far past any healthy commit; longer is a mistake. */
const MAX_WAIT_TIMEOUT_SECONDS = 3600;

export type TransferFlags = {
  readonly api: URL;
  readonly keyPath: string;
  readonly to: Address;
  readonly amount: bigint;
  readonly fee: bigint;
  /** undefined: the sender account's committed nonce, asked from the node. */
  readonly nonce: bigint | undefined;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly json: boolean;
};

export function parseTransferFlags(flags: FlagValues): Result<TransferFlags, CliFailure> {
  const api = parseApiUrl(stringFlag(flags, 'api') ?? '');
  if (!api.ok) return api;
  const toText = stringFlag(flags, 'to') ?? '';
  const to = parseAddress(toText);
  if (!to.ok) return failure(`--to ${quoteInput(toText)} is not an address: ${describeAddressError(to.error)}`, 'give the recipient\'s kdx1… address');
  const amount = parseU64Flag('amount', stringFlag(flags, 'amount'));
  if (!amount.ok) return amount;
  if (amount.value === 0n) return failure('--amount is 0', 'a transfer of nothing would only burn the fee; give at least 1');
  const fee = parseU64Flag('fee', stringFlag(flags, 'fee') ?? '0');
  if (!fee.ok) return fee;
  if (amount.value + fee.value > U64_MAX) return failure('--amount plus --fee exceeds 2^64 - 1', 'no balance can cover it; lower the amount');
  const nonceText = stringFlag(flags, 'nonce');
  const nonce = nonceText === undefined ? ok(undefined) : parseU64Flag('nonce', nonceText);
  if (!nonce.ok) return nonce;
  if (nonce.value === U64_MAX) return failure('--nonce is 2^64 - 1', 'the account nonce could never advance past it');
  const timeoutText = stringFlag(flags, 'timeout');
  if (timeoutText !== undefined && !booleanFlag(flags, 'wait')) return failure('--timeout given without --wait', 'add --wait, or drop --timeout');
  const timeoutSeconds = timeoutText === undefined ? ok(DEFAULT_WAIT_TIMEOUT_SECONDS) : parseSeconds(timeoutText);
  if (!timeoutSeconds.ok) return timeoutSeconds;
  return ok(Object.freeze({
    api: api.value,
    keyPath: stringFlag(flags, 'key') ?? '',
    to: to.value,
    amount: amount.value,
    fee: fee.value,
    nonce: nonce.value,
    wait: booleanFlag(flags, 'wait'),
    waitTimeoutMs: Math.round(timeoutSeconds.value * 1000),
    json: booleanFlag(flags, 'json'),
  }));
}

/** A u64 in plain decimal; leading zeros are tolerated (people type them), signs and units are not. */
export function parseU64Flag(name: string, text: string | undefined): Result<bigint, CliFailure> {
  const hint = `give --${name} as a whole number of base units, 0 to 18446744073709551615`;
  if (text === undefined || !/^[0-9]{1,30}$/.test(text)) return failure(`--${name} ${quoteInput(text ?? '')} is not a whole number`, hint);
  const value = BigInt(text);
  if (value > U64_MAX) return failure(`--${name} ${quoteInput(text)} exceeds 2^64 - 1`, hint);
  return ok(value);
}

function parseSeconds(text: string): Result<number, CliFailure> {
  const seconds = /^[0-9]{1,6}(\.[0-9]{1,3})?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_WAIT_TIMEOUT_SECONDS)) {
    return failure(`--timeout ${quoteInput(text)} is not a number of seconds in (0, ${MAX_WAIT_TIMEOUT_SECONDS}]`, 'e.g. --timeout 30 or --timeout 2.5');
  }
  return ok(seconds);
}

function describeAddressError(e: AddressError): string {
  switch (e.code) {
    case 'MIXED_CASE':
      return 'it mixes upper and lower case';
    case 'BAD_CHARACTER':
      return `character ${e.position + 1} is not a bech32 character`;
    case 'BAD_LENGTH':
      return `wrong length (${e.length} characters)`;
    case 'WRONG_PREFIX':
      return `prefix ${quoteInput(e.prefix)} is not kdx`;
    case 'BAD_CHECKSUM':
      return 'the checksum does not match (a typo?)';
    case 'UNKNOWN_VERSION':
      return `unknown address version ${e.version}`;
    case 'BAD_PADDING':
      return 'bad bech32 padding';
  }
}
