/**
 * Hex on the command line: the one byte format of `--message`, `--public-key`, `--signature`.
 *
 * Accepted: an optional `0x`/`0X` prefix, then an even number of hex digits in either case;
 * nothing else (no spaces, no separators), so one string has one meaning. Output is always
 * lower case without a prefix.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { ok, type Result } from '../../core/result.ts';
import { failure, quoteInput, type CliFailure } from './failure.ts';

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/** Decodes the hex value of flag `--<flag>`; the failure names the flag and the fix. */
export function parseHexFlag(flag: string, text: string): Result<Uint8Array, CliFailure> {
  const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (!HEX_DIGITS.test(digits)) {
    const bad = [...digits].find((c) => !/[0-9a-fA-F]/.test(c)) ?? '';
    return failure(`--${flag} is not hex: found ${quoteInput(bad)}`, 'use digits 0-9 and a-f, optionally after 0x');
  }
  if (digits.length % 2 !== 0) {
    return failure(`--${flag} has an odd number of hex digits (${digits.length})`, 'each byte is two hex digits');
  }
  return ok(hexToBytes(digits.toLowerCase()));
}

export const toHex = (bytes: Uint8Array): string => bytesToHex(bytes);
