/**
 * `kaldrix verify`: checks one signature over a hex message under a FIPS 204 context.
 *
 * Three outcomes, kept apart so scripts can rely on them: valid (exit 0), well-formed but
 * invalid (exit 1), malformed input (exit 2: the question itself is wrong). Every input check
 * happens before any cryptography.
 *
 * This file is the command's spec (flags, help); the work is in _verifyRun.ts, loaded when the
 * command runs, so `kaldrix --help` and the other commands do not load the signature backends.
 */
import { DEFAULT_SCHEME, SCHEME_NAMES } from '../../core/crypto/schemes.ts';
import { BACKEND_NAMES, DEFAULT_BACKEND } from './backendChoice.ts';
import type { CommandSpec } from './command.ts';
import { DEFAULT_CONTEXT_TEXT } from './cryptoArgs.ts';
import { EXIT } from './failure.ts';

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
  // The chosen backend (noble, or liboqs' WebAssembly) loads only when the command runs.
  run: async (flags, io) => (await import('./_verifyRun.ts')).runVerify(flags, io),
});
