/**
 * Lists: `varint(count) ‖ item₀ ‖ item₁ ‖ …` (docs/codec.md §Lists).
 *
 * Every list declares `maxItems`. Before allocating, the decoder also checks that `count`
 * items could fit in the bytes left (count × the item codec's `minBytes`), so a declared count
 * that the input cannot back fails with TRUNCATED at once rather than after a long loop.
 * The decoded array is frozen (its items are frozen by their own codecs).
 */
import { encodeTypeError, rethrowWithSegment } from './_failure.ts';
import { checkLengthForEncode, checkMaxOption, readLengthPrefix } from './_length.ts';
import { failedValue } from './_reader.ts';
import { defineCodec, type Codec } from './codec.ts';
import { writeVarint } from './varint.ts';

export type ListOptions = {
  /** Largest accepted number of items (required: every list is bounded). */
  readonly maxItems: number;
};

export function list<T>(item: Codec<T>, options: ListOptions): Codec<readonly T[]> {
  const maxItems = checkMaxOption(options.maxItems, 'list maxItems');
  return defineCodec<readonly T[]>({
    minBytes: 1,
    write(writer, value) {
      if (!Array.isArray(value)) encodeTypeError('list must be an array');
      checkLengthForEncode(value.length, maxItems, 'list');
      writeVarint(writer, value.length);
      let index = 0;
      try {
        for (; index < value.length; index++) item.write(writer, value[index] as T);
      } catch (e) {
        rethrowWithSegment(e, index);
      }
    },
    read(reader) {
      const count = readLengthPrefix(reader, maxItems);
      if (!reader.need(count * item.minBytes)) return failedValue();
      const items: T[] = [];
      for (let index = 0; index < count; index++) {
        items.push(item.read(reader));
        if (reader.failed) {
          reader.addPathSegment(index);
          return failedValue();
        }
      }
      return Object.freeze(items);
    },
  });
}
