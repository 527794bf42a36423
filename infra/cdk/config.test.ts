import { describe, expect, it } from 'vitest';
import { DEFAULT_PEERS_PER_REGION, readInfraConfig, type InfraConfig } from './config.ts';
import { contentSecurityPolicy, CSP_MAX_CHARS } from './contentSecurityPolicy.ts';

const read = (context: Record<string, unknown>) => readInfraConfig((k) => context[k], { peerImageTag: '9.9.9' });
const value = (context: Record<string, unknown>): InfraConfig => {
  const r = read(context);
  if (!r.ok) throw new Error(`rejected ${r.error.key}`);
  return r.value;
};

describe('readInfraConfig', () => {
  it('gives the reference deployment by default', () => {
    const c = value({});
    expect(c.peersPerRegion).toEqual(DEFAULT_PEERS_PER_REGION);
    expect(c).toMatchObject({ account: undefined, minPeers: 3, waf: false, deployDist: true, peerImageTag: '9.9.9', instanceType: 'c7g.large' });
  });

  it('accepts the string forms the CDK CLI passes (-c key=value)', () => {
    const c = value({ waf: 'true', deployDist: 'false', minPeers: '2', peersPerRegion: '{"us-east-1":3}', peerDomains: 'a.example.org,*.b.example.org' });
    expect(c).toMatchObject({ waf: true, deployDist: false, minPeers: 2, peersPerRegion: { 'us-east-1': 3 }, peerDomains: ['a.example.org', '*.b.example.org'] });
  });

  it.each([
    [{ account: '12345' }, 'account'],
    [{ peersPerRegion: '{"us-east-1":-1}' }, 'peersPerRegion'],
    [{ peersPerRegion: '{"mars-1":1}' }, 'peersPerRegion'],
    [{ peersPerRegion: 'not json' }, 'peersPerRegion'],
    [{ minPeers: 0 }, 'minPeers'],
    [{ waf: 'yes' }, 'waf'],
    [{ hostedZoneId: 'Z123ABC' }, 'hostedZoneName'],
    [{ domainName: 'app.example.org' }, 'hostedZoneId'],
    [{ domainName: 'app.other.org', hostedZoneId: 'Z123ABC', hostedZoneName: 'example.org' }, 'domainName'],
    [{ peerCertificateArns: { 'us-east-1': 'arn:aws:acm:eu-west-1:111122223333:certificate/x' } }, 'peerCertificateArns'],
    [{ peerDomains: ['bad domain'] }, 'peerDomains'],
    [{ peerDomains: Array.from({ length: 40 }, (_, i) => `peer-${i}-with-a-rather-long-name.example.org`) }, 'peerDomains'],
  ])('rejects %j naming %s', (context, key) => {
    const r = read(context);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'bad-context', key });
  });
});

describe('contentSecurityPolicy', () => {
  it('adds HTTPS and WSS origins for each peer host, once', () => {
    const csp = contentSecurityPolicy(['*.peers.example.org', '*.peers.example.org']);
    expect(csp).toContain("connect-src 'self' wss: https://*.peers.example.org wss://*.peers.example.org;");
    expect(csp.match(/https:\/\/\*\.peers/g)?.length).toBe(1);
  });

  it('refuses a policy CloudFront would reject', () => {
    const many = Array.from({ length: 40 }, (_, i) => `peer-${i}-with-a-rather-long-name.example.org`);
    expect(() => contentSecurityPolicy(many)).toThrow(RangeError);
    expect(contentSecurityPolicy([]).length).toBeLessThan(CSP_MAX_CHARS);
  });
});
