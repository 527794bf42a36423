/**
 * Entry of the KALDRIX web app: wires the real effects (workers, clock, randomness) into the
 * app's state and mounts the Svelte root. The crypto backends are not imported here: workers
 * load them on demand, which keeps the first page small (DESIGN.md §4).
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { createBrowserVerifyPool } from './crypto/browserVerifyPool.ts';
import { createSignerClient } from './crypto/signerClient.ts';
import { SelfTestPanel } from './selftest/selfTest.svelte.ts';
import './styles.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html must contain an element with id "app"');

const selfTest = new SelfTestPanel({
  signer: createSignerClient(),
  // No cache: the self-test verifies the same items twice and must time real verifications.
  createVerifier: (backend) => createBrowserVerifyPool({ backend, workers: navigator.hardwareConcurrency || 2, cacheEntries: 0 }),
  nowMs: () => performance.now(),
  randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
});

addEventListener('pagehide', () => selfTest.dispose());

mount(App, { target, props: { selfTest } });
