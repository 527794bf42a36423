import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addressFromPublicKey, createNobleBackend, encodeAddress, schemeInfo, toHex, type KeyPair } from '../../core/crypto/index.ts';
import { encryptKeyFile, MIN_SCRYPT_N } from '../../core/crypto/keyfile.ts';
import { encodePlaintextKeyFile } from '../../core/crypto/plaintextKeyFile.ts';
import { DEFAULT_PARAMS, decodeSignedTx, txId, txSignatureItem, type SignedTx } from '../../core/state/index.ts';
import { sampleStatus, startTestApi, TEST_CHAIN_ID, type TestApi } from './_apiTestServer.ts';
import { fixedKeyPair, run } from './_cliTest.ts';

const key = fixedKeyPair('ml-dsa-44');
const addressOf = (k: KeyPair): string => encodeAddress(addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey));
const sender = addressOf(key);
const recipient = addressOf(fixedKeyPair('ml-dsa-44', 9));
const files = {
  'dev.json': encodePlaintextKeyFile(key),
  'enc.json': encryptKeyFile(key, 'pw', { random: (n) => new Uint8Array(n).fill(5), scryptN: MIN_SCRYPT_N }),
};
const keyOnRecord = { scheme: 'ml-dsa-44', publicKey: toHex(key.publicKey) };

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.script.status = sampleStatus();
  api.script.accounts.clear();
  api.script.submitReply = undefined;
  api.script.lookupReplies = [{ httpStatus: 200, body: { status: 'pending' } }];
  api.submitted.length = 0;
  api.requests.length = 0;
});

const transfer = (...extra: string[]) => ['tx', 'transfer', '--api', api.url, '--key', 'dev.json', '--to', recipient, '--amount', '4242', ...extra];

/** The one transaction the server received, decoded as a node's mempool would, its signature checked. */
function received(): SignedTx {
  expect(api.submitted).toHaveLength(1);
  const decoded = decodeSignedTx(api.submitted[0] ?? new Uint8Array(), { chainId: TEST_CHAIN_ID, maxTxBytes: DEFAULT_PARAMS.maxTxBytes });
  if (!decoded.ok) throw new Error(`submitted bytes do not decode: ${decoded.error.code}`);
  const item = txSignatureItem(decoded.value, { scheme: key.scheme, publicKey: key.publicKey });
  expect(createNobleBackend().verify(item.scheme, item.publicKey, item.message, item.signature, item.context)).toBe(true);
  return decoded.value;
}

describe('kaldrix tx transfer', () => {
  it('signs a transfer for the node\'s chain, carries the key for a new account, and prints the id', async () => {
    const r = await run(transfer('--fee', '1000'), { files });
    expect([r.code, r.err]).toEqual([0, '']);
    const signed = received();
    expect(signed.tx.chainId).toBe(TEST_CHAIN_ID);
    expect(encodeAddress(signed.tx.sender)).toBe(sender);
    expect([signed.tx.nonce, signed.tx.fee]).toEqual([0n, 1000n]);
    expect(signed.tx.body.kind).toBe('transfer');
    if (signed.tx.body.kind !== 'transfer') return;
    expect(encodeAddress(signed.tx.body.value.to)).toBe(recipient);
    expect(signed.tx.body.value.amount).toBe(4242n);
    expect(signed.publicKey?.publicKey).toEqual(key.publicKey);
    expect(r.out).toBe(`${toHex(txId(signed.tx))}\n`);
    expect(api.requests).toEqual(['GET /v1/status', `GET /v1/accounts/${sender}`, 'POST /v1/transactions']);
  });

  it('takes the nonce from the account, and carries no key when one is on record', async () => {
    api.script.accounts.set(sender, { balance: '100000', nonce: '5', stake: '0', key: keyOnRecord });
    expect((await run(transfer(), { files })).code).toBe(0);
    const signed = received();
    expect([signed.tx.nonce, signed.tx.fee, signed.publicKey]).toEqual([5n, 0n, undefined]);
  });

  it('--nonce overrides; a keyless account carries its key only in its next transaction', async () => {
    api.script.accounts.set(sender, { balance: '100000', nonce: '2', stake: '0' });
    expect((await run(transfer('--nonce', '2'), { files })).code).toBe(0);
    expect(received().publicKey).toBeDefined();
    api.submitted.length = 0;
    expect((await run(transfer('--nonce', '3'), { files })).code).toBe(0);
    const later = received();
    expect([later.tx.nonce, later.publicKey]).toEqual([3n, undefined]);
  });

  it('opens an encrypted key file with --passphrase-env', async () => {
    const r = await run(['tx', 'transfer', '--api', api.url, '--key', 'enc.json', '--to', recipient, '--amount', '1', '--passphrase-env', 'PW'], { files, env: { PW: 'pw' } });
    expect(r.code).toBe(0);
    expect(encodeAddress(received().tx.sender)).toBe(sender);
  });

  it('--json prints one object with the id and the fields', async () => {
    const r = await run(transfer('--json', '--fee', '7'), { files });
    expect(r.code).toBe(0);
    const signed = received();
    expect(JSON.parse(r.out)).toEqual({ id: toHex(txId(signed.tx)), chainId: TEST_CHAIN_ID, sender, to: recipient, amount: '4242', fee: '7', nonce: '0', status: 'pending' });
  });

  it('--wait polls until committed and prints the outcome', async () => {
    const committed = { status: 'committed', commitIndex: '42', receipt: { id: 'ab', status: 'applied', feeCharged: '1000' } };
    api.script.lookupReplies = [{ httpStatus: 200, body: { status: 'pending' } }, { httpStatus: 200, body: { status: 'pending' } }, { httpStatus: 200, body: committed }];
    const r = await run(transfer('--fee', '1000', '--wait'), { files });
    expect(r.code).toBe(0);
    const id = toHex(txId(received().tx));
    expect(r.out).toBe(`${id}\ncommitted at commit index 42: applied, fee charged 1000\n`);
    expect(r.err).toBe(`kaldrix tx transfer: waiting up to 60 s for ${id} to commit\n`);
    expect(api.requests.filter((q) => q === `GET /v1/transactions/${id}`)).toHaveLength(3);
  });

  it('--wait on a terminal rewrites one progress line; --json prints the committed answer', async () => {
    const committed = { status: 'committed', commitIndex: '9', receipt: { id: 'ab', status: 'applied', feeCharged: '0' } };
    api.script.lookupReplies = [{ httpStatus: 200, body: { status: 'pending' } }, { httpStatus: 200, body: committed }];
    const r = await run(transfer('--wait', '--json'), { files, stderrIsTerminal: true });
    expect(r.code).toBe(0);
    const eraseToLineEnd = '\u001b[K';
    expect(r.err.endsWith(`${eraseToLineEnd}\n`)).toBe(true);
    expect(r.err.replace(eraseToLineEnd, '')).toMatch(/^\rkaldrix tx transfer: waiting for the commit: pending \(\d+\.\d s\)\n$/);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    expect([out['status'], out['commitIndex'], out['id'], out['nonce']]).toEqual(['committed', '9', toHex(txId(received().tx)), '0']);
  });

  it('--wait exits 1 when execution rejected the committed transaction', async () => {
    const rejected = { status: 'committed', commitIndex: '43', receipt: { id: 'ab', status: 'rejected', reason: { code: 'INSUFFICIENT_BALANCE' }, feeCharged: '0' } };
    api.script.lookupReplies = [{ httpStatus: 200, body: rejected }];
    const r = await run(transfer('--wait'), { files });
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[1]).toBe('committed at commit index 43: rejected by execution (INSUFFICIENT_BALANCE), fee charged 0');
  });

  it('--wait gives up after --timeout with exit 3, and --json still reports the id', async () => {
    const r = await run(transfer('--wait', '--timeout', '0.3', '--json'), { files });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^kaldrix tx transfer: not committed within 0\.3 s \(the node reports it pending\) \(wait longer with --timeout/m);
    expect(JSON.parse(r.out)).toMatchObject({ id: toHex(txId(received().tx)), status: 'pending' });
  });

  it('a refusal by the node exits 1 with its error code, reject code, message and a fix', async () => {
    api.script.submitReply = {
      httpStatus: 400,
      body: { error: 'TX_REJECTED', message: 'the mempool refused the transaction: FEE_TOO_LOW', reject: { code: 'FEE_TOO_LOW', reason: 'below-minimum', requiredFee: '2500' } },
    };
    const r = await run(transfer(), { files });
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toBe('kaldrix tx transfer: the node refused the transaction: TX_REJECTED FEE_TOO_LOW: the mempool refused the transaction: FEE_TOO_LOW (pass --fee 2500 or more)\n');
  });

  it('a node failing (HTTP 500) or an unreachable API exits 3, naming the URL', async () => {
    api.script.submitReply = { httpStatus: 500, body: { error: 'INTERNAL', message: 'internal error' } };
    const failed = await run(transfer(), { files });
    expect(failed.code).toBe(3);
    expect(failed.err).toMatch(/^kaldrix tx transfer: the node failed to take the transaction: INTERNAL: internal error /);

    const gone = await startTestApi();
    await gone.close();
    const r = await run(['tx', 'transfer', '--api', gone.url, '--key', 'dev.json', '--to', recipient, '--amount', '1'], { files });
    expect([r.code, r.out]).toEqual([3, '']);
    expect(r.err).toBe(`kaldrix tx transfer: cannot reach the API at '${gone.url}/v1/status': ECONNREFUSED (check --api and that the node is running)\n`);
  });

  const badChecksum = recipient.slice(0, -1) + (recipient.endsWith('q') ? 'p' : 'q');
  it.each([
    [{ to: 'kdx1qqqq' }, [], /^kaldrix tx transfer: --to 'kdx1qqqq' is not an address: /],
    [{ to: badChecksum }, [], /is not an address: the checksum does not match/],
    [{ amount: '12.5' }, [], /^kaldrix tx transfer: --amount '12\.5' is not a whole number \(give --amount as a whole number of base units/],
    [{ amount: '1e3' }, [], /--amount '1e3' is not a whole number/],
    [{ amount: '0' }, [], /--amount is 0 /],
    [{ amount: '18446744073709551616' }, [], /--amount '18446744073709551616' exceeds 2\^64 - 1/],
    [{}, ['--fee', '18446744073709551615'], /--amount plus --fee exceeds 2\^64 - 1/],
    [{}, ['--nonce', 'next'], /--nonce 'next' is not a whole number/],
    [{ api: 'ftp://127.0.0.1' }, [], /--api 'ftp:\/\/127\.0\.0\.1' is not an http or https URL/],
    [{ api: 'localhost 8080' }, [], /--api 'localhost 8080' is not a URL/],
    [{}, ['--timeout', '5'], /--timeout given without --wait/],
    [{}, ['--wait', '--timeout', '0'], /--timeout '0' is not a number of seconds/],
    [{ to: sender }, [], /--to is the key's own address/],
    [{ key: 'missing.json' }, [], /cannot read key file 'missing\.json': no such file/],
  ] as const)('bad input %j %j exits 2 with one line and sends nothing', async (override, extra, expected) => {
    const flags: Record<string, string> = { api: api.url, key: 'dev.json', to: recipient, amount: '4242', ...override };
    const r = await run(['tx', 'transfer', ...Object.entries(flags).flatMap(([name, value]) => [`--${name}`, value]), ...extra], { files });
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(expected);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(api.requests).toEqual([]);
  });

  it('names a missing subcommand or required flag', async () => {
    expect((await run(['tx'])).err).toBe('kaldrix tx: needs a subcommand (transfer) (run kaldrix --help for the list of commands)\n');
    expect((await run(['tx', 'send'])).err).toBe("kaldrix tx: unknown subcommand 'send' (known: transfer) (run kaldrix --help for the list of commands)\n");
    const r = await run(['tx', 'transfer', '--api', api.url, '--key', 'dev.json', '--amount', '1'], { files });
    expect([r.code, r.err]).toEqual([2, 'kaldrix tx transfer: missing --to (see kaldrix tx transfer --help)\n']);
    expect((await run(['help', 'tx', 'transfer'])).out).toMatch(/^kaldrix tx transfer: /);
  });
});
