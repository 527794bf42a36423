/**
 * Which signature backend a command uses: `noble` (the pure-JS reference, DESIGN.md §2) or
 * `liboqs` (liboqs compiled to WebAssembly, loaded on demand because it is only needed when
 * asked for). Both must agree byte for byte; verify lets a user check either.
 * liboqs implements ML-DSA only (backends/liboqs.ts); asking it for another scheme is a usage
 * error here, not a silent fall back to noble.
 * Both backends load on demand: verify.ts's help page reads BACKEND_NAMES from here, and --help
 * must not load noble's post-quantum code.
 */
import { ok, type Result } from '../../core/result.ts';
import type { SchemeName, SignatureBackend } from '../../core/crypto/types.ts';
import { failure, quoteInput, type CliFailure } from './failure.ts';

export const BACKEND_NAMES = ['noble', 'liboqs'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const DEFAULT_BACKEND: BackendName = 'noble';

export function parseBackendFlag(text: string): Result<BackendName, CliFailure> {
  const name = BACKEND_NAMES.find((b) => b === text);
  if (name === undefined) return failure(`unknown backend ${quoteInput(text)}`, `use one of ${BACKEND_NAMES.join(', ')}`);
  return ok(name);
}

/** Loads `name` for `scheme` (liboqs: only that scheme's WebAssembly module). */
export async function loadBackendFor(name: BackendName, scheme: SchemeName): Promise<Result<SignatureBackend, CliFailure>> {
  if (name === 'noble') return ok((await import('../../core/crypto/backends/noble.ts')).createNobleBackend());
  const { LIBOQS_SCHEMES, loadLiboqsBackend } = await import('../../core/crypto/backends/liboqs.ts');
  const supported = LIBOQS_SCHEMES.find((s) => s === scheme);
  if (supported === undefined) {
    return failure(`the liboqs backend does not implement ${scheme}`, `it has ${LIBOQS_SCHEMES.join(', ')}; use --backend noble`);
  }
  return ok(await loadLiboqsBackend({ schemes: [supported] }));
}
