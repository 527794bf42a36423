// Test support: peers that serve real certificates (core/light/test/fixture.ts) through the
// session's transport interface, encoded with the wire codecs of core/net as a full peer
// answers them; a manual clock; an in-memory store; the fixture's genesis as genesis text.
import { encodeCertificate, type Certificate } from '../../../core/consensus/index.ts';
import { encodeAddress, toHex } from '../../../core/crypto/index.ts';
import {
  accountProofRequestCodec,
  accountProofResponseCodec,
  epochCertificatesRequestCodec,
  epochCertificatesResponseCodec,
  latestCertificateResponseCodec,
} from '../../../core/net/index.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import { PARAM_SPECS, type Address, type Genesis } from '../../../core/state/index.ts';
import type { Fixture } from '../../../core/light/test/fixture.ts';
import type { LightStore } from '../_persist.ts';
import type { AskError, LightTransport } from '../_transport.ts';

export type FakePeer = {
  readonly id: string;
  readonly multiaddr: string;
  /** Newest sequence this peer has certified (it serves epochs and its latest up to here). */
  height: bigint;
  /** Served instead of the real latest certificate, when set (a liar). */
  latestOverride?: Uint8Array | undefined;
  account?: ((address: Address) => Uint8Array | undefined) | undefined;
  reachable: boolean;
  /** Every request answers this error instead, when set (a slow or broken peer). */
  failWith?: AskError | undefined;
  asked: string[];
};

export function fakePeer(letter: string, height: bigint): FakePeer {
  const id = `12D3KooW${letter.repeat(44)}`;
  return { id, multiaddr: `/ip4/127.0.0.1/tcp/4100/ws/p2p/${id}`, height, reachable: true, asked: [] };
}

export type FakeNetwork = LightTransport & { readonly connected: Set<string>; disconnect(peerId: string): void; readonly dials: string[] };

export function fakeNetwork(f: Fixture, peers: readonly FakePeer[]): FakeNetwork {
  const connected = new Set<string>();
  const dials: string[] = [];
  let onClose: (peerId: string) => void = () => {};
  const byId = (id: string): FakePeer | undefined => peers.find((p) => p.id === id);
  const upTo = (peer: FakePeer, list: readonly Certificate[]) => list.filter((c) => c.checkpoint.sequence <= peer.height);
  const answer = (peer: FakePeer, name: string, request: Uint8Array): Uint8Array => {
    switch (name) {
      case 'latestCertificate': {
        if (peer.latestOverride !== undefined) return latestCertificateResponseCodec.encode(peer.latestOverride);
        const newest = upTo(peer, f.certificates).at(-1);
        return latestCertificateResponseCodec.encode(newest === undefined ? undefined : encodeCertificate(newest));
      }
      case 'epochCertificates': {
        const decoded = epochCertificatesRequestCodec.decode(request);
        if (!decoded.ok) throw new Error('the session sent a malformed epoch-certificates request');
        const { fromEpoch, max } = decoded.value;
        const list = upTo(peer, f.endOfEpoch).filter((c) => c.checkpoint.epoch >= fromEpoch).slice(0, max);
        return epochCertificatesResponseCodec.encode(list.map(encodeCertificate));
      }
      case 'accountProof': {
        const address = accountProofRequestCodec.decode(request);
        if (!address.ok) throw new Error('the session sent a malformed account request');
        return accountProofResponseCodec.encode(peer.account?.(address.value));
      }
      default:
        throw new Error(`unknown protocol ${name}`);
    }
  };
  return {
    connected,
    dials,
    disconnect(peerId) {
      connected.delete(peerId);
      onClose(peerId);
    },
    async dial(_multiaddr, peerId): Promise<Result<void, AskError>> {
      dials.push(peerId);
      const peer = byId(peerId);
      if (peer === undefined || !peer.reachable) return err({ code: 'DIAL_FAILED', message: 'connection refused' });
      connected.add(peerId);
      return ok(undefined);
    },
    async ask(peerId, name, request) {
      const peer = byId(peerId);
      if (peer === undefined || !connected.has(peerId)) return err({ code: 'NOT_CONNECTED', message: 'not connected' });
      peer.asked.push(name);
      if (peer.failWith !== undefined) return err(peer.failWith);
      return ok(answer(peer, name, request));
    },
    async hangUp(peerId) {
      connected.delete(peerId);
    },
    onDisconnect(listener) {
      onClose = listener;
    },
    async stop() {
      connected.clear();
    },
  };
}

export const manualClock = () => {
  const clock = { now: 1_000, nowMs: () => clock.now };
  return clock;
};

export function memoryStore(): LightStore & { readonly records: Map<string, Uint8Array> } {
  const records = new Map<string, Uint8Array>();
  return {
    records,
    load: async (key) => ok(records.get(key)),
    save: async (key, bytes) => {
      records.set(key, bytes.slice());
      return ok(undefined);
    },
    remove: async (key) => {
      records.delete(key);
      return ok(undefined);
    },
    clear: async () => {
      records.clear();
      return ok(undefined);
    },
    close: () => {},
  };
}

/** The genesis as the text `kaldrix devnet` writes (genesis.json): snake_case, amounts as strings, keys in hex. */
export function genesisText(genesis: Genesis): string {
  const params = Object.fromEntries(PARAM_SPECS.map((spec) => {
    const value = genesis.params[spec.key];
    return [spec.name, typeof value === 'bigint' ? value.toString() : value];
  }));
  const key = (k: { scheme: string; publicKey: Uint8Array } | undefined) => (k === undefined ? {} : { scheme: k.scheme, public_key: toHex(k.publicKey) });
  return JSON.stringify({
    chain_id: genesis.chainId,
    genesis_time_ms: genesis.genesisTimeMs,
    params,
    accounts: genesis.accounts.map((a) => ({ address: encodeAddress(a.address), balance: a.balance.toString(), ...key(a.key) })),
    validators: genesis.validators.map((v) => ({ address: encodeAddress(v.address), stake: v.stake.toString(), ...key(v.key) })),
  });
}
