/**
 * What `kaldrix verify` does (the spec and help are in verify.ts): check every input, then load
 * the chosen backend and verify; valid exits 0, invalid 1, malformed input 2.
 *
 * Loaded by verify.ts only when the command runs, with the backend it needs.
 */
import { ok, type Result } from '../../core/result.ts';
import type { SchemeName } from '../../core/crypto/types.ts';
import { DEFAULT_BACKEND, loadBackendFor, parseBackendFlag, type BackendName } from './backendChoice.ts';
import { booleanFlag, stringFlag, type FlagValues } from './command.ts';
import {
  DEFAULT_CONTEXT_TEXT, parseContextFlag, parsePublicKeyFlag, parseSchemeFlag, parseSignatureFlag,
} from './cryptoArgs.ts';
import { EXIT, type CliFailure, type ExitCode } from './failure.ts';
import { parseHexFlag } from './hexArg.ts';
import type { CliIo } from './io.ts';

type VerifyRequest = {
  readonly scheme: SchemeName;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly contextText: string;
  readonly context: Uint8Array;
  readonly backend: BackendName;
};

/** Runs `kaldrix verify` (the dispatcher has checked that the required flags are present). */
export async function runVerify(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
  const request = parseRequest(flags);
  if (!request.ok) return request;
  const r = request.value;
  const backend = await loadBackendFor(r.backend, r.scheme);
  if (!backend.ok) return backend;
  const valid = backend.value.verify(r.scheme, r.publicKey, r.message, r.signature, r.context);
  if (booleanFlag(flags, 'json')) {
    io.stdout(`${JSON.stringify({ valid, scheme: r.scheme, backend: r.backend, context: r.contextText })}\n`);
  } else {
    io.stdout(valid ? 'valid\n' : 'invalid\n');
  }
  return ok(valid ? EXIT.ok : EXIT.rejected);
}

function parseRequest(flags: FlagValues): Result<VerifyRequest, CliFailure> {
  // Required flags were checked by the dispatcher; '' stands in only to satisfy the types.
  const scheme = parseSchemeFlag(stringFlag(flags, 'scheme') ?? '');
  if (!scheme.ok) return scheme;
  const contextText = stringFlag(flags, 'context') ?? DEFAULT_CONTEXT_TEXT;
  const context = parseContextFlag(contextText);
  if (!context.ok) return context;
  const backend = parseBackendFlag(stringFlag(flags, 'backend') ?? DEFAULT_BACKEND);
  if (!backend.ok) return backend;
  const message = parseHexFlag('message', stringFlag(flags, 'message') ?? '');
  if (!message.ok) return message;
  const publicKey = parsePublicKeyFlag(scheme.value, stringFlag(flags, 'public-key') ?? '');
  if (!publicKey.ok) return publicKey;
  const signature = parseSignatureFlag(scheme.value, stringFlag(flags, 'signature') ?? '');
  if (!signature.ok) return signature;
  return ok({
    scheme: scheme.value, publicKey: publicKey.value, message: message.value, signature: signature.value,
    contextText, context: context.value, backend: backend.value,
  });
}
