import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, unacknowledged, type Synthesized } from './_testSynth.ts';
import { PLACEHOLDER_MARKER } from './peerUserData.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

describe('PeersStack (eu-west-1, 2 validators, certificate ARN given)', () => {
  let built: Synthesized;
  let template: Template;
  let json: string;
  beforeAll(() => {
    built = synthesize({
      peersPerRegion: '{"eu-west-1":2}', minPeers: '1',
      peerCertificateArns: { 'eu-west-1': 'arn:aws:acm:eu-west-1:111122223333:certificate/0b9c1a2e-0000-4000-8000-000000000001' },
    });
    const stack = built.peers[0];
    if (stack === undefined) throw new Error('no peers stack');
    template = Template.fromStack(stack);
    json = JSON.stringify(template.toJSON());
  });
  afterAll(() => built.cleanup());

  it('synthesizes with no unacknowledged cdk-nag finding', () => {
    expect(built.peers.map((p) => p.stackName)).toEqual(['Kaldrix-Peers-eu-west-1']);
    expect(unacknowledged(built.report)).toEqual([]);
  });

  it('runs one instance per validator with IMDSv2 required, detailed monitoring, encrypted root, no key pair', () => {
    template.resourceCountIs('AWS::EC2::Instance', 2);
    for (const instance of Object.values(template.findResources('AWS::EC2::Instance')) as Resource[]) {
      expect(instance.Properties['Monitoring']).toBe(true);
      expect(instance.Properties['KeyName']).toBeUndefined();
      expect(instance.Properties['DisableApiTermination']).toBe(true);
      expect(instance.Properties['BlockDeviceMappings'][0].Ebs).toMatchObject({ Encrypted: true, VolumeType: 'gp3' });
    }
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpTokens: 'required' }) }),
    });
  });

  it('gives each validator an encrypted gp3 data volume kept as a snapshot on delete, and a retained EIP', () => {
    const volumes = Object.values(template.findResources('AWS::EC2::Volume')) as Resource[];
    expect(volumes.length).toBe(2);
    for (const v of volumes) {
      expect(v.Properties).toMatchObject({ Encrypted: true, VolumeType: 'gp3', Size: 100 });
      expect(v.Properties['KmsKeyId']).toBeDefined();
      expect(v.DeletionPolicy).toBe('Snapshot');
    }
    // The instance attaches its volume itself (no CloudFormation attachment that would race on replacement).
    template.resourceCountIs('AWS::EC2::VolumeAttachment', 0);
    const eips = Object.values(template.findResources('AWS::EC2::EIP')) as Resource[];
    expect(eips.length).toBe(2);
    for (const e of eips) expect(e.DeletionPolicy).toBe('Retain');
  });

  it('keeps validator keys in CMK-encrypted secrets with a placeholder value, never in user data', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')) as Resource[];
    expect(secrets.length).toBe(2);
    for (const s of secrets) {
      expect(s.Properties['SecretString']).toBeUndefined();
      expect(s.Properties['KmsKeyId']['Fn::GetAtt'][0]).toMatch(/^Key/);
      expect(s.Properties['GenerateSecretString'].SecretStringTemplate).toContain(PLACEHOLDER_MARKER);
    }
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const userData = JSON.stringify(Object.values(template.findResources('AWS::EC2::Instance')).map((i: any) => i.Properties.UserData));
    expect(userData).toContain('secretsmanager get-secret-value');
    expect(userData).not.toMatch(/resolve:secretsmanager|SecretString"|PRIVATE KEY|secretKey/);
    // No secret value anywhere in the template: only references to the secrets.
    expect(json).not.toContain('{{resolve:secretsmanager');
  });

  it('opens p2p to the world, WebSocket to the NLB only, the API to the VPC only, and no SSH', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
    const inline = Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap((r: any) => r.Properties.SecurityGroupIngress ?? []);
    const rules = [...ingress, ...inline];
    expect(rules.some((r) => r.FromPort === 22 || r.IpProtocol === '-1')).toBe(false);
    expect(rules).toContainEqual(expect.objectContaining({ FromPort: 7000, ToPort: 7000, CidrIp: '0.0.0.0/0' }));
    expect(rules).toContainEqual(expect.objectContaining({ FromPort: 443, CidrIp: '0.0.0.0/0' }));
    const ws = rules.filter((r) => r.FromPort === 7001);
    expect(ws.length).toBe(1);
    expect(ws[0].SourceSecurityGroupId).toBeDefined();
    const api = rules.filter((r) => r.FromPort === 8080);
    expect(api.every((r) => r.CidrIp === undefined || r.CidrIp !== '0.0.0.0/0')).toBe(true);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL' });
  });

  it('terminates WSS on a TLS 443 listener forwarding to port 7001, health-checked on /readyz', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443, Protocol: 'TLS', Certificates: [{ CertificateArn: Match.stringLikeRegexp('^arn:aws:acm:eu-west-1:') }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 7001, Protocol: 'TCP', HealthCheckPath: '/readyz', HealthCheckPort: '8080',
    });
  });

  it('keeps logs 30 days under the KMS key, and alarms go to a KMS-encrypted SSL-only topic', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    expect(groups.length).toBe(3);
    for (const g of groups) {
      expect(g.Properties['RetentionInDays']).toBe(30);
      expect(g.Properties['KmsKeyId']).toBeDefined();
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('alarms on no commits for a minute (missing data breaching) per validator', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'kaldrix_commits_total' },
    })) as Resource[];
    expect(alarms.length).toBe(2);
    for (const a of alarms) {
      expect(a.Properties).toMatchObject({
        Namespace: 'KALDRIX', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
        ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching',
      });
      expect(a.Properties['Dimensions'][0].Name).toBe('Validator');
      expect(a.Properties['AlarmActions'].length).toBeGreaterThan(0);
    }
    expect(alarms.map((a) => a.Properties['Dimensions'][0].Value).sort()).toEqual(['eu-west-1-0', 'eu-west-1-1']);
  });

  it('alarms on peers below minPeers and on failed status checks (with EC2 recovery)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'kaldrix_peers', Statistic: 'Minimum', Threshold: 1, ComparisonOperator: 'LessThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/EC2', MetricName: 'StatusCheckFailed', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'StatusCheckFailed_System',
      AlarmActions: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':automate:eu-west-1:ec2:recover']] }]),
    });
  });
});

describe('PeersStack without a certificate', () => {
  it('falls back to a plain TCP listener on 7001 (no TLS) and says so in its output', () => {
    const built = synthesize({ peersPerRegion: { 'us-west-2': 2 }, minPeers: 1, deployDist: false });
    const stack = built.peers[0];
    if (stack === undefined) throw new Error('no peers stack');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 7001, Protocol: 'TCP' });
    const outputs = template.findOutputs('BrowserEndpoint');
    expect(JSON.stringify(outputs)).toContain('ws://');
    expect(unacknowledged(built.report)).toEqual([]);
    built.cleanup();
  });
});
