/**
 * The slice of a dedicated worker's global scope that the web app's workers use.
 *
 * The project compiles against the DOM library (one tsconfig for the page and its workers),
 * which types `self` as a Window; this structural type is what a worker really has.
 */
export type WorkerScope = {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

export const workerScope = (): WorkerScope => globalThis as unknown as WorkerScope;
