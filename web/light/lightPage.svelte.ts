/**
 * State of the light client's pages (`#light`, `#explorer`, and what `#wallet` reads), one
 * instance shared by the three (HOUSE-RULES 17: runes state in a class, replaced data in
 * `$state.raw`, no effect writes state). It wraps the page-side LightClient (lightClient.ts),
 * whose worker does all networking and verification; this class only holds what the person
 * typed, the latest status the worker posted and the answers to their requests.
 *
 * Lazy by construction: main.ts imports this module (and the client) only when a light page is
 * first opened, and the client (its worker, libp2p) starts on `open()`, so the simulator page
 * never loads them (DESIGN.md §4, first page < 250 KB gz).
 * Prefill: `./devnet/devnet.json` and `./devnet/genesis.json` (where `npm start` puts the local
 * devnet's files) fill the form when present; their absence is normal and stays quiet. A
 * connect that succeeded is remembered (ConnectionStore), so a reload reconnects by itself and
 * the worker resumes from what IndexedDB holds; Disconnect turns that off.
 */
import type { Component } from 'svelte';
import type { Result } from '../../core/result.ts';
import type { WalletPage } from '../wallet/walletPage.svelte.ts';
import type { LightClient } from './lightClient.ts';
import type { LightError, LightRequest, LightStatus, ReplyBody, VerifiedAccountView, VerifiedHead } from './protocol.ts';

/** Newest verified checkpoints listed by the explorer (the session's, newest first). */
const MAX_RECENT_CHECKPOINTS = 20;
/** Peer multiaddrs read from the form: more than any devnet, few enough to dial. */
const MAX_PEERS = 32;
/** Largest devnet.json read: a manifest of a few nodes is a few KB. */
const MAX_DEVNET_CHARS = 1 << 20;

/** The routes these pages answer (web/sim/route.svelte.ts names them). */
export type LightRoute = 'light' | 'explorer' | 'wallet';

/** What main.ts loads on the first visit to a light page: the view and the two pages' state. */
export type LightPages = {
  readonly View: Component<{ route: LightRoute; light: LightPage; wallet: WalletPage }>;
  readonly light: LightPage;
  readonly wallet: WalletPage;
  /** Called each time one of the pages is shown: starts the client and reads the wallet once. */
  open(): void;
  dispose(): void;
};

/** What devnet.json offers the pages (infra/peer/devnet/files.ts `DevnetManifest`). */
export type DevnetPrefill = {
  readonly peers: readonly string[];
  readonly apiUrls: readonly string[];
  readonly users: readonly { readonly name: string; readonly address: string }[];
};

/** The form of the last connect, kept by the browser so a reload reconnects (and resumes). */
export type SavedConnection = {
  readonly peersText: string;
  readonly genesisText: string;
  readonly allowLoopback: boolean;
  /** False after Disconnect: the form is kept, the next visit does not dial by itself. */
  readonly autoConnect: boolean;
};

export type ConnectionStore = {
  load(): SavedConnection | undefined;
  save(connection: SavedConnection): void;
};

export type LightPageComponents = {
  readonly createClient: () => LightClient;
  readonly connections: ConnectionStore;
  /** The text of a same-origin file, or undefined when it is not there. */
  readonly fetchText: (path: string) => Promise<string | undefined>;
  /** Offers `text` to the person as a file download. */
  readonly download: (fileName: string, text: string, mimeType: string) => void;
};

export type LightPageInit = {
  /** The page is served from 127.0.0.1/localhost: the loopback checkbox starts checked. */
  readonly servedFromLoopback: boolean;
};

type Busy = 'connect' | 'disconnect' | 'forget' | 'evidence' | 'lookup' | 'head';

const IDLE_STATUS: LightStatus = Object.freeze({
  phase: 'idle',
  peers: [],
  epochSync: { done: 0, total: 0 },
  head: undefined,
  resumed: undefined,
  alarms: [],
});

export class LightPage {
  peersText = $state('');
  genesisText = $state('');
  allowLoopback = $state(false);
  status = $state.raw<LightStatus>(IDLE_STATUS);
  busy = $state<Busy | undefined>(undefined);
  error = $state.raw<LightError | undefined>(undefined);
  /** What `./devnet/devnet.json` offered (peers, API URLs, funded users), when it exists. */
  prefill = $state.raw<DevnetPrefill | undefined>(undefined);
  /** Verified checkpoints seen this session, newest first. */
  recentCheckpoints = $state.raw<readonly VerifiedHead[]>([]);

  /** Explorer: the address typed, the verified answer, or why there is none. */
  lookupText = $state('');
  lookup = $state.raw<VerifiedAccountView | undefined>(undefined);
  lookupError = $state.raw<LightError | undefined>(undefined);

  /** The newest verified head: from the status stream, or a `head` request if that was newer. */
  readonly head = $derived.by(() => {
    const streamed = this.status.head;
    const requested = this.#requestedHead;
    if (requested === undefined || this.status.phase === 'idle') return streamed;
    return streamed === undefined || requested.sequence > streamed.sequence ? requested : streamed;
  });
  readonly connected = $derived(this.status.phase !== 'idle');
  readonly epochProgress = $derived(this.status.epochSync.total === 0 ? (this.head === undefined ? 0 : 1) : this.status.epochSync.done / this.status.epochSync.total);

  #requestedHead = $state.raw<VerifiedHead | undefined>(undefined);
  readonly #components: LightPageComponents;
  #client: LightClient | undefined;
  #unsubscribe: (() => void) | undefined;
  #opened = false;
  readonly #headListeners = new Set<(head: VerifiedHead) => void>();

  constructor(components: LightPageComponents, init: LightPageInit) {
    this.#components = components;
    this.allowLoopback = init.servedFromLoopback;
  }

  /** Called whenever a light page is shown; the first call starts the client and the prefill. */
  open(): void {
    if (this.#opened) return;
    this.#opened = true;
    this.#clientOf();
    const saved = this.#components.connections.load();
    if (saved === undefined) {
      void this.#prefill();
      return;
    }
    this.peersText = saved.peersText;
    this.genesisText = saved.genesisText;
    this.allowLoopback = saved.allowLoopback;
    // The devnet files still give the wallet its API URL; the saved form is not overwritten.
    void this.#prefill();
    if (saved.autoConnect) void this.connect();
  }

  async connect(): Promise<void> {
    const peers = parsePeerLines(this.peersText);
    if (peers.length === 0) {
      this.error = { code: 'BAD_PEER_ADDRESS', message: 'Enter at least one peer multiaddr (one per line), e.g. /ip4/127.0.0.1/tcp/9001/ws/p2p/12D3Koo…' };
      return;
    }
    if (this.genesisText.trim() === '') {
      this.error = { code: 'BAD_TRUST_ROOT', message: 'Paste the genesis.json text: it is the one thing this client trusts.' };
      return;
    }
    const form = { peersText: this.peersText, genesisText: this.genesisText, allowLoopback: this.allowLoopback };
    const reply = await this.#run('connect', { type: 'connect', request: { trust: { kind: 'genesis', genesisText: form.genesisText }, peers, allowLoopback: form.allowLoopback } });
    if (reply !== undefined) this.#components.connections.save({ ...form, autoConnect: true });
  }

  async disconnect(): Promise<void> {
    if ((await this.#run('disconnect', { type: 'disconnect' })) === undefined) return;
    const saved = this.#components.connections.load();
    if (saved !== undefined) this.#components.connections.save({ ...saved, autoConnect: false });
  }

  async forget(): Promise<void> {
    if ((await this.#run('forget', { type: 'forget' })) !== undefined) this.recentCheckpoints = [];
  }

  /** Asks the worker for its verified head and committee now (the explorer's refresh). */
  async refreshHead(): Promise<void> {
    const reply = await this.#run('head', { type: 'head' });
    if (reply !== undefined) this.#requestedHead = reply.head;
  }

  async downloadEvidence(): Promise<void> {
    const reply = await this.#run('evidence', { type: 'evidence' });
    if (reply !== undefined) this.#components.download(reply.fileName, reply.json, 'application/json');
  }

  /** Explorer: looks up the typed address through the worker (verified or an error, nothing between). */
  async lookUp(): Promise<void> {
    const addressText = this.lookupText.trim();
    this.lookup = undefined;
    this.lookupError = undefined;
    this.busy = 'lookup';
    const answer = await this.account(addressText);
    this.busy = undefined;
    if (answer.ok) this.lookup = answer.value;
    else this.lookupError = answer.error;
  }

  /** A verified account, for the explorer and the wallet. */
  async account(addressText: string): Promise<Result<VerifiedAccountView, LightError>> {
    const reply = await this.#clientOf().request({ type: 'account', addressText });
    return reply.ok ? { ok: true, value: reply.value.account } : reply;
  }

  /** Listens for each new verified head; returns the unsubscribe. */
  onHeadChange(listener: (head: VerifiedHead) => void): () => void {
    this.#headListeners.add(listener);
    return () => this.#headListeners.delete(listener);
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#client?.dispose();
    this.#client = undefined;
    this.#headListeners.clear();
  }

  #clientOf(): LightClient {
    if (this.#client !== undefined) return this.#client;
    const client = this.#components.createClient();
    this.#client = client;
    this.#unsubscribe = client.onStatus((status) => this.#onStatus(status));
    return client;
  }

  #onStatus(status: LightStatus): void {
    const before = this.status.head;
    this.status = status;
    const head = status.head;
    if (head === undefined || (before !== undefined && before.sequence === head.sequence && sameBytes(before.checkpointHash, head.checkpointHash))) return;
    this.recentCheckpoints = [head, ...this.recentCheckpoints.filter((seen) => seen.sequence !== head.sequence)].slice(0, MAX_RECENT_CHECKPOINTS);
    for (const listener of this.#headListeners) listener(head);
  }

  async #run<T extends LightRequest['type']>(busy: Busy, body: Extract<LightRequest, { type: T }>): Promise<Extract<ReplyBody, { type: T }> | undefined> {
    this.busy = busy;
    this.error = undefined;
    try {
      const reply = await this.#clientOf().request<T>(body);
      if (reply.ok) return reply.value;
      this.error = reply.error;
      return undefined;
    } finally {
      this.busy = undefined;
    }
  }

  async #prefill(): Promise<void> {
    const [devnetText, genesisText] = await Promise.all([
      this.#components.fetchText('./devnet/devnet.json'),
      this.#components.fetchText('./devnet/genesis.json'),
    ]);
    const devnet = devnetText === undefined ? undefined : parseDevnet(devnetText);
    this.prefill = devnet;
    // The person's own typing wins over the prefill.
    if (devnet !== undefined && this.peersText.trim() === '') this.peersText = devnet.peers.join('\n');
    if (genesisText !== undefined && looksLikeJsonObject(genesisText) && this.genesisText.trim() === '') this.genesisText = genesisText;
  }
}

/** One multiaddr per line; blank lines and `#` comments ignored, duplicates once. */
export function parsePeerLines(text: string): readonly string[] {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  return [...new Set(lines)].slice(0, MAX_PEERS);
}

/** The parts of devnet.json the pages use, or undefined when the text is not one. */
export function parseDevnet(text: string): DevnetPrefill | undefined {
  if (text.length > MAX_DEVNET_CHARS || !looksLikeJsonObject(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as { nodes?: unknown; users?: unknown };
  const nodes = Array.isArray(record.nodes) ? record.nodes.slice(0, MAX_PEERS) : [];
  const users = Array.isArray(record.users) ? record.users.slice(0, MAX_PEERS) : [];
  const stringsOf = (items: readonly unknown[], name: string): string[] =>
    items.flatMap((item) => {
      const found = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[name] : undefined;
      return typeof found === 'string' ? [found] : [];
    });
  const userNames = stringsOf(users, 'name');
  const userAddresses = stringsOf(users, 'address');
  if (nodes.length === 0) return undefined;
  return Object.freeze({
    peers: stringsOf(nodes, 'ws'),
    apiUrls: stringsOf(nodes, 'apiUrl'),
    users: userAddresses.length === userNames.length ? userAddresses.map((address, i) => ({ name: userNames[i] ?? '', address })) : [],
  });
}

/** A static server answers a missing file with its index.html: only JSON objects count. */
function looksLikeJsonObject(text: string): boolean {
  return text.trimStart().startsWith('{');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
