/**
 * The Node 20 polyfill (loaded by vitest's setupFiles, as by the CLI) must provide what libp2p 3
 * expects of Node 22: `Promise.withResolvers` and a global `WebSocket` that really connects.
 */
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import './polyfill.ts';

describe('Node 20 polyfill for libp2p', () => {
  it('provides Promise.withResolvers', async () => {
    // Not in the ES2023 library types on purpose: core/ must not rely on it on Node 20.
    const withResolvers = (Promise as unknown as { withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void } }).withResolvers;
    const { promise, resolve } = withResolvers<number>();
    resolve(42);
    expect(await promise).toBe(42);
  });

  it('provides a global WebSocket that talks to a loopback server', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    server.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
    const address = server.address();
    if (typeof address === 'string' || address === null) throw new Error('no port');
    try {
      const ws = new globalThis.WebSocket(`ws://127.0.0.1:${address.port}`);
      const echoed = await new Promise<string>((resolve, reject) => {
        ws.onopen = () => ws.send('kaldrix');
        ws.onmessage = (event) => resolve(String(event.data));
        ws.onerror = () => reject(new Error('websocket error'));
      });
      ws.close();
      expect(echoed).toBe('kaldrix');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
