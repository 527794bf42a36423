/**
 * Page-side handle of the simulator worker (sim.worker.ts, protocol.ts). It creates the worker
 * on the first message (a page that never shows the simulator never downloads the engine),
 * checks every message that comes back, and turns a worker that fails to load or crashes into
 * a typed `error` message, so the page always has something to show.
 */
import { checkWorkerMessage, type PageMessage, type WorkerMessage } from './protocol.ts';

export type SimClient = {
  send(message: PageMessage): void;
  /** Stops the worker; a later `send` starts a new one. */
  terminate(): void;
};

export function createSimClient(onMessage: (message: WorkerMessage) => void): SimClient {
  let worker: Worker | undefined;

  const started = (): Worker => {
    if (worker !== undefined) return worker;
    const created = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'kaldrix-simulator' });
    created.onmessage = (event: MessageEvent<unknown>) => {
      const checked = checkWorkerMessage(event.data);
      onMessage(checked.ok ? checked.value : { type: 'error', error: checked.error });
    };
    created.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      onMessage({ type: 'error', error: { code: 'WORKER_FAILED', message: `the simulator worker failed: ${event.message || 'it could not load'}` } });
    };
    created.onmessageerror = () => {
      onMessage({ type: 'error', error: { code: 'MALFORMED_MESSAGE', message: 'a message from the simulator worker could not be read' } });
    };
    worker = created;
    return created;
  };

  return Object.freeze({
    send(message: PageMessage): void {
      started().postMessage(message);
    },
    terminate(): void {
      worker?.terminate();
      worker = undefined;
    },
  });
}
