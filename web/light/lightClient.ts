/**
 * The page's handle on the light-client worker (light.worker.ts, protocol.ts): typed requests
 * answered by promises, and the worker's status to subscribe to.
 *
 * The worker is created with the client (its chunk, libp2p included, loads then and not with
 * the first page). Every message from it is checked (`isWorkerMessage`) before use. A worker
 * that fails to load, crashes, or sends something unreadable fails every pending request with
 * WORKER_FAILED, and later requests too, so nothing waits forever; `dispose` does the same.
 */
import type { Result } from '../../core/result.ts';
import { isWorkerMessage } from './messages.ts';
import type { LightError, LightRequest, LightStatus, ReplyBody } from './protocol.ts';

export { isWorkerMessage } from './messages.ts';

export type LightClient = {
  request<T extends LightRequest['type']>(body: Extract<LightRequest, { type: T }>): Promise<Result<Extract<ReplyBody, { type: T }>, LightError>>;
  /** Returns the unsubscribe function; the latest status is replayed to a new listener. */
  onStatus(listener: (status: LightStatus) => void): () => void;
  dispose(): void;
};

type Pending = (result: Result<ReplyBody, LightError>) => void;

/** The client around a given worker-like port (tests pass a fake; the page, the real worker). */
export function createLightClientOn(worker: Worker): LightClient {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(status: LightStatus) => void>();
  let latest: LightStatus | undefined;
  let nextId = 1;
  let failure: LightError | undefined;

  const failAll = (message: string): void => {
    failure ??= { code: 'WORKER_FAILED', message };
    const waiting = [...pending.values()];
    pending.clear();
    for (const settle of waiting) settle({ ok: false, error: failure });
  };

  worker.onmessage = (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isWorkerMessage(message)) {
      failAll('the light-client worker sent a message this page cannot read');
      worker.terminate();
      return;
    }
    if (message.type === 'status') {
      latest = message.status;
      for (const listener of listeners) listener(message.status);
      return;
    }
    const settle = pending.get(message.id);
    if (settle === undefined) return;
    pending.delete(message.id);
    settle(message.ok ? { ok: true, value: message.body } : { ok: false, error: message.error });
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    failAll(`the light-client worker failed: ${event.message || 'it could not load'}`);
    worker.terminate();
  };
  worker.onmessageerror = () => failAll('a message from the light-client worker could not be deserialized');

  const client: LightClient = {
    request<T extends LightRequest['type']>(body: Extract<LightRequest, { type: T }>) {
      return new Promise<Result<Extract<ReplyBody, { type: T }>, LightError>>((resolve) => {
        if (failure !== undefined) {
          resolve({ ok: false, error: failure });
          return;
        }
        const id = nextId++;
        // The worker answers a request with a body of the request's own type (protocol.ts).
        pending.set(id, resolve as Pending);
        try {
          worker.postMessage({ type: 'request', id, body });
        } catch (error) {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'WORKER_FAILED', message: `the request could not be sent: ${error instanceof Error ? error.message : String(error)}` } });
        }
      });
    },
    onStatus(listener) {
      listeners.add(listener);
      if (latest !== undefined) listener(latest);
      return () => {
        listeners.delete(listener);
      };
    },
    dispose() {
      failAll('the light client was disposed');
      listeners.clear();
      worker.terminate();
    },
  };
  return Object.freeze(client);
}

export function createLightClient(): LightClient {
  return createLightClientOn(new Worker(new URL('./light.worker.ts', import.meta.url), { type: 'module', name: 'kaldrix-light-client' }));
}
