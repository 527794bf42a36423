/**
 * Signer bitmaps: which committee members signed a certificate, one bit per member index.
 *
 * DESIGN.md §2 (finality certificate = "a quorum of signatures with a signer bitmap").
 * Layout: member `i` is bit `i & 7` (least significant first) of byte `i >> 3`; the bitmap of a
 * committee of `n` members is exactly ceil(n / 8) bytes and the unused high bits of the last
 * byte are zero. On the wire (docs/codec.md) it is `varint(n) || ceil(n/8) bytes`: carrying `n`
 * makes the encoding self-delimiting and lets the decoder check the padding without knowing
 * the committee; the verifier then checks `n` against the committee it trusts.
 * Bitmaps are immutable values: `withSigner` returns a new one.
 */
import { defineCodec, failedValue, varint, type Codec } from '../codec/index.ts';
import { err, ok, type Result } from '../result.ts';
import { MAX_COMMITTEE_SIZE } from './committee.ts';

export type SignerBitmap = {
  /** Committee size the bitmap is for: the number of meaningful bits. */
  readonly memberCount: number;
  /** ceil(memberCount / 8) bytes; bit i & 7 of byte i >> 3 is member i. */
  readonly bytes: Uint8Array;
};

export type SignerBitmapReject =
  | { readonly code: 'BAD_MEMBER_COUNT'; readonly memberCount: number }
  | { readonly code: 'BAD_LENGTH'; readonly expectedBytes: number; readonly actualBytes: number }
  | { readonly code: 'PADDING_BITS_SET'; readonly lastByte: number };

export const signerBitmapBytes = (memberCount: number): number => Math.ceil(memberCount / 8);

function checkMemberCount(memberCount: number, what: string): void {
  if (!Number.isSafeInteger(memberCount) || memberCount < 1 || memberCount > MAX_COMMITTEE_SIZE) {
    throw new RangeError(`${what}: memberCount must be an integer in [1, ${MAX_COMMITTEE_SIZE}], got ${memberCount}`);
  }
}

function checkIndex(bitmap: SignerBitmap, index: number, what: string): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= bitmap.memberCount) {
    throw new RangeError(`${what}: index must be in [0, ${bitmap.memberCount}), got ${index}`);
  }
}

/** The empty bitmap of a committee of `memberCount` members. */
export function emptySignerBitmap(memberCount: number): SignerBitmap {
  checkMemberCount(memberCount, 'emptySignerBitmap');
  return Object.freeze({ memberCount, bytes: new Uint8Array(signerBitmapBytes(memberCount)) });
}

/** A bitmap with exactly the given member indices set (repeats are harmless). */
export function signerBitmapOf(memberCount: number, indices: Iterable<number>): SignerBitmap {
  const bitmap = emptySignerBitmap(memberCount);
  const bytes = bitmap.bytes;
  for (const index of indices) {
    checkIndex(bitmap, index, 'signerBitmapOf');
    bytes[index >> 3] = (bytes[index >> 3] as number) | (1 << (index & 7));
  }
  return bitmap;
}

/** A copy of `bitmap` with member `index` set. */
export function withSigner(bitmap: SignerBitmap, index: number): SignerBitmap {
  checkIndex(bitmap, index, 'withSigner');
  const bytes = bitmap.bytes.slice();
  bytes[index >> 3] = (bytes[index >> 3] as number) | (1 << (index & 7));
  return Object.freeze({ memberCount: bitmap.memberCount, bytes });
}

export function hasSigner(bitmap: SignerBitmap, index: number): boolean {
  checkIndex(bitmap, index, 'hasSigner');
  return (((bitmap.bytes[index >> 3] as number) >> (index & 7)) & 1) === 1;
}

/** Member indices set, ascending. Bounded by memberCount (≤ MAX_COMMITTEE_SIZE). */
export function* signerIndices(bitmap: SignerBitmap): Generator<number, void, undefined> {
  const { bytes, memberCount } = bitmap;
  for (let byteIndex = 0; byteIndex < bytes.length; byteIndex++) {
    const byte = bytes[byteIndex] as number;
    if (byte === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      const index = byteIndex * 8 + bit;
      if (index < memberCount && ((byte >> bit) & 1) === 1) yield index;
    }
  }
}

/** Number of members set (the population count). Counts padding bits too, if any are set. */
export function signerCount(bitmap: SignerBitmap): number {
  let count = 0;
  for (const byte of bitmap.bytes) {
    let b = byte;
    while (b !== 0) {
      b &= b - 1;
      count++;
    }
  }
  return count;
}

/**
 * The canonical-form rules: a member count in range, exactly ceil(n/8) bytes, zero padding.
 * A bitmap built in memory (not decoded) may break them; the certificate verifier asks.
 */
export function checkSignerBitmap(bitmap: SignerBitmap): Result<void, SignerBitmapReject> {
  const { memberCount, bytes } = bitmap;
  if (!Number.isSafeInteger(memberCount) || memberCount < 1 || memberCount > MAX_COMMITTEE_SIZE) {
    return err({ code: 'BAD_MEMBER_COUNT', memberCount });
  }
  const expectedBytes = signerBitmapBytes(memberCount);
  if (bytes.length !== expectedBytes) return err({ code: 'BAD_LENGTH', expectedBytes, actualBytes: bytes.length });
  const usedBits = memberCount & 7;
  const lastByte = bytes[expectedBytes - 1] as number;
  if (usedBits !== 0 && lastByte >> usedBits !== 0) return err({ code: 'PADDING_BITS_SET', lastByte });
  return ok(undefined);
}

function describeBitmapReject(r: SignerBitmapReject): string {
  switch (r.code) {
    case 'BAD_MEMBER_COUNT':
      return `signer bitmap member count ${r.memberCount} is outside [1, ${MAX_COMMITTEE_SIZE}]`;
    case 'BAD_LENGTH':
      return `signer bitmap needs ${r.expectedBytes} bytes, has ${r.actualBytes}`;
    case 'PADDING_BITS_SET':
      return `signer bitmap has bits set beyond its member count (last byte 0x${r.lastByte.toString(16)})`;
  }
}

/** `varint(memberCount) || ceil(memberCount/8) bytes`; non-canonical forms are INVALID_VALUE. */
export const signerBitmapCodec: Codec<SignerBitmap> = defineCodec<SignerBitmap>({
  minBytes: 2,
  write(writer, value) {
    const checked = checkSignerBitmap(value);
    if (!checked.ok) throw new RangeError(describeBitmapReject(checked.error));
    varint.write(writer, value.memberCount);
    writer.bytes(value.bytes);
  },
  read(reader) {
    const offset = reader.offset;
    const memberCount = varint.read(reader);
    if (reader.failed) return failedValue();
    if (memberCount < 1 || memberCount > MAX_COMMITTEE_SIZE) {
      reader.fail({ code: 'INVALID_VALUE', reason: describeBitmapReject({ code: 'BAD_MEMBER_COUNT', memberCount }) }, offset);
      return failedValue();
    }
    const bytes = reader.take(signerBitmapBytes(memberCount));
    if (reader.failed) return failedValue();
    const checked = checkSignerBitmap({ memberCount, bytes });
    if (!checked.ok) {
      reader.fail({ code: 'INVALID_VALUE', reason: describeBitmapReject(checked.error) }, offset);
      return failedValue();
    }
    return Object.freeze({ memberCount, bytes });
  },
});
