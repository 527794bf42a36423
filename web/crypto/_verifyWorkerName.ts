/**
 * How the page tells a verify worker its backend: through the worker's name
 * (`new Worker(url, { name })`), which the worker reads as `self.name` before any message.
 */
import type { BackendName } from './backendName.ts';

const prefix = 'kaldrix-verify:';

export const verifyWorkerName = (backend: BackendName, index: number): string => `${prefix}${backend}:${index}`;

/** The backend named in a worker name, or undefined when the name is not a verify worker's. */
export function verifyWorkerBackend(name: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  return name.slice(prefix.length).split(':')[0];
}
