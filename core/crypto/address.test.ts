import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bech32, bech32m } from '@scure/base';
import { bytesEqual, toHex } from './hash.ts';
import { ADDRESS_BYTES, ADDRESS_TEXT_LENGTH, addressFromPublicKey, encodeAddress, parseAddress } from './address.ts';

/** A deterministic stand-in for an ML-DSA-44 public key (1312 bytes). */
const publicKey = Uint8Array.from({ length: 1312 }, (_, i) => i & 0xff);
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

describe('addressFromPublicKey', () => {
  it('is version 0 || BLAKE3 derive_key("kaldrix/address/v0", framed tag and key)', () => {
    const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    const material = concatBytes(u32(1), Uint8Array.of(0x01), u32(publicKey.length), publicKey);
    const digest = blake3(material, { context: utf8ToBytes('kaldrix/address/v0') });
    expect(toHex(addressFromPublicKey(0x01, publicKey))).toBe(`00${toHex(digest)}`);
  });

  it('known answer (ml-dsa-44 tag 0x01 and ml-dsa-44+ed25519 tag 0x06)', () => {
    expect(encodeAddress(addressFromPublicKey(0x01, publicKey))).toBe('kdx1qljcumlvvpkk8wtreexxljrvfylz52h2sdtvh70wdn3q2nl0hydxq8nme78');
    expect(encodeAddress(addressFromPublicKey(0x06, publicKey))).toBe('kdx1qhxa36xyf0ujd2j8wpnrdwh6g5686dwe7w002vqs87xa0t420dg5qsfx5ts');
  });

  it('binds the scheme tag: one key under two schemes gives two addresses', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 254 }), (tag) =>
      !bytesEqual(addressFromPublicKey(tag, publicKey), addressFromPublicKey(tag + 1, publicKey))), { numRuns: 30 });
  });

  it('throws on programming errors', () => {
    expect(() => addressFromPublicKey(256, publicKey)).toThrow(RangeError);
    expect(() => addressFromPublicKey(1, new Uint8Array(0))).toThrow(TypeError);
    expect(() => encodeAddress(new Uint8Array(32))).toThrow(RangeError);
    const v1 = addressFromPublicKey(1, publicKey);
    v1[0] = 1;
    expect(() => encodeAddress(v1)).toThrow(RangeError);
  });
});

describe('parseAddress', () => {
  it('round-trips every address, in lower and upper case', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (tag, key) => {
      const address = addressFromPublicKey(tag, key);
      const text = encodeAddress(address);
      const lower = parseAddress(text);
      const upper = parseAddress(text.toUpperCase());
      return text.length === ADDRESS_TEXT_LENGTH && lower.ok && upper.ok
        && bytesEqual(lower.value, address) && bytesEqual(upper.value, address) && lower.value.length === ADDRESS_BYTES;
    }), { numRuns: 100 });
  });

  it('detects every single-character typo', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      fc.nat(),
      fc.integer({ min: 1, max: 31 }),
      (key, position, shift) => {
        const text = encodeAddress(addressFromPublicKey(1, key));
        // Change one data or checksum character to another bech32 character.
        const at = 4 + (position % (text.length - 4));
        const replacement = CHARSET.charAt((CHARSET.indexOf(text.charAt(at)) + shift) % 32);
        const typo = text.slice(0, at) + replacement + text.slice(at + 1);
        const r = parseAddress(typo);
        return !r.ok && r.error.code === 'BAD_CHECKSUM';
      },
    ), { numRuns: 300 });
  });

  it('rejects any single-character substitution anywhere, with any character', () => {
    const text = encodeAddress(addressFromPublicKey(1, publicKey));
    fc.assert(fc.property(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (at, ch) => {
      fc.pre(ch !== text.charAt(at) && ch !== text.charAt(at).toUpperCase());
      return !parseAddress(text.slice(0, at) + ch + text.slice(at + 1)).ok;
    }), { numRuns: 300 });
  });

  it('returns typed errors', () => {
    const text = encodeAddress(addressFromPublicKey(1, publicKey));
    const code = (input: unknown) => {
      const r = parseAddress(input);
      return r.ok ? 'OK' : r.error.code;
    };
    expect(code(text)).toBe('OK');
    expect(code(`K${text.slice(1)}`)).toBe('MIXED_CASE');
    expect(code(text.slice(0, 7))).toBe('BAD_LENGTH');
    expect(code(text + 'q'.repeat(40))).toBe('BAD_LENGTH');
    expect(code(42)).toBe('BAD_LENGTH');
    expect(code(`kdy${text.slice(3)}`)).toBe('WRONG_PREFIX');
    expect(code(text.replace('kdx1', 'kdx'))).toBe('WRONG_PREFIX');
    expect(code(`${text.slice(0, 10)}b${text.slice(11)}`)).toBe('BAD_CHARACTER');
    expect(code(`${text.slice(0, 10)}${text.charAt(10) === 'q' ? 'p' : 'q'}${text.slice(11)}`)).toBe('BAD_CHECKSUM');
    // The same data under a bech32 (BIP-173) checksum instead of bech32m.
    const bech32Text = bech32.encode('kdx', bech32m.decode(text as `kdx1${string}`).words);
    expect(code(bech32Text)).toBe('BAD_CHECKSUM');
    const [, ...digestWords] = bech32m.decode(text as `kdx1${string}`).words;
    expect(code(bech32m.encode('kdx', [1, ...digestWords]))).toBe('UNKNOWN_VERSION');
    expect(code(bech32m.encode('kdx', [0, ...digestWords.slice(1)]))).toBe('BAD_LENGTH');
    const padded = [0, ...digestWords.slice(0, 51), (digestWords[51] as number) | 1];
    expect(code(bech32m.encode('kdx', padded))).toBe('BAD_PADDING');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('kdx1', 'KDX1QQQQQQQQ', '1'.repeat(90))),
      (text) => parseAddress(text).ok === false));
  });
});
