// Property tests for the canonical codec (HOUSE-RULES 11-12): round trips, canonicality of
// every accepted input (random bytes and mutated valid encodings), no throws on any input,
// and the specific error codes for cut, padded, non-minimal and oversized inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bool, bytes, bytesFixed, type Codec, DECODE_ERROR_CODES, type Infer, list, literals, option, struct, u16, u32, u64, u8, union,
  utf8, varint, varint64,
} from './index.ts';

const NUM_RUNS = 300;

const Transfer = struct({
  to: bytesFixed(4),
  amount: varint64,
  memo: option(utf8({ maxBytes: 24 })),
});
const Tx = struct({
  scheme: literals({ 'ml-dsa-44': 0, 'ml-dsa-65': 1, 'falcon-512': 7 }),
  nonce: varint,
  body: union({ ping: [0, struct({})], transfer: [3, Transfer], flags: [9, list(bool, { maxItems: 5 })] }),
});
const Vertex = struct({
  epoch: u64,
  round: u32,
  author: u16,
  weight: u8,
  parents: list(bytesFixed(8), { maxItems: 4 }),
  payload: bytes({ maxBytes: 40 }),
  txs: list(Tx, { maxItems: 3 }),
  checkpoint: option(struct({ sequence: varint, signature: bytes({ maxBytes: 16 }) })),
});
type Vertex = Infer<typeof Vertex>;

const arbTransfer = fc.record({
  to: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  amount: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  memo: fc.option(fc.string({ unit: 'grapheme', maxLength: 6 }).filter((s) => new TextEncoder().encode(s).length <= 24), { nil: undefined }),
});
const arbTx = fc.record({
  scheme: fc.constantFrom('ml-dsa-44' as const, 'ml-dsa-65' as const, 'falcon-512' as const),
  nonce: fc.maxSafeNat(),
  body: fc.oneof(
    fc.constant({ kind: 'ping' as const, value: {} }),
    arbTransfer.map((value) => ({ kind: 'transfer' as const, value })),
    fc.array(fc.boolean(), { maxLength: 5 }).map((value) => ({ kind: 'flags' as const, value })),
  ),
});
const arbVertex: fc.Arbitrary<Vertex> = fc.record({
  epoch: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  round: fc.nat({ max: 0xffff_ffff }),
  author: fc.nat({ max: 0xffff }),
  weight: fc.nat({ max: 0xff }),
  parents: fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { maxLength: 4 }),
  payload: fc.uint8Array({ maxLength: 40 }),
  txs: fc.array(arbTx, { maxLength: 3 }),
  checkpoint: fc.option(fc.record({ sequence: fc.maxSafeNat(), signature: fc.uint8Array({ maxLength: 16 }) }), { nil: undefined }),
});

/** A schema simple enough that random bytes are often accepted, to exercise canonicality. */
const Loose = struct({
  a: varint,
  b: option(bool),
  c: list(union({ x: [0, u8], y: [1, varint64], z: [2, utf8({ maxBytes: 3 })] }), { maxItems: 3 }),
});

const codeSet: ReadonlySet<string> = new Set(DECODE_ERROR_CODES);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * If `input` decodes, it must re-encode to exactly `input`; if not, the error must be typed
 * and point inside the input. Plain checks (not `expect`) keep thousands of runs fast.
 */
function assertCanonicalOrTyped<T>(codec: Codec<T>, input: Uint8Array): boolean {
  const result = codec.decode(input);
  if (result.ok) {
    if (!sameBytes(codec.encode(result.value), input)) throw new Error(`accepted non-canonical input ${Array.from(input)}`);
    return true;
  }
  const { code, offset } = result.error;
  if (!codeSet.has(code) || offset < 0 || offset > input.length) throw new Error(`bad error ${code}@${offset} for ${Array.from(input)}`);
  return false;
}

/** Checks every prefix of `input`: at most one decodes in full, and it must be canonical. */
function assertEveryPrefix<T>(codec: Codec<T>, input: Uint8Array): number {
  let accepted = 0;
  for (let cut = 0; cut <= input.length; cut++) if (assertCanonicalOrTyped(codec, input.subarray(0, cut))) accepted++;
  return accepted;
}

/** Bytes biased towards 0, 1, 2: the markers, small counts and tags that a schema accepts. */
const arbPlausibleBytes = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(0, 1, 2), weight: 3 }, { arbitrary: fc.nat(255), weight: 1 }), { maxLength: 24 })
  .map((values) => Uint8Array.from(values));

const arbMutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
);
type Mutation = typeof arbMutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Array.from(input);
  for (const { op, at, byte } of mutations) {
    const index = out.length === 0 ? 0 : at % (out.length + (op === 'insert' ? 1 : 0));
    if (op === 'set' && out.length > 0) out[index] = byte;
    if (op === 'insert') out = [...out.slice(0, index), byte, ...out.slice(index)];
    if (op === 'delete') out.splice(index, 1);
  }
  return Uint8Array.from(out);
}

describe('round trips', () => {
  it('decode(encode(v)) equals v, frozen, for a nested schema', () => {
    fc.assert(
      fc.property(arbVertex, (vertex) => {
        const result = Vertex.decode(Vertex.encode(vertex));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value).toEqual(vertex);
        expect(Object.isFrozen(result.value.txs)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('big-endian u32/u64 encodings sort bytewise in numeric order', () => {
    const compareBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 0xffff_ffff }), (a, b) => {
        expect(Math.sign(compareBytes(u32.encode(a), u32.encode(b)))).toBe(Math.sign(a - b));
      }),
      { numRuns: NUM_RUNS },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (a, b) => {
        expect(Math.sign(compareBytes(u64.encode(a), u64.encode(b)))).toBe(a === b ? 0 : a < b ? -1 : 1);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('every accepted input is canonical; nothing throws', () => {
  it('random bytes: never a throw; every accepted prefix re-encodes identically', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 24 }), arbPlausibleBytes), (input) => {
        accepted += assertEveryPrefix(Loose, input);
        assertEveryPrefix(Tx, input);
        assertEveryPrefix(Vertex, input);
      }),
      { numRuns: 1000 },
    );
    // The property is vacuous unless some random inputs decode; Loose accepts many of them.
    expect(accepted).toBeGreaterThan(10);
  });
  it('mutated valid encodings: a typed error or a value that re-encodes identically', () => {
    fc.assert(
      fc.property(arbVertex, fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (vertex, mutations) => {
        assertCanonicalOrTyped(Vertex, mutate(Vertex.encode(vertex), mutations));
      }),
      { numRuns: NUM_RUNS },
    );
    fc.assert(
      fc.property(arbPlausibleBytes, fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (seed, mutations) => {
        assertEveryPrefix(Loose, mutate(seed, mutations));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('specific codes for specific faults', () => {
  it('every proper prefix is TRUNCATED; any suffix is TRAILING_BYTES at the old end', () => {
    fc.assert(
      fc.property(arbVertex, fc.uint8Array({ minLength: 1, maxLength: 4 }), (vertex, extra) => {
        const full = Vertex.encode(vertex);
        for (let cut = 0; cut < full.length; cut++) {
          const r = Vertex.decode(full.subarray(0, cut));
          if (r.ok || r.error.code !== 'TRUNCATED') throw new Error(`cut at ${cut}: ${r.ok ? 'ok' : r.error.code}`);
        }
        const padded = new Uint8Array(full.length + extra.length);
        padded.set(full);
        padded.set(extra, full.length);
        expect(Vertex.decode(padded)).toMatchObject({ ok: false, error: { code: 'TRAILING_BYTES', offset: full.length, trailingBytes: extra.length } });
      }),
      { numRuns: 60 },
    );
  });
  it('padding any varint with a zero group is NON_MINIMAL_VARINT', () => {
    const padOnce = (minimal: Uint8Array) => {
      const out = new Uint8Array(minimal.length + 1);
      out.set(minimal);
      out[minimal.length - 1] = (out[minimal.length - 1] as number) | 0x80; // continue…
      return out; // …into a final 0x00 group
    };
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 49 - 1 }), (n) => {
        expect(varint.decode(padOnce(varint.encode(n)))).toMatchObject({ ok: false, error: { code: 'NON_MINIMAL_VARINT', offset: 0 } });
      }),
      { numRuns: NUM_RUNS },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), (n) => {
        expect(varint64.decode(padOnce(varint64.encode(n)))).toMatchObject({ ok: false, error: { code: 'NON_MINIMAL_VARINT' } });
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('values beyond the declared width are VARINT_OVERFLOW', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }), (n) => {
        expect(varint.decode(varint64.encode(n))).toMatchObject({ ok: false, error: { code: 'VARINT_OVERFLOW' } });
      }),
      { numRuns: NUM_RUNS },
    );
  });
  it('a declared length above the field maximum is LENGTH_TOO_LARGE, whatever follows', () => {
    const field = bytes({ maxBytes: 40 });
    fc.assert(
      fc.property(fc.integer({ min: 41, max: Number.MAX_SAFE_INTEGER }), fc.uint8Array({ maxLength: 8 }), (declared, rest) => {
        const prefix = varint.encode(declared);
        const input = new Uint8Array(prefix.length + rest.length);
        input.set(prefix);
        input.set(rest, prefix.length);
        expect(field.decode(input)).toMatchObject({ ok: false, error: { code: 'LENGTH_TOO_LARGE', declared, max: 40, offset: 0 } });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
