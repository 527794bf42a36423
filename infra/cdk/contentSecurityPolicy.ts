/**
 * The hosted app's Content-Security-Policy, as one header value.
 *
 * Strict by default (only the app's own origin), with the exceptions the app really needs:
 * - `'wasm-unsafe-eval'` in script-src: the liboqs verification backend is WebAssembly
 *   (CSP Level 3 allows compiling WebAssembly without allowing `eval`);
 * - `worker-src 'self' blob:`: the verify pool and the light client run in Web Workers;
 * - `connect-src 'self' wss:` plus the peers' origins: the light client talks to peers that the
 *   user may add, over WSS, and to their HTTPS API. WebRTC-direct connections are not governed
 *   by connect-src (browsers do not apply CSP to RTCPeerConnection), so nothing is needed there;
 * - `style-src 'unsafe-inline'`: Svelte components set inline styles.
 * Everything else is denied: no plugins, no framing (clickjacking), no `<base>` rewrites.
 */
/** CloudFront rejects a Content-Security-Policy longer than this many characters. */
export const CSP_MAX_CHARS = 1783;

/**
 * The policy for a deployment whose peers answer on `peerHosts` (DNS names, `*.` allowed).
 * Throws RangeError if the policy would exceed what CloudFront accepts.
 */
export function contentSecurityPolicy(peerHosts: readonly string[]): string {
  const policy = unboundedPolicy(peerHosts);
  if (policy.length > CSP_MAX_CHARS) {
    throw new RangeError(`peerHosts: the Content-Security-Policy would be ${policy.length} characters; CloudFront accepts ${CSP_MAX_CHARS}`);
  }
  return policy;
}

/** True when the policy for `peerHosts` fits CloudFront's limit (config validation asks first). */
export function fitsCloudFront(peerHosts: readonly string[]): boolean {
  return unboundedPolicy(peerHosts).length <= CSP_MAX_CHARS;
}

function unboundedPolicy(peerHosts: readonly string[]): string {
  const peerOrigins = [...new Set(peerHosts)].flatMap((host) => [`https://${host}`, `wss://${host}`]);
  const directives: ReadonlyArray<readonly [string, ...string[]]> = [
    ['default-src', "'self'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'"],
    ['worker-src', "'self'", 'blob:'],
    ['connect-src', "'self'", 'wss:', ...peerOrigins],
    ['img-src', "'self'", 'data:'],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['font-src', "'self'"],
    ['manifest-src', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'self'"],
    ['object-src', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** The peer host names the app may reach, derived from the deployment settings. */
export function peerHostsOf(settings: { readonly peersDomainName: string | undefined; readonly peerDomains: readonly string[] }): string[] {
  const own = settings.peersDomainName === undefined ? [] : [`*.${settings.peersDomainName}`];
  return [...own, ...settings.peerDomains];
}
