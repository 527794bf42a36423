/**
 * Strict UTF-8 conversion (folder-private; docs/codec.md §Strings).
 *
 * Uses the platform's WHATWG TextEncoder/TextDecoder (browsers, workers, Node all have them).
 * They are reached through `globalThis` with a minimal structural type because core/ is
 * type-checked against the bare ES library, which declares neither.
 * - `fatal: true`: malformed bytes (overlong forms, encoded surrogates, truncated sequences)
 *   are an error instead of being replaced by U+FFFD, which would give one string many encodings.
 * - `ignoreBOM: true`: a leading EF BB BF is kept as U+FEFF instead of being silently dropped,
 *   which would make `encode(decode(b))` differ from `b`.
 * On the encode side, a JS string holding a lone surrogate has no UTF-8 form (TextEncoder
 * would substitute U+FFFD and the value would not round-trip), so it is rejected.
 */

type TextDecoderLike = { decode(input: Uint8Array): string };
type TextEncoderLike = { encode(input: string): Uint8Array };
type TextCodecGlobals = {
  readonly TextDecoder: new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => TextDecoderLike;
  readonly TextEncoder: new () => TextEncoderLike;
};

const platform = globalThis as unknown as TextCodecGlobals;
const strictDecoder = new platform.TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new platform.TextEncoder();

/** Matches an unpaired surrogate: with the `u` flag a proper pair is one code point, not Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/** The UTF-8 bytes of `value`, or undefined when it contains a lone surrogate. */
export function utf8Encode(value: string): Uint8Array | undefined {
  if (LONE_SURROGATE.test(value)) return undefined;
  return encoder.encode(value);
}

/** The string these bytes spell, or undefined when they are not well-formed UTF-8. */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
