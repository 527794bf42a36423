/**
 * Signature backends: keygen, sign and verify per scheme and backend, each as a ratio to the
 * reference backend (noble) measured in the same run (DESIGN.md §2 "Backends", §4).
 *
 * Messages are 200 bytes (about one transaction), signed under the `kaldrix/tx/v1` context,
 * deterministically. A raw liboqs-js verifier (no backend wrapper, no context framing) is
 * measured too: it is the "fastest JS-callable verifier" DESIGN.md §4 compares the pool with.
 * Every operation is checked once for the right answer before it is timed.
 */
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { loadLiboqsBackend } from '../../core/crypto/backends/liboqs.ts';
import { contextBytes } from '../../core/crypto/contexts.ts';
import { SCHEME_NAMES, schemeInfo } from '../../core/crypto/schemes.ts';
import type { SchemeName, SignatureBackend } from '../../core/crypto/types.ts';
import type { Measurement } from '../_harness.ts';
import { registerSuite, type SuiteContext } from '../_registry.ts';

const SUITE = 'signatures';
const MESSAGE_BYTES = 200;
/** liboqs-js ML-DSA-44 verify must be at least this many times noble's (the bench target). */
const LIBOQS_VERIFY_TARGET_RATIO = 5;
const RAW_LIBOQS = 'ml-dsa-44 verify (raw liboqs-js)';

const seedFor = (scheme: SchemeName, n: number): Uint8Array => new Uint8Array(schemeInfo(scheme).seedBytes).fill(n);

type Row = { readonly name: string; readonly run: () => unknown; readonly note: string; readonly isReference: boolean };

/** The three operations of one backend on one scheme, each checked once before it is timed. */
function rowsFor(backend: SignatureBackend, scheme: SchemeName): Record<'keygen' | 'sign' | 'verify', Row> {
  const txContext = contextBytes('kaldrix/tx/v1');
  const message = new Uint8Array(MESSAGE_BYTES).fill(0x5a);
  const keys = backend.keygen(scheme, seedFor(scheme, 1));
  const signature = backend.sign(scheme, keys.secretKey, message, txContext);
  if (!backend.verify(scheme, keys.publicKey, message, signature, txContext)) throw new Error(`${backend.name} rejected its own ${scheme} signature`);
  let seedByte = 0;
  const row = (op: string, run: () => unknown, note = ''): Row => ({ name: `${scheme} ${op} (${backend.name})`, run, note, isReference: backend.name === 'noble' });
  return {
    keygen: row('keygen', () => backend.keygen(scheme, seedFor(scheme, ++seedByte & 0xff))),
    sign: row('sign', () => backend.sign(scheme, keys.secretKey, message, txContext), 'deterministic'),
    verify: row('verify', () => backend.verify(scheme, keys.publicKey, message, signature, txContext), 'context kaldrix/tx/v1'),
  };
}

/** liboqs-js called directly: its own key and signature over the bare message, no framing, no checks. */
async function rawLiboqsRow(): Promise<Row> {
  const { createMLDSA44 } = await import('@oqs/liboqs-js/sig');
  const raw = await createMLDSA44();
  const keys = raw.generateKeyPair();
  const message = new Uint8Array(MESSAGE_BYTES).fill(0x5a);
  const signature = raw.sign(message, keys.secretKey);
  if (!raw.verify(message, signature, keys.publicKey)) throw new Error('raw liboqs-js rejected its own signature');
  return {
    name: RAW_LIBOQS,
    run: () => raw.verify(message, signature, keys.publicKey),
    note: 'the fastest JS-callable ML-DSA-44 verifier here',
    isReference: false,
  };
}

/** Times the rows of one (scheme, operation) interleaved, so their ratios share the same load. */
async function measureGroup(ctx: SuiteContext, rows: readonly Row[]): Promise<void> {
  const enabled = rows.filter((r) => ctx.enabled(r.name));
  if (enabled.length === 0) return;
  const measured = await ctx.measureInterleaved(enabled.map((r) => r.run));
  const reference = measured[enabled.findIndex((r) => r.isReference)];
  enabled.forEach((row, i) => {
    const m = measured[i] as Measurement;
    ctx.figure({
      name: row.name,
      value: m.opsPerSecond,
      unit: 'ops/s',
      ...(reference && !row.isReference ? { ratio: { value: m.opsPerSecond / reference.opsPerSecond, to: 'noble' } } : {}),
      note: [row.note, `${m.microsPerOp.toFixed(0)} µs/op`].filter(Boolean).join('; '),
    });
  });
}

function checkLiboqsRatio(ctx: SuiteContext): void {
  const fast = ctx.find(SUITE, 'ml-dsa-44 verify (liboqs)');
  const name = `liboqs ML-DSA-44 verify ≥ ${LIBOQS_VERIFY_TARGET_RATIO}× noble`;
  if (fast?.ratio === undefined) return ctx.check({ name, status: 'SKIP', detail: 'not measured in this run' });
  ctx.check({
    name,
    status: fast.ratio.value >= LIBOQS_VERIFY_TARGET_RATIO ? 'PASS' : 'FAIL',
    detail: `${fast.ratio.value.toFixed(2)}× (${Math.round(fast.value)} vs ${Math.round(fast.value / fast.ratio.value)} verifies/s, kaldrix/tx/v1 context)`,
  });
}

registerSuite({
  name: SUITE,
  description: 'keygen / sign / verify per scheme and backend (200-byte messages, interleaved runs)',
  async run(ctx) {
    const backends: SignatureBackend[] = [createNobleBackend()];
    const wantsLiboqs = SCHEME_NAMES.some((s) => ['keygen', 'sign', 'verify'].some((op) => ctx.enabled(`${s} ${op} (liboqs)`)));
    if (wantsLiboqs) backends.push(await loadLiboqsBackend());
    const raw = ctx.enabled(RAW_LIBOQS) ? await rawLiboqsRow() : undefined;
    for (const scheme of SCHEME_NAMES) {
      const rows = backends.filter((b) => b.supports(scheme)).map((b) => rowsFor(b, scheme));
      for (const op of ['keygen', 'sign', 'verify'] as const) {
        const group = rows.map((r) => r[op]);
        if (scheme === 'ml-dsa-44' && op === 'verify' && raw) group.push(raw);
        await measureGroup(ctx, group);
      }
    }
    checkLiboqsRatio(ctx);
  },
});
