/**
 * CloudFront cache and response-headers policies for a Vite build.
 *
 * Vite names everything under `/assets/` by content hash, so those files never change under a
 * name: cached for a year and marked `immutable` (RFC 8246) so browsers do not even revalidate.
 * `index.html` (and the few unhashed files at the root) must change at once on deploy, so the
 * edge keeps them for 0 s by default and browsers get `no-cache` (always revalidate by ETag).
 * Both behaviours carry the same security headers; only Cache-Control differs.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/** A year: the longest max-age browsers and CloudFront honour for immutable assets (RFC 9111 practice). */
const IMMUTABLE_TTL = Duration.days(365);
/** Two years, the HSTS preload list's requirement (hstspreload.org asks for at least one year). */
const HSTS_MAX_AGE = Duration.days(730);
/** The edge may keep index.html this long only if the origin says so; deploys invalidate it anyway. */
const DOCUMENT_MAX_TTL = Duration.minutes(5);

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const DOCUMENT_CACHE_CONTROL = 'no-cache';

export type EdgePolicies = {
  readonly assetsCache: cloudfront.ICachePolicy;
  readonly documentCache: cloudfront.ICachePolicy;
  readonly assetsHeaders: cloudfront.IResponseHeadersPolicy;
  readonly documentHeaders: cloudfront.IResponseHeadersPolicy;
};

export function createEdgePolicies(scope: Construct, contentSecurityPolicy: string): EdgePolicies {
  const assetsCache = new cloudfront.CachePolicy(scope, 'AssetsCache', {
    comment: 'KALDRIX hashed assets: immutable for a year',
    minTtl: IMMUTABLE_TTL,
    defaultTtl: IMMUTABLE_TTL,
    maxTtl: IMMUTABLE_TTL,
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
  const documentCache = new cloudfront.CachePolicy(scope, 'DocumentCache', {
    comment: 'KALDRIX index.html and root files: revalidated on every request',
    minTtl: Duration.seconds(0),
    defaultTtl: Duration.seconds(0),
    maxTtl: DOCUMENT_MAX_TTL,
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
  return {
    assetsCache,
    documentCache,
    assetsHeaders: headersPolicy(scope, 'AssetsHeaders', contentSecurityPolicy, IMMUTABLE_CACHE_CONTROL),
    documentHeaders: headersPolicy(scope, 'DocumentHeaders', contentSecurityPolicy, DOCUMENT_CACHE_CONTROL),
  };
}

function headersPolicy(scope: Construct, id: string, csp: string, cacheControl: string): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, id, {
    comment: `KALDRIX security headers, Cache-Control: ${cacheControl}`,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    },
    customHeadersBehavior: {
      customHeaders: [
        // Isolates the app's window from pages it opens or is opened by (Spectre-class leaks, tab-nabbing).
        { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        // The app uses none of these powerful features; deny them to anything it might embed.
        { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true },
        { header: 'Cache-Control', value: cacheControl, override: true },
      ],
    },
  });
}
