/**
 * Which page of the app is shown, from the URL fragment: `#selftest` is the crypto self-test,
 * anything else the simulator (`#run=…` being a replay link into it). Fragments keep the app a
 * static build with no server routes (DESIGN.md §3: the simulator needs nothing but the files).
 */
export type AppPage = 'simulator' | 'selftest';

export const SELFTEST_FRAGMENT = '#selftest';

export const pageOfFragment = (fragment: string): AppPage => (fragment === SELFTEST_FRAGMENT ? 'selftest' : 'simulator');

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
