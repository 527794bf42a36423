import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, unacknowledged, type Synthesized } from './_testSynth.ts';

type Resource = { Type: string; Properties: Record<string, any> };

describe('HostingStack (no peers, default context)', () => {
  let built: Synthesized;
  let template: Template;
  beforeAll(() => {
    built = synthesize({ peersPerRegion: {} });
    template = Template.fromStack(built.hosting);
  });
  afterAll(() => built.cleanup());

  it('synthesizes only the hosting stack, in us-east-1, with no unacknowledged cdk-nag finding', () => {
    expect(built.assembly.stacks.map((s) => s.stackName)).toEqual(['Kaldrix-Hosting']);
    expect(built.hosting.region).toBe('us-east-1');
    expect(unacknowledged(built.report)).toEqual([]);
  });

  it('keeps every bucket private: all four public-access blocks, encryption, TLS-only policy', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets).length).toBe(2);
    for (const bucket of Object.values(buckets) as Resource[]) {
      expect(bucket.Properties['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
      expect(bucket.Properties['BucketEncryption']).toBeDefined();
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
    for (const policy of Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[]) {
      const statements = policy.Properties['PolicyDocument'].Statement as Array<Record<string, any>>;
      expect(statements.some((s) => s['Effect'] === 'Deny' && s['Condition']?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
      // Any Allow to a wildcard principal would make the bucket public.
      for (const s of statements.filter((x) => x['Effect'] === 'Allow')) {
        expect(s['Principal']).not.toBe('*');
        expect(s['Principal']?.AWS).not.toBe('*');
      }
    }
  });

  it('lets CloudFront read the site bucket only through OAC, for this distribution', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginAccessControl'), 'Id'] } })],
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject',
        Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
      })]) },
    });
  });

  it('redirects HTTP to HTTPS on every behaviour and answers SPA routes with index.html', () => {
    const dist = template.findResources('AWS::CloudFront::Distribution');
    const config = (Object.values(dist)[0] as Resource).Properties['DistributionConfig'];
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.CacheBehaviors.map((b: any) => [b.PathPattern, b.ViewerProtocolPolicy])).toEqual([['/assets/*', 'redirect-to-https']]);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toEqual(expect.arrayContaining([
      expect.objectContaining({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html' }),
      expect.objectContaining({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
    ]));
    expect(config.Logging).toBeDefined();
  });

  it('caches hashed assets for a year and revalidates index.html', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ MinTTL: 31_536_000, DefaultTTL: 31_536_000, MaxTTL: 31_536_000 }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ MinTTL: 0, DefaultTTL: 0 }),
    });
    const headerValues = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy')).map((p: any) =>
      p.Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items.find((h: any) => h.Header === 'Cache-Control').Value);
    expect(headerValues.sort()).toEqual(['no-cache', 'public, max-age=31536000, immutable']);
  });

  it('sends a strict CSP, 2-year HSTS with preload, nosniff, DENY framing and COOP', () => {
    const policies = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as Resource[];
    expect(policies.length).toBe(2);
    for (const p of policies) {
      const config = p.Properties['ResponseHeadersPolicyConfig'];
      const csp: string = config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("connect-src 'self' wss:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("'unsafe-eval'");
      expect(config.SecurityHeadersConfig.StrictTransportSecurity).toEqual({
        AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Preload: true, Override: true,
      });
      expect(config.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
      expect(config.SecurityHeadersConfig.FrameOptions.FrameOption).toBe('DENY');
      expect(config.SecurityHeadersConfig.ReferrerPolicy.ReferrerPolicy).toBe('strict-origin-when-cross-origin');
      expect(config.CustomHeadersConfig.Items).toContainEqual({ Header: 'Cross-Origin-Opener-Policy', Value: 'same-origin', Override: true });
    }
  });

  it('uploads dist/ and invalidates only /index.html', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/index.html'], Prune: false,
    });
  });
});

describe('HostingStack with a custom domain, WAF, and no dist upload', () => {
  let built: Synthesized;
  let template: Template;
  beforeAll(() => {
    built = synthesize({
      peersPerRegion: {}, waf: 'true', deployDist: 'false',
      domainName: 'app.kaldrix.example', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'kaldrix.example',
    });
    template = Template.fromStack(built.hosting);
  });
  afterAll(() => built.cleanup());

  it('has no unacknowledged finding and needs no CFR2/CFR4 acknowledgement', () => {
    expect(unacknowledged(built.report)).toEqual([]);
    const acknowledged = built.report.pluginReports.flatMap((p) => p.suppressedViolations ?? []).map((v) => v.ruleName);
    expect(acknowledged).not.toContain('AwsSolutions-CFR2');
    expect(acknowledged).not.toContain('AwsSolutions-CFR4');
  });

  it('serves the domain with an ACM certificate (DNS-validated) and TLS 1.2_2021 at least', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'app.kaldrix.example', ValidationMethod: 'DNS' });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['app.kaldrix.example'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
      }),
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
  });

  it('attaches a CLOUDFRONT-scope WebACL with the common rule set and an IP rate limit', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) } }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('WebAcl'), 'Arn'] } }),
    });
  });

  it('skips the upload when deployDist is false', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});
