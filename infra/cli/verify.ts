/**
 * `kaldrix verify`: checks one signature over a hex message under a FIPS 204 context.
 *
 * Three outcomes, kept apart so scripts can rely on them: valid (exit 0), well-formed but
 * invalid (exit 1), malformed input (exit 2: the question itself is wrong). Every input check
 * happens before any cryptography.
 */
import { ok, type Result } from '../../core/result.ts';
import { DEFAULT_SCHEME, SCHEME_NAMES } from '../../core/crypto/schemes.ts';
import type { SchemeName } from '../../core/crypto/types.ts';
import { BACKEND_NAMES, DEFAULT_BACKEND, loadBackendFor, parseBackendFlag, type BackendName } from './backendChoice.ts';
import { booleanFlag, stringFlag, type CommandSpec, type FlagValues } from './command.ts';
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

export const verifyCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'verify',
  summary: 'check a signature: prints valid (exit 0) or invalid (exit 1)',
  usage: [
    'verify --scheme <name> --public-key <hex> --message <hex> --signature <hex> [--context <text>] [--backend noble|liboqs] [--json]',
  ],
  options: {
    scheme: { type: 'string', valueName: '<name>', description: `signature scheme: ${SCHEME_NAMES.join(', ')}`, required: true },
    'public-key': { type: 'string', valueName: '<hex>', description: 'public key, raw or tag-prefixed hex', required: true },
    message: { type: 'string', valueName: '<hex>', description: 'the signed message as hex (may be empty)', required: true },
    signature: { type: 'string', valueName: '<hex>', description: 'signature, raw or tag-prefixed hex', required: true },
    context: { type: 'string', valueName: '<text>', description: 'FIPS 204 context string, UTF-8, at most 255 bytes', defaultText: DEFAULT_CONTEXT_TEXT },
    backend: { type: 'string', valueName: '<name>', description: `verifier: ${BACKEND_NAMES.join(' or ')}`, defaultText: DEFAULT_BACKEND },
    json: { type: 'boolean', description: 'print one JSON object instead of valid/invalid' },
  },
  notes: [
    'Hex may start with 0x and use either case. --public-key and --signature accept the raw bytes of the scheme or the ' +
      'self-describing form that kaldrix keygen and kaldrix sign print (one scheme tag byte first). A value tagged for a ' +
      'different scheme than --scheme is an error, not a mismatch.',
    'The context must be the one used when signing; kaldrix sign uses kaldrix/message/v1 by default.',
  ],
  examples: [
    `kaldrix verify --scheme ${DEFAULT_SCHEME} --public-key 01ab… --message 68656c6c6f --signature 01cd…`,
    'kaldrix verify --scheme ml-dsa-44+ed25519 --public-key 06… --message 00 --signature 06… --backend liboqs --json',
  ],
  exitCodes: [
    [EXIT.ok, 'the signature is valid'],
    [EXIT.rejected, 'the input is well-formed but the signature is invalid'],
    [EXIT.usage, 'malformed input: bad flag, bad hex, wrong length, unknown scheme, context too long, tag/scheme mismatch'],
    [EXIT.internal, 'internal error (a bug)'],
  ],
  run: runVerify,
});

async function runVerify(flags: FlagValues, io: CliIo): Promise<Result<ExitCode, CliFailure>> {
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
