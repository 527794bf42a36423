/**
 * Builds the state-root known-answer vectors (`stateRoots.json`) deterministically: the example
 * genesis (`genesis.example.json`) and its public seed keys, three blocks of fixed, really signed
 * transactions of every kind (including replays, a stale nonce, an insufficient balance, a key
 * rotation used after its epoch boundary, evidence slashed once), and three epoch boundaries.
 * Execution runs in `'verify'` mode with the noble backend, so every signature is checked.
 *
 * Pure: `test/generate.ts` writes the result and `stateRootVectors.test.ts` rebuilds and
 * compares it, so any change to an encoding, a key space or an execution rule fails loudly.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import {
  addressFromPublicKey,
  contextBytes,
  CONTEXTS,
  createLocalSigner,
  encodeAddress,
  schemeInfo,
  toHex,
  type KeyPair,
  type SignatureBackend,
} from '../../crypto/index.ts';
import { applyEpochBoundary } from '../epoch.ts';
import { encodeSlotHeader } from '../evidence.ts';
import { executeBlock, verifyItemWith } from '../execute.ts';
import type { ExecutionContext, Receipt } from '../executeTypes.ts';
import { parseGenesis } from '../genesis.ts';
import { genesisHash } from '../genesisCodec.ts';
import { buildExampleGenesisText } from '../genesisExample.ts';
import { keyPairFromLabel } from '../genesisSeeds.ts';
import { ledgerFromGenesis, stateRoot, type Ledger } from '../ledger.ts';
import { supplyOf } from '../supply.ts';
import { signKeyPossession, signTx } from '../txSign.ts';
import { txId } from '../txCodec.ts';
import type { Address, Evidence, SignedTx, Tx, TxBody } from '../types.ts';

const addressOf = (k: KeyPair): Address => addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey);

type Actors = {
  readonly known: KeyPair;
  readonly hybrid: KeyPair;
  readonly validators: readonly KeyPair[];
  readonly v2Next: KeyPair;
  readonly recipient: Address;
};

function actors(backend: SignatureBackend): Actors {
  return {
    known: keyPairFromLabel(backend, 'ml-dsa-44', 'devnet-account-0'),
    hybrid: keyPairFromLabel(backend, 'ml-dsa-44+ed25519', 'devnet-account-1'),
    validators: [0, 1, 2, 3].map((i) => keyPairFromLabel(backend, 'ml-dsa-44', `devnet-validator-${i}`)),
    v2Next: keyPairFromLabel(backend, 'ml-dsa-44', 'devnet-validator-2-next'),
    recipient: addressOf(keyPairFromLabel(backend, 'ml-dsa-44', 'devnet-recipient')),
  };
}

const v = (a: Actors, i: number): KeyPair => a.validators[i] as KeyPair;

async function equivocation(backend: SignatureBackend, offender: KeyPair, chainId: string): Promise<Evidence> {
  const signer = createLocalSigner(backend, offender);
  const header = encodeSlotHeader(0n, 3n);
  const message = (fill: number) => Uint8Array.from([...header, ...utf8ToBytes(chainId), ...new Uint8Array(32).fill(fill)]);
  const context = contextBytes(CONTEXTS.vertex);
  const [a, b] = [message(0x11), message(0x22)];
  return {
    context: 'vertex',
    offender: addressOf(offender),
    first: { message: a, signature: await signer.sign(a, context) },
    second: { message: b, signature: await signer.sign(b, context) },
  };
}

type Builder = { readonly backend: SignatureBackend; readonly chainId: string };

async function sign(b: Builder, keys: KeyPair, nonce: bigint, fee: bigint, body: TxBody, includePublicKey = false, sender = addressOf(keys)): Promise<SignedTx> {
  const tx: Tx = { chainId: b.chainId, sender, nonce, fee, body };
  return signTx(createLocalSigner(b.backend, keys), tx, { includePublicKey });
}

const transfer = (to: Address, amount: bigint): TxBody => ({ kind: 'transfer', value: { to, amount } });

async function blocks(b: Builder, a: Actors): Promise<SignedTx[][]> {
  const first = await sign(b, a.known, 0n, 100n, transfer(addressOf(a.hybrid), 1_000_000n));
  const block1 = [
    first,
    await sign(b, a.known, 1n, 100n, transfer(addressOf(v(a, 1)), 50_000n)),
    await sign(b, a.known, 2n, 100n, transfer(addressOf(v(a, 2)), 50_000n)),
    await sign(b, a.hybrid, 0n, 150n, transfer(a.recipient, 12_345n), true),
    await sign(b, v(a, 0), 0n, 100n, { kind: 'bond', value: { amount: 400_000n } }),
    first, // verbatim replay: DUPLICATE
    await sign(b, a.known, 7n, 100n, transfer(a.recipient, 1n)), // NONCE_MISMATCH
    await sign(b, a.hybrid, 1n, 150n, transfer(a.recipient, 10n ** 15n)), // INSUFFICIENT_BALANCE, charged
  ];
  const possession = await signKeyPossession(createLocalSigner(b.backend, a.v2Next), { chainId: b.chainId, sender: addressOf(v(a, 2)), nonce: 0n });
  const evidence = await equivocation(b.backend, v(a, 3), b.chainId);
  const block2 = [
    await sign(b, v(a, 1), 0n, 100n, { kind: 'unbond', value: { amount: 2_000_000n } }),
    await sign(b, v(a, 1), 1n, 100n, { kind: 'unbond', value: { amount: 1_000_000n } }), // merged entry
    await sign(b, v(a, 2), 0n, 200n, { kind: 'rotate-key', value: { newKey: { scheme: a.v2Next.scheme, publicKey: a.v2Next.publicKey }, possession } }),
    await sign(b, a.known, 3n, 300n, { kind: 'evidence', value: { evidence } }),
    await sign(b, a.hybrid, 2n, 300n, { kind: 'evidence', value: { evidence } }), // ALREADY_SLASHED, charged
  ];
  const block3 = [
    // Validator 2's account, signed by its rotated-in key (in force since the boundary).
    await sign(b, a.v2Next, 1n, 100n, transfer(addressOf(a.known), 1_000n), false, addressOf(v(a, 2))),
    await sign(b, v(a, 1), 2n, 100n, { kind: 'unbond', value: { amount: 500_000n } }),
  ];
  return [block1, block2, block3];
}

const json = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? toHex(x) : x)));

const receiptJson = (r: Receipt) => ({
  id: toHex(r.id),
  status: r.status,
  ...(r.reason === undefined ? {} : { reason: json(r.reason) }),
  fee_charged: r.feeCharged.toString(),
  ...(r.slashed === undefined ? {} : { slashed: r.slashed.toString() }),
});

const snapshot = (ledger: Ledger) => ({
  epoch: ledger.epoch.toString(),
  state_root: toHex(stateRoot(ledger)),
  fee_pool: ledger.feePool.toString(),
  burned: ledger.burned.toString(),
  supply: supplyOf(ledger).total.toString(),
});

export type StateRootVectors = {
  readonly file: unknown;
  /** The signed blocks, for tests that re-execute them another way (parallel). */
  readonly blocks: readonly (readonly SignedTx[])[];
  readonly ctx: ExecutionContext;
  readonly genesisLedger: Ledger;
};

/** The vector file (as a JSON value) and the inputs it was built from. */
export async function buildStateRootVectors(backend: SignatureBackend): Promise<StateRootVectors> {
  const parsed = parseGenesis(buildExampleGenesisText(backend));
  if (!parsed.ok) throw new Error('the example genesis must parse');
  const genesis = parsed.value;
  const ctx: ExecutionContext = { params: genesis.params, txSignatures: 'verify', verifyItem: verifyItemWith(backend) };
  const a = actors(backend);
  const signedBlocks = await blocks({ backend, chainId: genesis.chainId }, a);
  const genesisLedger = ledgerFromGenesis(genesis);
  let ledger = genesisLedger;
  const steps: unknown[] = [];
  const boundary = (epoch: bigint) => {
    const r = applyEpochBoundary(ledger, epoch, genesis.params);
    ledger = r.ledger;
    steps.push({
      step: 'epoch-boundary',
      ...snapshot(ledger),
      fees_distributed: r.feesDistributed.toString(),
      released: r.released.toString(),
      validators: r.validators.map((x) => ({ address: encodeAddress(x.address), stake: x.stake.toString(), scheme: x.key.scheme, public_key_prefix: toHex(x.key.publicKey.subarray(0, 8)) })),
    });
  };
  for (const [i, txs] of signedBlocks.entries()) {
    if (i === 2) boundary(1n);
    const r = executeBlock(ledger, txs, ctx);
    ledger = r.ledger;
    steps.push({
      step: 'block',
      txs: txs.map((t) => ({ kind: t.tx.body.kind, sender: encodeAddress(t.tx.sender), nonce: t.tx.nonce.toString(), id: toHex(txId(t.tx)) })),
      receipts: r.receipts.map(receiptJson),
      ...snapshot(ledger),
    });
  }
  boundary(2n);
  boundary(3n);
  const file = {
    source: 'core/state/vectors/test/generate.ts (genesis: core/state/genesis.example.json; keys: core/state/genesisSeeds.ts labels devnet-*; deterministic signing with the noble backend)',
    chain_id: genesis.chainId,
    genesis: { hash: toHex(genesisHash(genesis)), ...snapshot(genesisLedger) },
    steps,
  };
  return { file, blocks: signedBlocks, ctx, genesisLedger };
}

export function stateRootVectorsText(file: unknown): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
