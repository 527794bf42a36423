import { describe, expect, it } from 'vitest';
import { classify } from './verdicts.ts';

describe('classify', () => {
  it('passes when every valid item is accepted and every forgery rejected', () => {
    const c = classify([true, true, true], [false, false], ['altered-message', 'wrong-context']);
    expect(c).toMatchObject({ validAccepted: 3, validTotal: 3, forgedRejected: 2, forgedTotal: 2, pass: true });
    expect(c.acceptedForgeryKinds).toEqual([]);
  });

  it('fails when one valid signature is rejected', () => {
    const c = classify([true, false], [false], ['altered-message']);
    expect(c.pass).toBe(false);
    expect(c.validAccepted).toBe(1);
  });

  it('fails and names the kind when a forgery is accepted', () => {
    const c = classify([true, true], [false, true, true], ['altered-message', 'wrong-context', 'wrong-context']);
    expect(c.pass).toBe(false);
    expect(c.forgedRejected).toBe(1);
    expect(c.acceptedForgeryKinds).toEqual(['wrong-context']);
  });

  it('does not pass an empty run', () => {
    expect(classify([], [], []).pass).toBe(false);
  });

  it('rejects mismatched verdict and kind lists as a caller bug', () => {
    expect(() => classify([true], [false], [])).toThrow(RangeError);
  });
});
