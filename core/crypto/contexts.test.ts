import { describe, expect, it } from 'vitest';
import { CONTEXT_MAX_BYTES, CONTEXTS, contextBytes } from './contexts.ts';

describe('contexts', () => {
  it('pins the context strings (changing one invalidates every signature made under it)', () => {
    expect(CONTEXTS).toEqual({
      tx: 'kaldrix/tx/v1', vertex: 'kaldrix/vertex/v1', checkpoint: 'kaldrix/checkpoint/v1',
      vote: 'kaldrix/vote/v1', keyRotate: 'kaldrix/keyrotate/v1',
      peerHandshake: 'kaldrix/peer-handshake/v1', message: 'kaldrix/message/v1',
    });
    expect(new Set(Object.values(CONTEXTS)).size).toBe(Object.keys(CONTEXTS).length);
  });

  it('encodes as UTF-8', () => {
    expect(Array.from(contextBytes('kaldrix/tx/v1'))).toEqual(Array.from('kaldrix/tx/v1', (c) => c.charCodeAt(0)));
    expect(Array.from(contextBytes('é'))).toEqual([0xc3, 0xa9]);
    expect(contextBytes('').length).toBe(0);
  });

  it('accepts 255 bytes and rejects 256 (FIPS 204 limit)', () => {
    expect(contextBytes('a'.repeat(CONTEXT_MAX_BYTES)).length).toBe(255);
    expect(() => contextBytes('a'.repeat(256))).toThrow(RangeError);
    // 128 two-byte characters: 128 characters but 256 bytes.
    expect(() => contextBytes('é'.repeat(128))).toThrow(RangeError);
  });
});
