/**
 * Entry of the KALDRIX web app: wires the real effects (workers, clock, randomness, animation
 * frames, the URL fragment) into the pages' state and mounts the Svelte root. Neither the
 * simulation engine nor a crypto backend is imported here: workers load them on demand, which
 * keeps the first page small (DESIGN.md §4). The simulator's worker starts when its page is
 * first shown, so the self-test page never competes with a running network for the CPU.
 * The light client, explorer and wallet pages load as one lazy bundle on their first visit.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { createBrowserVerifyPool } from './crypto/browserVerifyPool.ts';
import { createSignerClient } from './crypto/signerClient.ts';
import { SelfTestPanel } from './selftest/selfTest.svelte.ts';
import { AppRoute, isReplayFragment } from './sim/route.svelte.ts';
import { createSimClient } from './sim/simClient.ts';
import { SimulatorPage } from './sim/simPage.svelte.ts';
import type { LightPages } from './light/lightPage.svelte.ts';
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

/** Hosts whose pages may dial loopback peers by default (a local devnet, TOOLCHAIN: the gater). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** How long a downloaded file's object URL stays valid: the browser copies it on click. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** Offers `text` as a file download through a transient Blob link. */
function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** A same-origin file's text, or undefined when it is not served (the devnet prefill is optional). */
async function fetchOptionalText(path: string): Promise<string | undefined> {
  try {
    const response = await fetch(path, { cache: 'no-store' });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The light client, explorer and wallet pages, loaded on the first visit to one of them: their
 * code, libp2p (inside the light client's worker) and the wallet's crypto never load with the
 * first page (DESIGN.md §4).
 */
async function loadLightPages(): Promise<LightPages> {
  const [{ default: View }, { LightPage }, { createLightClient }, { createConnectionStore }, { WalletPage }, { openKeystore }, { createNobleBackend }] = await Promise.all([
    import('./light/LightPages.svelte'),
    import('./light/lightPage.svelte.ts'),
    import('./light/lightClient.ts'),
    import('./light/components/savedConnection.ts'),
    import('./wallet/walletPage.svelte.ts'),
    import('./wallet/keystore.ts'),
    import('../core/crypto/backends/noble.ts'),
  ]);
  const light = new LightPage(
    { createClient: createLightClient, connections: createConnectionStore(localStorage), fetchText: fetchOptionalText, download: downloadText },
    { servedFromLoopback: LOOPBACK_HOSTS.has(location.hostname) },
  );
  const wallet = new WalletPage({
    source: light,
    keystore: openKeystore({ nowMs: () => Date.now() }),
    backend: createNobleBackend(),
    random: (byteCount) => crypto.getRandomValues(new Uint8Array(byteCount)),
    fetch: (input, init) => fetch(input, init),
    nowMs: () => Date.now(),
    setTimer: (callback, delayMs) => window.setTimeout(callback, delayMs),
    clearTimer: (handle) => window.clearTimeout(handle),
    download: downloadText,
  });
  return Object.freeze({
    View,
    light,
    wallet,
    open: () => {
      light.open();
      void wallet.load();
    },
    dispose: () => {
      wallet.dispose();
      light.dispose();
    },
  });
}

let lightPages: Promise<LightPages> | undefined;
const openLightPages = (): Promise<LightPages> => (lightPages ??= loadLightPages());

const route = new AppRoute(location.hash);
let simulatorStarted = false;

/** Shows the page the fragment names; a replay link (re)starts the simulator with its run. */
function follow(fragment: string): void {
  route.follow(fragment);
  if (route.current === 'light' || route.current === 'explorer' || route.current === 'wallet') {
    openLightPages().then((pages) => pages.open(), () => undefined);
    return;
  }
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
  void lightPages?.then((pages) => pages.dispose(), () => undefined);
});

mount(App, { target, props: { selfTest, simulator, route, openLightPages } });
