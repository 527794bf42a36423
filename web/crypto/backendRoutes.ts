/**
 * Which code really runs each operation of a backend, so the self-test reports what it
 * measured rather than the name on the button.
 *
 * The liboqs backend (`core/crypto/backends/liboqs.ts`) verifies its ML-DSA schemes in
 * WebAssembly, but generates keys and signs with the noble reference code: liboqs-js takes
 * neither a seed nor the caller's randomness. Called inside workers, where the backend's
 * module is already loaded.
 */
import type { SchemeName } from '../../core/crypto/types.ts';
import type { BackendName } from './backendName.ts';

export type Engine = 'javascript' | 'webassembly';

export type BackendRoutes = {
  readonly sign: Engine;
  readonly verify: Engine;
};

export async function backendRoutes(backend: BackendName, scheme: SchemeName): Promise<BackendRoutes> {
  switch (backend) {
    case 'noble':
      return { sign: 'javascript', verify: 'javascript' };
    case 'liboqs': {
      const { LIBOQS_SCHEMES } = await import('../../core/crypto/backends/liboqs.ts');
      const native = (LIBOQS_SCHEMES as readonly SchemeName[]).includes(scheme);
      return { sign: 'javascript', verify: native ? 'webassembly' : 'javascript' };
    }
  }
}
