/**
 * The optional WAF in front of the hosted app (context `waf=true`).
 *
 * CLOUDFRONT-scope WebACLs exist only in us-east-1, which is why the hosting stack lives there.
 * Rules: AWS's managed common rule set (OWASP-style bad requests) and known-bad-inputs, then a
 * per-IP rate limit. The app itself is static, so the rate limit is generous: it only stops
 * floods, and a reload of the app costs a handful of requests.
 */
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Requests per client IP per 5 minutes before WAF blocks it (WAF's evaluation window). */
export const WAF_RATE_LIMIT_PER_5_MIN = 2_000;

export function createWebAcl(scope: Construct): wafv2.CfnWebACL {
  const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    metricName,
    sampledRequestsEnabled: true,
  });
  const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  });
  return new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('kaldrix-app'),
    rules: [
      managed('AWSManagedRulesCommonRuleSet', 0),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
      {
        name: 'RateLimitPerIp',
        priority: 2,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: WAF_RATE_LIMIT_PER_5_MIN, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
    ],
  });
}
