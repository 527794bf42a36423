/**
 * PeersStack: the KALDRIX validators of one region, on EC2 with EBS (docs/deploy.md says why
 * not Kubernetes), and the WSS endpoint browsers use to reach them.
 *
 * Per region: a two-AZ public VPC with flow logs, one customer-managed KMS key (rotated
 * yearly) for the secrets, volumes, log groups and alarm topic; an ECR repository for the peer
 * image; a private config bucket holding the network files every validator syncs at start
 * (kaldrix.toml, genesis, bootstrap list); log groups with 30-day retention; an SNS topic for
 * alarms; the validators (validatorPeer.ts) spread over the two AZs; and a Network Load
 * Balancer. With a certificate (context `peerCertificateArns` or `peersDomainName` + hosted
 * zone) the NLB terminates TLS on 443 and forwards to the peers' WebSocket port 7001: browsers
 * on the HTTPS app can only open `wss://`. Without one it forwards plain TCP 7001 (dev only).
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2Targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { acknowledge } from './_nag.ts';
import { API_PORT, createPeerNetwork, WS_PORT } from './_peerNetwork.ts';
import { ValidatorPeer } from './validatorPeer.ts';

/** Log retention the issue asks for; long enough to investigate an incident after a weekend. */
const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
/** NLB access logs and config-bucket access logs: a quarter, for audits. */
const ACCESS_LOG_RETENTION = Duration.days(90);
/** Newest peer images kept in ECR; older ones expire (a rollback needs only the last few). */
const KEPT_IMAGES = 20;
/** WSS port on the NLB with TLS; the plain development listener keeps the peer's own port. */
const TLS_PORT = 443;

export type PeersStackProps = StackProps & {
  readonly region: string;
  readonly peerCount: number;
  readonly instanceType: string;
  readonly dataVolumeGiB: number;
  readonly minPeers: number;
  readonly alarmEmail: string | undefined;
  readonly certificateArn: string | undefined;
  /** `<region>.<peersDomainName>` gets a certificate and alias records in this zone. */
  readonly peersDomain: { readonly name: string; readonly zone: { readonly id: string; readonly name: string } } | undefined;
  readonly peerImage: string | undefined;
  readonly peerImageTag: string;
};

export class PeersStack extends Stack {
  readonly validators: readonly ValidatorPeer[];
  readonly key: kms.Key;
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: PeersStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: props.region } });
    if (!Number.isInteger(props.peerCount) || props.peerCount < 1) throw new RangeError(`peerCount: expected a positive integer, got ${props.peerCount}`);
    this.key = this.createKey();
    const zone = props.peersDomain === undefined ? undefined
      : route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.peersDomain.zone.id, zoneName: props.peersDomain.zone.name });
    const endpointName = props.peersDomain === undefined ? undefined : `${props.region}.${props.peersDomain.name}`;
    const certificate = this.certificateFor(props.certificateArn, endpointName, zone);
    const network = createPeerNetwork(this, props.region, this.key, LOG_RETENTION, certificate === undefined ? WS_PORT : TLS_PORT);

    const logBucket = this.createLogBucket();
    const configBucket = new s3.Bucket(this, 'NetworkConfig', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 's3/network-config/',
      removalPolicy: RemovalPolicy.RETAIN,
    }) as s3.IBucket; // see createLogBucket for the cast
    const repository = new ecr.Repository(this, 'PeerImages', {
      repositoryName: 'kaldrix-peer',
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: [{ maxImageCount: KEPT_IMAGES, description: `keep the newest ${KEPT_IMAGES} images` }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const peerLogGroup = new logs.LogGroup(this, 'PeerLogs', { retention: LOG_RETENTION, encryptionKey: this.key, removalPolicy: RemovalPolicy.RETAIN });
    const metricsLogGroup = new logs.LogGroup(this, 'MetricsLogs', { retention: LOG_RETENTION, encryptionKey: this.key, removalPolicy: RemovalPolicy.RETAIN });
    this.topic = new sns.Topic(this, 'Alarms', { displayName: `KALDRIX ${props.region} alarms`, masterKey: this.key, enforceSSL: true });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const subnets = network.vpc.publicSubnets;
    const instanceType = new ec2.InstanceType(props.instanceType);
    this.validators = Array.from({ length: props.peerCount }, (_, index) => {
      const subnet = subnets[index % subnets.length];
      if (subnet === undefined) throw new Error('the VPC has no public subnet');
      return new ValidatorPeer(this, `Validator${index}`, {
        validatorName: `${props.region}-${index}`,
        vpc: network.vpc, subnet, securityGroup: network.peerSecurityGroup, instanceType,
        dataVolumeGiB: props.dataVolumeGiB, key: this.key, configBucket,
        image: props.peerImage ?? `${repository.repositoryUri}:${props.peerImageTag}`,
        grantImagePull: (grantee) => repository.grantPull(grantee),
        peerLogGroup, metricsLogGroup, topic: this.topic, minPeers: props.minPeers,
      });
    });
    this.loadBalancer = this.createLoadBalancer(network, certificate, logBucket);
    if (zone !== undefined && endpointName !== undefined) this.addRecords(zone, endpointName);
    this.acknowledgeFindings(network.peerSecurityGroup, network.nlbSecurityGroup, logBucket);

    const scheme = certificate === undefined ? 'ws' : 'wss';
    const port = certificate === undefined ? WS_PORT : TLS_PORT;
    new CfnOutput(this, 'BrowserEndpoint', { value: `${scheme}://${endpointName ?? this.loadBalancer.loadBalancerDnsName}:${port}` });
    new CfnOutput(this, 'NetworkConfigBucket', { value: configBucket.bucketName });
    new CfnOutput(this, 'PeerImageRepository', { value: repository.repositoryUri });
    new CfnOutput(this, 'AlarmTopic', { value: this.topic.topicArn });
  }

  /** One key per region; the services that write with it are named in its policy. */
  private createKey(): kms.Key {
    const key = new kms.Key(this, 'Key', {
      description: 'KALDRIX validators: secrets, data volumes, log groups, alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` } },
    }));
    // CloudWatch alarms publish to the encrypted topic (SNS asks for a data key on their behalf).
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    return key;
  }

  private certificateFor(arn: string | undefined, endpointName: string | undefined, zone: route53.IHostedZone | undefined): elbv2.IListenerCertificate | undefined {
    if (arn !== undefined) return elbv2.ListenerCertificate.fromArn(arn);
    if (endpointName === undefined || zone === undefined) return undefined;
    const certificate = new acm.Certificate(this, 'EndpointCertificate', { domainName: endpointName, validation: acm.CertificateValidation.fromDns(zone) });
    return elbv2.ListenerCertificate.fromCertificateManager(certificate);
  }

  private createLogBucket(): s3.IBucket {
    // aws-cdk-lib's classes declare optional members that their interfaces declare as required
    // (e.g. Vpc.vpnGatewayId), which `exactOptionalPropertyTypes` rejects; the objects are the same.
    return new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: ACCESS_LOG_RETENTION, noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    }) as s3.IBucket;
  }

  private createLoadBalancer(network: ReturnType<typeof createPeerNetwork>, certificate: elbv2.IListenerCertificate | undefined, logBucket: s3.IBucket): elbv2.NetworkLoadBalancer {
    const nlb = new elbv2.NetworkLoadBalancer(this, 'Nlb', {
      vpc: network.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [network.nlbSecurityGroup],
      crossZoneEnabled: true,
    });
    nlb.logAccessLogs(logBucket, 'nlb');
    const targetGroup = new elbv2.NetworkTargetGroup(this, 'WebSocketTargets', {
      vpc: network.vpc,
      port: WS_PORT,
      protocol: elbv2.Protocol.TCP,
      targetType: elbv2.TargetType.INSTANCE,
      targets: this.validators.map((v) => new elbv2Targets.InstanceTarget(v.instance, WS_PORT)),
      // Browsers are sent only to peers that are synced and serving (/readyz, DESIGN §3).
      healthCheck: { protocol: elbv2.Protocol.HTTP, port: String(API_PORT), path: '/readyz', interval: Duration.seconds(10), healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
      deregistrationDelay: Duration.seconds(30),
    });
    if (certificate === undefined) {
      nlb.addListener('WebSocket', { port: WS_PORT, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [targetGroup] });
    } else {
      nlb.addListener('SecureWebSocket', {
        port: TLS_PORT, protocol: elbv2.Protocol.TLS, certificates: [certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultTargetGroups: [targetGroup],
      });
    }
    return nlb;
  }

  private addRecords(zone: route53.IHostedZone, endpointName: string): void {
    new route53.ARecord(this, 'EndpointAlias', { zone, recordName: endpointName, target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)) });
    // One name per validator for its p2p multiaddr: /dns4/<region>-<i>.<endpoint>/tcp/7000.
    this.validators.forEach((v, index) => {
      new route53.ARecord(this, `Validator${index}Record`, {
        zone, recordName: `${this.region}-${index}.${endpointName}`, target: route53.RecordTarget.fromIpAddresses(v.elasticIp.attrPublicIp),
      });
    });
  }

  private acknowledgeFindings(peerSg: ec2.SecurityGroup, nlbSg: ec2.SecurityGroup, logBucket: s3.IBucket): void {
    acknowledge(peerSg, 'AwsSolutions-EC23', 'The libp2p port 7000 must accept any peer on the internet: validators dial each other across regions');
    acknowledge(nlbSg, 'AwsSolutions-EC23', 'The WSS endpoint serves browsers anywhere; the NLB forwards only to port 7001 of the validators');
    acknowledge(logBucket, 'AwsSolutions-S1', 'This is the access-log bucket itself; logging it into itself would loop');
  }
}
