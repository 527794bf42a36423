/**
 * Entry of the KALDRIX web app: wires the real effects (workers, clock, randomness, animation
 * frames, the URL fragment) into the pages' state and mounts the Svelte root. Neither the
 * simulation engine nor a crypto backend is imported here: workers load them on demand, which
 * keeps the first page small (DESIGN.md §4). The simulator's worker starts when its page is
 * first shown, so the self-test page never competes with a running network for the CPU.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { createBrowserVerifyPool } from './crypto/browserVerifyPool.ts';
import { createSignerClient } from './crypto/signerClient.ts';
import { SelfTestPanel } from './selftest/selfTest.svelte.ts';
import { AppRoute, isReplayFragment } from './sim/route.svelte.ts';
import { createSimClient } from './sim/simClient.ts';
import { SimulatorPage } from './sim/simPage.svelte.ts';
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

const simulator = new SimulatorPage({
  connect: createSimClient,
  requestFrame: (callback) => requestAnimationFrame(callback),
  cancelFrame: (handle) => cancelAnimationFrame(handle),
  pageUrl: () => `${location.origin}${location.pathname}${location.search}`,
});

const route = new AppRoute(location.hash);
let simulatorStarted = false;

/** Shows the page the fragment names; a replay link (re)starts the simulator with its run. */
function follow(fragment: string): void {
  route.follow(fragment);
  if (route.current !== 'simulator') return;
  if (simulatorStarted && !isReplayFragment(fragment)) return;
  simulatorStarted = true;
  simulator.start(fragment);
}

follow(location.hash);
addEventListener('hashchange', () => follow(location.hash));
addEventListener('pagehide', () => {
  selfTest.dispose();
  simulator.dispose();
});

mount(App, { target, props: { selfTest, simulator, route } });
