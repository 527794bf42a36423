import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCH_SECONDS, DEFAULT_DAG_VALIDATORS, parseBenchArgs } from './args.ts';

describe('parseBenchArgs', () => {
  it('reads a DAG bench with its defaults', () => {
    expect(parseBenchArgs('#bench?vertices=5000')).toEqual({ ok: true, value: { kind: 'dag', vertices: 5000, validators: DEFAULT_DAG_VALIDATORS, mode: 'follow', seconds: DEFAULT_BENCH_SECONDS } });
  });

  it('reads every DAG option and a worker bench', () => {
    expect(parseBenchArgs('#bench?vertices=800&validators=16&mode=pan&seconds=2')).toEqual({ ok: true, value: { kind: 'dag', vertices: 800, validators: 16, mode: 'pan', seconds: 2 } });
    expect(parseBenchArgs('#bench?worker=64&seconds=10')).toEqual({ ok: true, value: { kind: 'worker', validators: 64, seconds: 10 } });
  });

  it('refuses missing, doubled, malformed and out-of-range arguments with a message naming them', () => {
    const refused = (fragment: string): string => {
      const parsed = parseBenchArgs(fragment);
      if (parsed.ok) throw new Error(`${fragment} was accepted`);
      expect(parsed.error.code).toBe('BAD_BENCH_ARGS');
      return parsed.error.message;
    };
    expect(refused('#bench')).toMatch(/either vertices or worker/);
    expect(refused('#bench?vertices=10&worker=4')).toMatch(/either vertices or worker/);
    expect(refused('#bench?worker=65')).toMatch(/worker must be an integer in 1\.\.64/);
    expect(refused('#bench?worker=0')).toMatch(/worker/);
    expect(refused('#bench?vertices=5e3')).toMatch(/vertices must be an integer/);
    expect(refused('#bench?vertices=-1')).toMatch(/vertices/);
    expect(refused('#bench?vertices=100&mode=zoom')).toMatch(/mode must be one of follow, pan/);
    expect(refused('#bench?worker=4&seconds=61')).toMatch(/seconds must be an integer in 1\.\.60/);
    // More rounds than the view model holds (2,000).
    expect(refused('#bench?vertices=2001&validators=1')).toMatch(/rounds/);
  });
});
