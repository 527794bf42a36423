/**
 * A node's refusal of a submitted transaction (HTTP 4xx from POST /v1/transactions) as one
 * line a person can act on: the API's error code, the mempool's reject code when there is one
 * (`reject.code`, core/state MempoolReject), the node's message, and for the rejects a user
 * fixes with a flag, which flag and what value.
 */
import { asObject, objectField, textField, u64Field } from './_apiJson.ts';
import { apiErrorOf, shownNodeText, type ApiAnswer } from './_http.ts';
import type { CliFailure } from './failure.ts';

export function describeRefusal(answer: ApiAnswer): CliFailure {
  const { code, message } = apiErrorOf(answer);
  const body = asObject(answer.body);
  const reject = body === undefined ? undefined : objectField(body, 'reject');
  const rejectCode = reject === undefined ? undefined : textField(reject, 'code');
  const what = `the node refused the transaction: ${code}${rejectCode === undefined ? '' : ` ${shownNodeText(rejectCode)}`}: ${message}`;
  return { what, hint: reject === undefined || rejectCode === undefined ? 'see the node\'s message' : hintFor(rejectCode, reject) };
}

function hintFor(rejectCode: string, reject: Readonly<Record<string, unknown>>): string {
  const requiredFee = u64Field(reject, 'requiredFee');
  switch (rejectCode) {
    case 'FEE_TOO_LOW':
      return requiredFee === undefined ? 'the pool is full; retry later' : `pass --fee ${requiredFee} or more`;
    case 'REPLACEMENT_UNDERPRICED':
      return `a pending transaction has this nonce: pass the next --nonce${requiredFee === undefined ? '' : `, or --fee ${requiredFee} or more to replace it`}`;
    case 'NONCE_TOO_LOW': {
      const accountNonce = u64Field(reject, 'accountNonce');
      return `that nonce is used${accountNonce === undefined ? '' : `; the account is at ${accountNonce}`}: omit --nonce or pass a higher one`;
    }
    case 'INSUFFICIENT_BALANCE': {
      const [required, balance] = [u64Field(reject, 'required'), u64Field(reject, 'balance')];
      return required === undefined || balance === undefined ? 'the balance does not cover amount and fee' : `the account holds ${balance}; this needs ${required} with its pending transactions`;
    }
    case 'SENDER_KEY_UNKNOWN':
    case 'SENDER_LIMIT':
    case 'ADMISSION_IN_PROGRESS':
      return 'wait for the sender\'s pending transactions to commit, then retry';
    case 'DUPLICATE':
      return 'the node already holds this transaction';
    default:
      return 'see the node\'s message';
  }
}
