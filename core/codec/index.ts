/**
 * KALDRIX canonical binary codec: the one encoding of everything that is hashed or signed.
 *
 * Spec: docs/codec.md. Composable, typed combinators:
 *
 *   const Vertex = struct({ epoch: u64, round: u32, parents: list(bytesFixed(32), { maxItems: 256 }) });
 *   type Vertex = Infer<typeof Vertex>;
 *   const bytes = Vertex.encode(v);            // throws RangeError/TypeError on a bad value (a bug)
 *   const r = Vertex.decode(bytes, { maxBytes }); // Result<Vertex, DecodeError>, deeply frozen
 *
 * Every accepted input re-encodes to the identical bytes; everything else is a typed error.
 */
export { type Codec, type CodecParts, type DecodeOptions, type Infer, defineCodec } from './codec.ts';
export { DECODE_ERROR_CODES, type DecodeError, type DecodeErrorCode, type DecodeErrorDetail, formatDecodeError } from './errors.ts';
export { Writer, type WriterInit } from './_writer.ts';
export { type Reader, failedValue } from './_reader.ts';
export { varint, varint64 } from './varint.ts';
export { u8, u16, u32, u64 } from './integers.ts';
export { bool } from './bool.ts';
export { bytes, bytesFixed, type BytesOptions } from './bytes.ts';
export { utf8, type Utf8Options } from './string.ts';
export { list, type ListOptions } from './list.ts';
export { option } from './option.ts';
export { struct, type StructFields, type StructValue } from './struct.ts';
export { union, type UnionValue, type UnionVariants } from './union.ts';
export { literals } from './literals.ts';
export { map, parse, refine, type MapFunctions, type ParseFunctions } from './transform.ts';
