/**
 * Node 20 polyfill for libp2p 3, in one place (TOOLCHAIN.md "Node 20 gaps").
 *
 * libp2p 3 calls `Promise.withResolvers` and the global `WebSocket`, both Node 22 features.
 * Loaded first by the CLI (`bin/kaldrix.mjs`) and by vitest (`setupFiles`); a no-op on Node 22+.
 */
import { WebSocket as WsWebSocket } from 'ws';

type Resolvers<T> = {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};

const PromiseCtor = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (typeof PromiseCtor.withResolvers !== 'function') {
  PromiseCtor.withResolvers = function withResolvers<T>(): Resolvers<T> {
    let resolve!: Resolvers<T>['resolve'];
    let reject!: Resolvers<T>['reject'];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const g = globalThis as { WebSocket?: unknown };
if (typeof g.WebSocket === 'undefined') g.WebSocket = WsWebSocket;

export {};
