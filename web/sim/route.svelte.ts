/**
 * Which page of the app is shown, from the URL fragment: `#selftest` the crypto self-test,
 * `#light` the light client, `#explorer` the verified explorer, `#wallet` the wallet, `#bench`
 * the DAG view's frame-rate bench page; anything else the simulator (`#run=…` being a replay
 * link into it). Fragments keep the app a static build with no server routes (DESIGN.md §3: the
 * simulator needs nothing but the files). A fragment may carry arguments after `?`
 * (`#bench?vertices=5000`); the page reads them itself.
 */
export const APP_PAGES = ['simulator', 'selftest', 'light', 'explorer', 'wallet', 'bench'] as const;
export type AppPage = (typeof APP_PAGES)[number];

export const SELFTEST_FRAGMENT = '#selftest';

export function pageOfFragment(fragment: string): AppPage {
  const name = fragment.replace(/^#/, '').split('?')[0] ?? '';
  return APP_PAGES.find((page) => page === name) ?? 'simulator';
}

export const isReplayFragment = (fragment: string): boolean => /^#?run=/.test(fragment);

export class AppRoute {
  current = $state<AppPage>('simulator');

  constructor(fragment: string) {
    this.current = pageOfFragment(fragment);
  }

  follow(fragment: string): void {
    this.current = pageOfFragment(fragment);
  }
}
