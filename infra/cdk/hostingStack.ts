/**
 * HostingStack: the web app on a private S3 bucket behind CloudFront.
 *
 * The bucket is never public: CloudFront reads it through Origin Access Control (SigV4-signed
 * requests, the bucket policy names the distribution), public access is blocked on all four
 * switches, TLS is enforced by policy, and every object version is kept (a bad deploy is undone
 * by restoring versions). Viewers get HTTPS only (HTTP redirects), the security headers of
 * `_edgePolicies.ts`, and SPA routing (a missing path answers index.html with 200).
 *
 * Lives in us-east-1 because CloudFront takes certificates and WAF WebACLs only from there.
 * Optional by context: a custom domain (ACM certificate by DNS validation + Route 53 alias
 * records), WAF, and the upload of `dist/` with an invalidation of `/index.html`.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { createEdgePolicies } from './_edgePolicies.ts';
import { acknowledge } from './_nag.ts';
import { createWebAcl } from './_webAcl.ts';

/** Access logs are for incident review; three months covers a quarter's audit. */
const ACCESS_LOG_RETENTION = Duration.days(90);
/** Old object versions stay restorable for a month after a deploy replaced them. */
const NONCURRENT_VERSION_RETENTION = Duration.days(30);

export type HostingStackProps = StackProps & {
  readonly contentSecurityPolicy: string;
  readonly domainName: string | undefined;
  readonly hostedZone: { readonly id: string; readonly name: string } | undefined;
  readonly waf: boolean;
  /** The built app to upload (a folder with index.html), or undefined to skip the upload. */
  readonly distDir: string | undefined;
};

export class HostingStack extends Stack {
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: HostingStackProps) {
    super(scope, id, props);
    const logBucket = createLogBucket(this);
    // Typed as the interface: see createLogBucket for why the cast.
    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 's3/site/',
      lifecycleRules: [{ noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION }],
      removalPolicy: RemovalPolicy.RETAIN,
    }) as s3.IBucket;

    const custom = props.domainName === undefined || props.hostedZone === undefined
      ? undefined
      : { domainName: props.domainName, zone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name }) };
    const certificate = custom === undefined ? undefined : new acm.Certificate(this, 'Certificate', {
      domainName: custom.domainName,
      validation: acm.CertificateValidation.fromDns(custom.zone),
    });
    const webAcl = props.waf ? createWebAcl(this) : undefined;
    this.distribution = this.createDistribution(props.contentSecurityPolicy, logBucket, {
      certificate, domainName: custom?.domainName, webAclArn: webAcl?.attrArn,
    });

    if (custom !== undefined) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'AliasA', { zone: custom.zone, recordName: custom.domainName, target });
      new route53.AaaaRecord(this, 'AliasAaaa', { zone: custom.zone, recordName: custom.domainName, target });
    }
    if (props.distDir !== undefined) this.deployApp(props.distDir);
    this.acknowledgeFindings(certificate !== undefined, webAcl !== undefined, logBucket);

    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'SiteBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'AppUrl', { value: `https://${custom?.domainName ?? this.distribution.distributionDomainName}/` });
  }

  private createDistribution(
    csp: string,
    logBucket: s3.IBucket,
    edge: { certificate: acm.ICertificate | undefined; domainName: string | undefined; webAclArn: string | undefined },
  ): cloudfront.Distribution {
    const policies = createEdgePolicies(this, csp);
    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    return new cloudfront.Distribution(this, 'Distribution', {
      comment: 'KALDRIX web app',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: policies.documentCache,
        responseHeadersPolicy: policies.documentHeaders,
        compress: true,
      },
      additionalBehaviors: {
        '/assets/*': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: policies.assetsCache,
          responseHeadersPolicy: policies.assetsHeaders,
          compress: true,
        },
      },
      // SPA routing: S3 answers 403 (not 404) for a missing key when CloudFront may not list
      // the bucket, so both become the app shell; the router then shows its own not-found page.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0),
      })),
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
      ...(edge.certificate === undefined || edge.domainName === undefined ? {} : {
        certificate: edge.certificate,
        domainNames: [edge.domainName],
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        sslSupportMethod: cloudfront.SSLMethod.SNI,
      }),
      ...(edge.webAclArn === undefined ? {} : { webAclId: edge.webAclArn }),
    });
  }

  /**
   * Uploads the built app. `prune: false` keeps the previous build's hashed assets: a browser
   * still holding the old index.html must find the chunks it names (they are unreachable
   * otherwise and cost cents). Only /index.html is invalidated: hashed assets never change.
   */
  private deployApp(distDir: string): void {
    new s3deploy.BucketDeployment(this, 'DeployApp', {
      sources: [s3deploy.Source.asset(distDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html'],
      prune: false,
      memoryLimit: 512,
    });
    // The handler is a stack-level singleton whose id CDK derives from the memory size.
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler === undefined) throw new Error('BucketDeployment created no handler: aws-cdk-lib changed its layout');
    acknowledge(handler, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK BucketDeployment handler: the AWS-managed basic execution role only lets it write its own logs');
    acknowledge(handler, 'AwsSolutions-L1', 'CDK BucketDeployment pins its handler runtime; it runs only during deploys, never on user traffic');
    const copyReason = 'CDK BucketDeployment copies the app from the CDK asset bucket into the site bucket: object-level read/write/delete on those two buckets only';
    for (const finding of ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*',
      'Resource::<SiteBucket397A1860.Arn>/*', `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${this.region}/*`]) {
      acknowledge(handler, `AwsSolutions-IAM5[${finding}]`, copyReason);
    }
    acknowledge(handler, 'AwsSolutions-IAM5[Resource::*]',
      'cloudfront:CreateInvalidation/GetInvalidation have no resource-level scoping in CDK BucketDeployment; used for /index.html after each upload');
  }

  private acknowledgeFindings(customDomain: boolean, waf: boolean, logBucket: s3.IBucket): void {
    acknowledge(this.distribution, 'AwsSolutions-CFR1',
      'A public blockchain app serves every country; there is no region to exclude');
    if (!waf) {
      acknowledge(this.distribution, 'AwsSolutions-CFR2',
        'WAF is opt-in (context waf=true, about $10/month): the origin is a static private bucket with no server-side code to attack');
    }
    if (!customDomain) {
      acknowledge(this.distribution, 'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its *.cloudfront.net certificate and fixes the policy itself; with domainName set the minimum is TLSv1.2_2021');
    }
    acknowledge(logBucket, 'AwsSolutions-S1',
      'This is the access-log bucket itself; logging it into itself would loop');
  }
}

/**
 * The bucket that receives S3 server access logs and CloudFront standard logs. CloudFront's
 * standard logging writes with ACLs, so this bucket (only this one) keeps ObjectWriter ACLs.
 */
function createLogBucket(scope: Construct): s3.IBucket {
  // aws-cdk-lib's classes declare optional members that their interfaces declare as required
  // (e.g. Vpc.vpnGatewayId), which `exactOptionalPropertyTypes` rejects; the objects are the same.
  return new s3.Bucket(scope, 'LogBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    lifecycleRules: [{ expiration: ACCESS_LOG_RETENTION, noncurrentVersionExpiration: Duration.days(1) }],
    removalPolicy: RemovalPolicy.RETAIN,
  }) as s3.IBucket;
}


