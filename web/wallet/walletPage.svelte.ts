/**
 * State of the wallet page (HOUSE-RULES 17: runes state in a class, replaced data in
 * `$state.raw`, no effect writes state).
 *
 * The key: created or imported (walletKeys.ts), stored ONLY as an encrypted key file
 * (keystore.ts), unlocked with the passphrase after a reload; the secret key lives in this
 * object's private field while unlocked and is wiped on lock.
 * The balance: only what the light client VERIFIED (an account proof against a certified state
 * root, with its receipt); while there is none the page says "not verified yet".
 * A transfer: built on the verified nonce and balance, signed here, POSTed to a peer's API;
 * "submitted" until the verified sender account's nonce moves past it ("finalized"), polled
 * about every second for a bounded time and on every new verified head.
 */
import { createLocalSigner, type SchemeName, type SignatureBackend } from '../../core/crypto/index.ts';
import type { Result } from '../../core/result.ts';
import type { VerificationReceipt } from '../../core/light/index.ts';
import type { LightError, VerifiedAccountView, VerifiedHead } from '../light/protocol.ts';
import type { WalletError } from './errors.ts';
import type { Keystore, StoredKey } from './keystore.ts';
import { submitTransaction } from './submit.ts';
import { buildTransfer, checkDraft, signTransfer, type SignedTransfer } from './transfer.ts';
import { createWalletKey, importWalletKey, unlockWalletKey, type UnlockedKey, type WalletScheme } from './walletKeys.ts';

/** Polls after a submit before a transfer is reported "not finalized yet": about two minutes. */
const MAX_FINALITY_POLLS = 120;
const FINALITY_POLL_MS = 1_000;
/** Transfers listed; the oldest finalized ones drop off first. */
const MAX_TRANSFERS = 50;
/** Lets the page paint "working…" before scrypt holds the main thread for about a second. */
const PAINT_DELAY_MS = 30;
/** With nothing pending, a new verified head refreshes the balance at most this often (a proof costs a peer round trip). */
const IDLE_REFRESH_MS = 10_000;
/** Random bytes per hedged signature (FIPS 204 rnd). */
const SIGN_RANDOM_BYTES = 32;

/** What the wallet needs from the light client (LightPage provides it). */
export type VerifiedSource = {
  readonly head: VerifiedHead | undefined;
  readonly prefill: { readonly apiUrls: readonly string[] } | undefined;
  account(addressText: string): Promise<Result<VerifiedAccountView, LightError>>;
  onHeadChange(listener: (head: VerifiedHead) => void): () => void;
};

export type WalletPageComponents = {
  readonly source: VerifiedSource;
  readonly keystore: Keystore;
  readonly backend: SignatureBackend;
  readonly random: (byteCount: number) => Uint8Array;
  readonly fetch: typeof fetch;
  readonly nowMs: () => number;
  readonly setTimer: (callback: () => void, delayMs: number) => number;
  readonly clearTimer: (handle: number) => void;
  readonly download: (fileName: string, text: string, mimeType: string) => void;
};

export type TransferStatus = 'submitted' | 'finalized' | 'not finalized yet';

export type TransferEntry = {
  readonly idHex: string;
  readonly nonce: bigint;
  readonly recipientText: string;
  readonly amountUnits: bigint;
  readonly feeUnits: bigint;
  readonly status: TransferStatus;
  /** The verified sender account that showed it final. */
  readonly finalizedBy: VerificationReceipt | undefined;
};

type WalletPhase = 'loading' | 'no-key' | 'locked' | 'unlocked';
type Busy = 'create' | 'import' | 'unlock' | 'send' | 'refresh' | 'remove';

export class WalletPage {
  phase = $state<WalletPhase>('loading');
  stored = $state.raw<StoredKey | undefined>(undefined);
  /** Setup form. */
  newScheme = $state<WalletScheme>('ml-dsa-44');
  keyFileText = $state('');
  passphrase = $state('');
  /** Send form. */
  recipientText = $state('');
  amountText = $state('');
  feeText = $state('1');
  busy = $state<Busy | undefined>(undefined);
  keyError = $state.raw<WalletError | undefined>(undefined);
  sendError = $state.raw<WalletError | undefined>(undefined);
  verified = $state.raw<VerifiedAccountView | undefined>(undefined);
  verifyError = $state.raw<LightError | undefined>(undefined);
  transfers = $state.raw<readonly TransferEntry[]>([]);

  readonly addressText = $derived(this.stored?.addressText);
  readonly scheme = $derived<SchemeName | undefined>(this.stored?.scheme);
  readonly pending = $derived(this.transfers.filter((t) => t.status !== 'finalized'));

  #apiUrl = $state<string | undefined>(undefined);
  #key: UnlockedKey | undefined;
  #pollHandle: number | undefined;
  #pollsLeft = 0;
  #refreshing: Promise<void> | undefined;
  #refreshedAtMs = Number.NEGATIVE_INFINITY;
  readonly #components: WalletPageComponents;
  readonly #unsubscribe: () => void;

  constructor(components: WalletPageComponents) {
    this.#components = components;
    this.#unsubscribe = components.source.onHeadChange(() => {
      if (this.phase !== 'unlocked') return;
      const stale = this.#components.nowMs() - this.#refreshedAtMs >= IDLE_REFRESH_MS;
      if (this.verified === undefined || this.pending.length > 0 || stale) void this.refreshVerified();
    });
  }

  /** The peer API the transfer goes to: what the person typed, else devnet.json's first. */
  get apiUrl(): string {
    return this.#apiUrl ?? this.#components.source.prefill?.apiUrls[0] ?? '';
  }
  set apiUrl(value: string) {
    this.#apiUrl = value;
  }

  /** Reads the stored key record (once, when the page first shows). */
  async load(): Promise<void> {
    if (this.phase !== 'loading') return;
    const loaded = await this.#components.keystore.load();
    if (!loaded.ok) this.keyError = loaded.error;
    this.stored = loaded.ok ? loaded.value : undefined;
    this.phase = this.stored === undefined ? 'no-key' : 'locked';
  }

  async createKey(): Promise<void> {
    const { backend, random } = this.#components;
    await this.#keyStep('create', () => createWalletKey(this.newScheme, this.passphrase, { backend, random }));
  }

  async importKey(): Promise<void> {
    const { backend, random } = this.#components;
    await this.#keyStep('import', () => importWalletKey(this.keyFileText, this.passphrase, { backend, random }));
  }

  async unlock(): Promise<void> {
    const stored = this.stored;
    if (stored === undefined) return;
    await this.#keyStep('unlock', () => unlockWalletKey(stored.encryptedKeyFile, this.passphrase, this.#components.backend));
  }

  /** Forgets the unlocked secret key (wiped), keeping the encrypted file. */
  lock(): void {
    this.#key?.keys.secretKey.fill(0);
    this.#key = undefined;
    if (this.stored !== undefined) this.phase = 'locked';
  }

  /** Deletes the key from this browser (offer "Export encrypted backup" first). */
  async removeKey(): Promise<void> {
    this.busy = 'remove';
    const cleared = await this.#components.keystore.clear();
    this.busy = undefined;
    if (!cleared.ok) {
      this.keyError = cleared.error;
      return;
    }
    this.lock();
    this.stored = undefined;
    this.verified = undefined;
    this.transfers = [];
    this.phase = 'no-key';
  }

  exportBackup(): void {
    const stored = this.stored;
    if (stored === undefined) return;
    this.#components.download(`kaldrix-wallet-${stored.addressText.slice(0, 14)}.key.json`, stored.encryptedKeyFile, 'application/json');
  }

  /** Asks the light client for this wallet's verified account; one request at a time. */
  refreshVerified(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async send(): Promise<void> {
    this.sendError = undefined;
    const key = this.#key;
    if (key === undefined) {
      this.sendError = { code: 'NO_KEY' };
      return;
    }
    this.busy = 'send';
    try {
      const signed = await this.#signNext(key);
      if (!signed.ok) {
        this.sendError = signed.error;
        return;
      }
      const { transfer, entry } = signed.value;
      const answer = await submitTransaction(this.#components.fetch, this.apiUrl, transfer.bytes);
      if (!answer.ok) {
        this.sendError = answer.error;
        return;
      }
      this.transfers = [entry, ...this.transfers].slice(0, MAX_TRANSFERS);
      this.amountText = '';
      this.#startPolling();
    } finally {
      this.busy = undefined;
    }
  }

  dispose(): void {
    this.#unsubscribe();
    if (this.#pollHandle !== undefined) this.#components.clearTimer(this.#pollHandle);
    this.#pollHandle = undefined;
    this.lock();
    this.#components.keystore.close();
  }

  async #signNext(key: UnlockedKey): Promise<Result<{ transfer: SignedTransfer; entry: TransferEntry }, WalletError>> {
    const draft = { recipientText: this.recipientText, amountText: this.amountText, feeText: this.feeText };
    // Typing mistakes first: they need no peer and no proof.
    const typed = checkDraft(draft, key.address);
    if (!typed.ok) return typed;
    await this.refreshVerified();
    const verified = this.verified;
    const head = this.#components.source.head;
    if (verified === undefined || head === undefined) {
      return { ok: false, error: { code: 'NOT_VERIFIED', reason: this.verifyError?.message ?? 'connect the light client first' } };
    }
    const account = verified.account;
    const pending = this.transfers.filter((t) => t.status !== 'finalized' && t.nonce >= account.nonce);
    const nonce = pending.reduce((next, t) => (t.nonce + 1n > next ? t.nonce + 1n : next), account.nonce);
    const committedUnits = pending.reduce((sum, t) => sum + t.amountUnits + t.feeUnits, 0n);
    const spendable = account.balance > committedUnits ? account.balance - committedUnits : 0n;
    const tx = buildTransfer(draft, { chainId: head.chainId, address: key.address, account: { ...account, balance: spendable } }, nonce);
    if (!tx.ok) return tx;
    const { random } = this.#components;
    const signer = createLocalSigner(this.#components.backend, key.keys, { random: () => random(SIGN_RANDOM_BYTES) });
    const transfer = await signTransfer(signer, tx.value, account);
    const body = tx.value.body.kind === 'transfer' ? tx.value.body.value : undefined;
    if (body === undefined) throw new Error('send: built a transaction that is not a transfer');
    const entry: TransferEntry = Object.freeze({
      idHex: transfer.idHex,
      nonce,
      recipientText: draft.recipientText.trim(),
      amountUnits: body.amount,
      feeUnits: tx.value.fee,
      status: 'submitted',
      finalizedBy: undefined,
    });
    return { ok: true, value: { transfer, entry } };
  }

  async #refresh(): Promise<void> {
    const addressText = this.addressText;
    if (addressText === undefined) return;
    this.#refreshedAtMs = this.#components.nowMs();
    const answer = await this.#components.source.account(addressText);
    if (!answer.ok) {
      this.verifyError = answer.error;
      return;
    }
    this.verifyError = undefined;
    // A verified answer from an older head never replaces a newer one.
    if (this.verified !== undefined && this.verified.receipt.sequence > answer.value.receipt.sequence) return;
    this.verified = answer.value;
    this.#markFinalized(answer.value);
  }

  /** A transfer is final once the VERIFIED sender nonce moved past it (it executed, in order). */
  #markFinalized(view: VerifiedAccountView): void {
    if (!this.transfers.some((t) => t.status !== 'finalized' && t.nonce < view.account.nonce)) return;
    this.transfers = this.transfers.map((t) =>
      t.status !== 'finalized' && t.nonce < view.account.nonce ? Object.freeze({ ...t, status: 'finalized', finalizedBy: view.receipt }) : t,
    );
  }

  #startPolling(): void {
    this.#pollsLeft = MAX_FINALITY_POLLS;
    if (this.#pollHandle === undefined) this.#schedulePoll();
  }

  #schedulePoll(): void {
    this.#pollHandle = this.#components.setTimer(() => void this.#poll(), FINALITY_POLL_MS);
  }

  async #poll(): Promise<void> {
    this.#pollHandle = undefined;
    this.#pollsLeft -= 1;
    await this.refreshVerified();
    const waiting = this.transfers.some((t) => t.status === 'submitted');
    if (waiting && this.#pollsLeft > 0) {
      this.#schedulePoll();
      return;
    }
    if (waiting) this.transfers = this.transfers.map((t) => (t.status === 'submitted' ? Object.freeze({ ...t, status: 'not finalized yet' }) : t));
  }

  async #keyStep(busy: Busy, step: () => Result<UnlockedKey, WalletError>): Promise<void> {
    this.busy = busy;
    this.keyError = undefined;
    await new Promise<void>((resolve) => this.#components.setTimer(resolve, PAINT_DELAY_MS));
    try {
      const made = step();
      if (!made.ok) {
        this.keyError = made.error;
        return;
      }
      const record = { encryptedKeyFile: made.value.encryptedKeyFile, scheme: made.value.keys.scheme, addressText: made.value.addressText };
      if (busy !== 'unlock') {
        const saved = await this.#components.keystore.save(record);
        if (!saved.ok) {
          this.keyError = saved.error;
          return;
        }
      }
      this.lock();
      if (made.value.addressText !== this.stored?.addressText) this.verified = undefined;
      this.#key = made.value;
      this.stored = { ...record, savedAtMs: this.stored?.savedAtMs ?? this.#components.nowMs() };
      this.passphrase = '';
      this.keyFileText = '';
      this.phase = 'unlocked';
      void this.refreshVerified();
    } finally {
      this.busy = undefined;
    }
  }
}
