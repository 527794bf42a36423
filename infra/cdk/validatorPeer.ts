/**
 * One validator: an EC2 instance of its own, its data volume, its Elastic IP, its key secret,
 * its IAM role and its alarms.
 *
 * The instance is disposable; what makes the validator (key, data, address) is not:
 * - the gp3 data volume is a separate resource (snapshot on delete) that the instance attaches
 *   at boot, so it survives instance replacement (see peerUserData.ts for the ordering);
 * - the Elastic IP is retained, so the validator's multiaddr never changes;
 * - the key lives in Secrets Manager under the region's customer-managed KMS key, readable by
 *   this validator's role only; the stack creates a placeholder and the operator uploads the
 *   real key file (docs/deploy.md).
 * Access is through SSM Session Manager: no key pair, no port 22. IMDSv2 is required and its
 * hop limit stays 1, so the container cannot reach instance credentials.
 */
import { CfnOutput, Duration, RemovalPolicy, Size, Stack, Tags, type CfnElement } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from './_nag.ts';
import { METRICS_NAMESPACE } from './cloudwatchAgentConfig.ts';
import { PeerAlarms } from './peerAlarms.ts';
import { peerUserData, PLACEHOLDER_MARKER } from './peerUserData.ts';

/** Root volume: the OS, docker images and logs; the chain's data lives on the data volume. */
const ROOT_VOLUME_GIB = 30;

export type ValidatorPeerProps = {
  readonly validatorName: string;
  readonly vpc: ec2.IVpc;
  readonly subnet: ec2.ISubnet;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly instanceType: ec2.InstanceType;
  readonly dataVolumeGiB: number;
  readonly key: kms.IKey;
  readonly configBucket: s3.IBucket;
  readonly image: string;
  readonly grantImagePull: (grantee: iam.IGrantable) => void;
  readonly peerLogGroup: logs.ILogGroup;
  readonly metricsLogGroup: logs.ILogGroup;
  readonly topic: sns.ITopic;
  readonly minPeers: number;
};

export class ValidatorPeer extends Construct {
  readonly instance: ec2.Instance;
  readonly secret: secretsmanager.Secret;
  readonly dataVolume: ec2.Volume;
  readonly elasticIp: ec2.CfnEIP;
  readonly alarms: PeerAlarms;

  constructor(scope: Construct, id: string, props: ValidatorPeerProps) {
    super(scope, id);
    const region = props.vpc.stack.region;
    this.secret = new secretsmanager.Secret(this, 'ValidatorKey', {
      description: `KALDRIX validator key file of ${props.validatorName} (placeholder until the operator uploads the real one)`,
      encryptionKey: props.key,
      // A recognisable placeholder: the boot script refuses to start the peer while it is there.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ [PLACEHOLDER_MARKER]: 'upload the validator key file, see docs/deploy.md' }),
        generateStringKey: 'nonce',
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.dataVolume = new ec2.Volume(this, 'Data', {
      availabilityZone: props.subnet.availabilityZone,
      size: Size.gibibytes(props.dataVolumeGiB),
      volumeType: ec2.EbsDeviceVolumeType.GP3,
      encrypted: true,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });

    const role = this.createRole(props);
    const userData = ec2.UserData.forLinux();
    userData.addCommands(...peerUserData({
      region,
      validatorName: props.validatorName,
      volumeId: this.dataVolume.volumeId,
      secretArn: this.secret.secretArn,
      configBucketName: props.configBucket.bucketName,
      image: props.image,
      peerLogGroupName: props.peerLogGroup.logGroupName,
      metricsLogGroupName: props.metricsLogGroup.logGroupName,
    }));
    this.instance = new ec2.Instance(this, 'Instance', {
      vpc: props.vpc,
      vpcSubnets: { subnets: [props.subnet] },
      securityGroup: props.securityGroup,
      instanceType: props.instanceType,
      machineImage: ec2.MachineImage.latestAmazonLinux2023({
        cpuType: props.instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
      }),
      role,
      userData,
      // User data runs only at first boot: a change must roll out as a new instance.
      userDataCausesReplacement: true,
      requireImdsv2: true,
      detailedMonitoring: true,
      disableApiTermination: true,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, { encrypted: true, kmsKey: props.key, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
      }],
    });
    Tags.of(this.instance).add('kaldrix:validator', props.validatorName);
    this.dataVolume.grantAttachVolumeByResourceTag(role, [this.instance]);

    this.elasticIp = new ec2.CfnEIP(this, 'Address', { domain: 'vpc', tags: [{ key: 'Name', value: `kaldrix-${props.validatorName}` }] });
    this.elasticIp.applyRemovalPolicy(RemovalPolicy.RETAIN);
    new ec2.CfnEIPAssociation(this, 'AddressAssociation', { allocationId: this.elasticIp.attrAllocationId, instanceId: this.instance.instanceId });

    this.alarms = new PeerAlarms(this, 'Alarms', {
      validatorName: props.validatorName, instanceId: this.instance.instanceId, minPeers: props.minPeers, topic: props.topic,
    });
    this.acknowledgeFindings(role, props.configBucket);

    new CfnOutput(this, 'PublicIp', { value: this.elasticIp.attrPublicIp, description: `${props.validatorName}: p2p /ip4/<this>/tcp/7000` });
    new CfnOutput(this, 'KeySecretArn', { value: this.secret.secretArn, description: `${props.validatorName}: upload the key file here` });
    new CfnOutput(this, 'InstanceId', { value: this.instance.instanceId });
  }

  private createRole(props: ValidatorPeerProps): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `KALDRIX validator ${props.validatorName}: its own key, its volume, config, logs, metrics, SSM`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
      maxSessionDuration: Duration.hours(1),
    });
    this.secret.grantRead(role);
    props.configBucket.grantRead(role, 'network/*');
    props.grantImagePull(role);
    for (const group of [props.peerLogGroup, props.metricsLogGroup]) {
      group.grant(role, 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams');
    }
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
    }));
    return role;
  }

  private acknowledgeFindings(role: iam.Role, configBucket: s3.IBucket): void {
    const stack = Stack.of(this);
    const configBucketId = stack.getLogicalId(configBucket.node.defaultChild as CfnElement);
    acknowledge(this.secret, 'AwsSolutions-SMG4',
      'A validator key cannot be rotated by a Secrets Manager Lambda: rotation is an on-chain rotate-key transaction signed by the old key (DESIGN §2), then the operator uploads the new key file');
    acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      'Session Manager replaces SSH (no key pair, no port 22); this AWS-managed policy is the documented minimum for the SSM agent');
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error('validator role has no default policy');
    acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:PutMetricData has no resource-level permissions; it is limited by condition to the KALDRIX namespace (and ecr:GetAuthorizationToken is account-wide by design)');
    acknowledge(policy, `AwsSolutions-IAM5[Resource::<${configBucketId}.Arn>/network/*]`,
      'Read-only access to the network files (kaldrix.toml, genesis, bootstrap list) under the network/ prefix of the config bucket');
    acknowledge(policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:${stack.region}:<AWS::AccountId>:instance/*]`,
      'ec2:AttachVolume of this validator\'s own volume, to an instance carrying its unique resource tag (condition); instance ids change on replacement');
    for (const finding of ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*']) {
      acknowledge(policy, `AwsSolutions-IAM5[${finding}]`, 'CDK read grants on the network-config prefix and the region key; read-only, scoped to those resources');
    }
  }
}
