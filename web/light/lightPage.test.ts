/** The light pages' pure helpers: the peer list typed in the form and the devnet manifest. */
import { describe, expect, it } from 'vitest';
import { formatUnits, shortHex, shortPeerId } from './components/format.ts';
import { createConnectionStore, parseSavedConnection } from './components/savedConnection.ts';
import { parseDevnet, parsePeerLines } from './lightPage.svelte.ts';

describe('parsePeerLines', () => {
  it('takes one multiaddr per line, skipping blanks, comments and duplicates', () => {
    const text = ' /ip4/127.0.0.1/tcp/9001/ws/p2p/A \n\n# a comment\n/ip4/127.0.0.1/tcp/9011/ws/p2p/B\n/ip4/127.0.0.1/tcp/9001/ws/p2p/A\n';
    expect(parsePeerLines(text)).toEqual(['/ip4/127.0.0.1/tcp/9001/ws/p2p/A', '/ip4/127.0.0.1/tcp/9011/ws/p2p/B']);
  });
});

describe('parseDevnet', () => {
  it("reads the nodes' WebSocket multiaddrs and API URLs and the users", () => {
    const manifest = {
      chainId: 'kaldrix-devnet',
      genesisPath: '/tmp/d/genesis.json',
      nodes: [
        { name: 'v0', ws: '/ip4/127.0.0.1/tcp/9001/ws/p2p/A', apiUrl: 'http://127.0.0.1:9002' },
        { name: 'v1', ws: '/ip4/127.0.0.1/tcp/9011/ws/p2p/B', apiUrl: 'http://127.0.0.1:9012' },
      ],
      users: [{ name: 'u0', address: 'kdx1abc', keyPath: '/tmp/d/users/u0.key.json' }],
    };
    expect(parseDevnet(JSON.stringify(manifest))).toEqual({
      peers: ['/ip4/127.0.0.1/tcp/9001/ws/p2p/A', '/ip4/127.0.0.1/tcp/9011/ws/p2p/B'],
      apiUrls: ['http://127.0.0.1:9002', 'http://127.0.0.1:9012'],
      users: [{ name: 'u0', address: 'kdx1abc' }],
    });
  });

  it('treats an HTML fallback page, broken JSON and a manifest without nodes as absent', () => {
    expect(parseDevnet('<!doctype html><html></html>')).toBeUndefined();
    expect(parseDevnet('{"nodes": [')).toBeUndefined();
    expect(parseDevnet('{"nodes": []}')).toBeUndefined();
  });
});

describe('format', () => {
  it('shortens hashes and peer ids and groups digits', () => {
    expect(shortHex(new Uint8Array(32).fill(0xab))).toBe('abababab…abababab');
    expect(shortPeerId('12D3KooWAbCdEfGhIjKlMnOpQrStUv')).toBe('12D3KooW…QrStUv');
    expect(formatUnits(1234567n)).toBe('1,234,567');
    expect(formatUnits(999n)).toBe('999');
  });
});

describe('saved connection', () => {
  it('round-trips through storage and reads anything else as nothing saved', () => {
    const items = new Map<string, string>();
    const store = createConnectionStore({ getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) });
    expect(store.load()).toBeUndefined();
    const saved = { peersText: '/ip4/127.0.0.1/tcp/9001/ws/p2p/A', genesisText: '{}', allowLoopback: true, autoConnect: true };
    store.save(saved);
    expect(store.load()).toEqual(saved);
    expect(parseSavedConnection('{"peersText":"a","genesisText":"b","allowLoopback":"yes","autoConnect":true}')).toBeUndefined();
    expect(parseSavedConnection('not json')).toBeUndefined();
  });

  it('survives storage that refuses', () => {
    const refusing = createConnectionStore({
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    expect(refusing.load()).toBeUndefined();
    expect(() => refusing.save({ peersText: '', genesisText: '', allowLoopback: false, autoConnect: false })).not.toThrow();
  });
});
