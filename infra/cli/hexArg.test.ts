import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHexFlag, toHex } from './hexArg.ts';

describe('parseHexFlag', () => {
  it('decodes plain, 0x-prefixed and upper-case hex', () => {
    for (const text of ['00ff10', '0x00ff10', '0X00FF10', '00Ff10']) {
      const r = parseHexFlag('message', text);
      expect(r.ok && [...r.value]).toEqual([0, 255, 16]);
    }
  });

  it('accepts the empty message', () => {
    for (const text of ['', '0x']) {
      const r = parseHexFlag('message', text);
      expect(r.ok && r.value.length).toBe(0);
    }
  });

  it('rejects odd length and non-hex characters, naming the flag', () => {
    const odd = parseHexFlag('message', 'abc');
    expect(!odd.ok && odd.error.what).toBe('--message has an odd number of hex digits (3)');
    const bad = parseHexFlag('signature', '0xzz');
    expect(!bad.ok && bad.error.what).toBe("--signature is not hex: found 'z'");
    const spaced = parseHexFlag('message', '00 11');
    expect(spaced.ok).toBe(false);
    const doublePrefix = parseHexFlag('message', '0x0x00');
    expect(doublePrefix.ok).toBe(false);
  });

  it('round-trips any bytes through toHex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, prefixed) => {
        const r = parseHexFlag('message', `${prefixed ? '0x' : ''}${toHex(bytes)}`);
        expect(r.ok && toHex(r.value)).toBe(toHex(bytes));
      }),
      { numRuns: 200 },
    );
  });
});
