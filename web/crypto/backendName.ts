/**
 * The signature backends the web app can load, and how it loads them.
 *
 * DESIGN.md §2 Backends: noble is the pure-JS reference, liboqs is Open Quantum Safe's
 * WebAssembly build. Both are dynamic imports so that neither lands in the first page's bundle
 * (DESIGN.md §4, 250 KB gzipped); they are called from inside workers, where the chunks load.
 */
import type { SignatureBackend } from '../../core/crypto/types.ts';

export const backendNames = ['noble', 'liboqs'] as const;
export type BackendName = (typeof backendNames)[number];

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (backendNames as readonly string[]).includes(value);
}

/** Loads a backend's code on first use; a module-level cache makes later calls free. */
const loading = new Map<BackendName, Promise<SignatureBackend>>();

export function loadBackend(name: BackendName): Promise<SignatureBackend> {
  let backend = loading.get(name);
  if (backend === undefined) {
    backend = importBackend(name);
    loading.set(name, backend);
  }
  return backend;
}

async function importBackend(name: BackendName): Promise<SignatureBackend> {
  switch (name) {
    case 'noble': {
      const { createNobleBackend } = await import('../../core/crypto/backends/noble.ts');
      return createNobleBackend();
    }
    case 'liboqs': {
      const { loadLiboqsBackend } = await import('../../core/crypto/backends/liboqs.ts');
      return loadLiboqsBackend();
    }
  }
}
