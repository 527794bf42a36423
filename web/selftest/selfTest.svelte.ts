/**
 * State of the crypto self-test panel (HOUSE-RULES 17: runes state in a class, replaced data
 * in `$state.raw`, no effect writes state). The panel binds the choices and calls `run()`;
 * the work happens in workers through the components passed in.
 */
import { CONTEXTS, contextBytes } from '../../core/crypto/contexts.ts';
import type { SchemeName } from '../../core/crypto/types.ts';
import type { VerifyPool } from '../../core/crypto/verifyPool.ts';
import type { BackendName } from '../crypto/backendName.ts';
import type { SignerClient } from '../crypto/signerClient.ts';
import { runSelfTest, type SelfTestPhase, type SelfTestReport } from './runSelfTest.ts';

/** What the panel needs of a verify pool that uses one backend. */
export type BatchVerifier = Pick<VerifyPool, 'workers' | 'verifyBatch' | 'close'>;

export type SelfTestPanelComponents = {
  readonly signer: SignerClient;
  /**
   * Creates the verifier of one backend; called at most once per backend. It must verify every
   * item it is given (no cache), or the measured round would time cache look-ups.
   */
  readonly createVerifier: (backend: BackendName) => BatchVerifier;
  readonly nowMs: () => number;
  readonly randomBytes: (length: number) => Uint8Array;
};

export type SelfTestStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly phase: SelfTestPhase }
  | { readonly kind: 'done'; readonly report: SelfTestReport; readonly workerCount: number }
  | { readonly kind: 'failed'; readonly reason: string };

export const schemeChoices: readonly { readonly scheme: SchemeName; readonly label: string }[] = [
  { scheme: 'ml-dsa-44', label: 'ML-DSA-44 (FIPS 204, level 2)' },
  { scheme: 'ml-dsa-65', label: 'ML-DSA-65 (FIPS 204, level 3)' },
  { scheme: 'ml-dsa-87', label: 'ML-DSA-87 (FIPS 204, level 5)' },
  { scheme: 'falcon-512', label: 'Falcon-512 (level 1)' },
  { scheme: 'ml-dsa-44+ed25519', label: 'Hybrid ML-DSA-44 + Ed25519' },
];

export const backendChoices: readonly { readonly backend: BackendName; readonly label: string; readonly note: string }[] = [
  { backend: 'noble', label: 'noble', note: 'reference, JavaScript' },
  { backend: 'liboqs', label: 'liboqs', note: 'WebAssembly, on demand' },
];

export const messageCountChoices: readonly number[] = [16, 64, 256];

/** Self-test messages are signed as transactions (FIPS 204 context, `contexts.ts`). */
export const selfTestContextText = CONTEXTS.tx;
const selfTestContext = contextBytes(selfTestContextText);
/** The replay forgery presents a transaction's signature as a vote's. */
const replayContext = contextBytes(CONTEXTS.vote);

export class SelfTestPanel {
  scheme = $state<SchemeName>('ml-dsa-44');
  backend = $state<BackendName>('noble');
  messageCount = $state(64);
  status = $state.raw<SelfTestStatus>({ kind: 'idle' });
  readonly running = $derived(this.status.kind === 'running');

  readonly #components: SelfTestPanelComponents;
  readonly #verifiers = new Map<BackendName, BatchVerifier>();

  constructor(components: SelfTestPanelComponents) {
    this.#components = components;
  }

  async run(): Promise<void> {
    if (this.running) return;
    const components = this.#components;
    const verifier = this.#verifierFor(this.backend);
    this.status = { kind: 'running', phase: 'signing' };
    try {
      const report = await runSelfTest(
        {
          signBatch: (request) => components.signer.signBatch(request),
          verifyBatch: (items) => verifier.verifyBatch(items),
          nowMs: components.nowMs,
          randomBytes: components.randomBytes,
        },
        { scheme: this.scheme, backend: this.backend, messageCount: this.messageCount, context: selfTestContext, otherContext: replayContext },
        (phase) => (this.status = { kind: 'running', phase }),
      );
      this.status = { kind: 'done', report, workerCount: verifier.workers };
    } catch (error) {
      this.status = { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Stops every worker this panel started. */
  dispose(): void {
    for (const verifier of this.#verifiers.values()) void verifier.close();
    this.#verifiers.clear();
    this.#components.signer.terminate();
  }

  #verifierFor(backend: BackendName): BatchVerifier {
    let verifier = this.#verifiers.get(backend);
    if (verifier === undefined) {
      verifier = this.#components.createVerifier(backend);
      this.#verifiers.set(backend, verifier);
    }
    return verifier;
  }
}
