/**
 * `kaldrix sign`: signs a hex message with a key file, under a FIPS 204 context.
 *
 * Signing is hedged (FIPS 204 §3.4): 32 fresh random bytes per signature, so two signatures of
 * one message differ, and a fault or side channel in one signature reveals less. Output is the
 * self-describing (tag-prefixed) signature, which `kaldrix verify` and the chain accept.
 *
 * This file is the command's spec (flags, help); the work is in _signRun.ts, loaded when the
 * command runs, so `kaldrix --help` and the other commands do not load the signature backends.
 */
import type { CommandSpec } from './command.ts';
import { DEFAULT_CONTEXT_TEXT } from './cryptoArgs.ts';
import { EXIT } from './failure.ts';
import { PASSPHRASE_OPTIONS } from './passphrase.ts';

export const signCommand: CommandSpec = Object.freeze<CommandSpec>({
  name: 'sign',
  summary: 'sign a hex message with a key file; prints the signature as hex',
  usage: ['sign --key <file> --message <hex> [--context <text>] [--passphrase-file <file> | --passphrase-env <VAR>] [--json]'],
  options: {
    key: { type: 'string', valueName: '<file>', description: 'key file written by kaldrix keygen', required: true },
    message: { type: 'string', valueName: '<hex>', description: 'the message to sign, as hex (may be empty)', required: true },
    context: { type: 'string', valueName: '<text>', description: 'FIPS 204 context string, UTF-8, at most 255 bytes', defaultText: DEFAULT_CONTEXT_TEXT },
    ...PASSPHRASE_OPTIONS,
    json: { type: 'boolean', description: 'print one JSON object (scheme, signature, public key, context)' },
  },
  notes: [
    'The passphrase of an encrypted key file comes from --passphrase-file, --passphrase-env, or a terminal prompt ' +
      'without echo; a plaintext (devnet) key file needs none.',
    'The signature is printed as one line of hex: one scheme tag byte, then the signature. Signing is hedged, so ' +
      'signing the same message twice gives two different, equally valid signatures. The context separates domains: ' +
      'a signature made under one context never verifies under another.',
  ],
  examples: [
    'kaldrix sign --key alice.key.json --message 68656c6c6f',
    'kaldrix sign --key alice.key.json --message 0x00ff --context kaldrix/message/v1 --passphrase-env KEY_PASS --json',
  ],
  exitCodes: [
    [EXIT.ok, 'the signature was printed'],
    [EXIT.usage, 'bad flag or input, unreadable or malformed key file, wrong or missing passphrase'],
    [EXIT.internal, 'internal error (a bug)'],
  ],
  // Signing loads the signature backends and the key file's decryption: only when the command runs.
  run: async (flags, io) => (await import('./_signRun.ts')).runSign(flags, io),
});
