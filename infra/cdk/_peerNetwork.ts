/**
 * The region's network for validators: a two-AZ VPC with public subnets only, and the security
 * groups that keep it tight.
 *
 * Public subnets, no NAT: a validator must be reachable on its p2p port anyway (it has an
 * Elastic IP), and a NAT gateway would add about $33/month per AZ for nothing. The safety comes
 * from the security groups instead:
 * - p2p TCP 7000 from anywhere (validators and full nodes dial each other across regions);
 * - WebSocket 7001 only from the NLB (browsers reach it through TLS on the NLB);
 * - the HTTP API / metrics 8080 only from inside the VPC (NLB health checks, a Prometheus);
 * - no SSH at all (Session Manager instead); outbound only HTTPS (AWS APIs, image registry,
 *   OS packages) and p2p TCP 7000.
 * Availability zones are named from the region (or given), never looked up, so synthesis
 * needs no AWS access.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export const P2P_PORT = 7000;
export const WS_PORT = 7001;
export const API_PORT = 8080;
const VPC_CIDR = '10.70.0.0/16';

export type PeerNetwork = {
  readonly vpc: ec2.IVpc;
  readonly peerSecurityGroup: ec2.SecurityGroup;
  readonly nlbSecurityGroup: ec2.SecurityGroup;
};

export function createPeerNetwork(scope: Construct, region: string, key: kms.IKey, retention: logs.RetentionDays, nlbListenerPort: number): PeerNetwork {
  // aws-cdk-lib's classes declare optional members that their interfaces declare as required
  // (e.g. Vpc.vpnGatewayId), which `exactOptionalPropertyTypes` rejects; the objects are the same.
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
    availabilityZones: [`${region}a`, `${region}b`],
    natGateways: 0,
    subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    restrictDefaultSecurityGroup: false,
  }) as ec2.IVpc;
  const flowLogGroup = new logs.LogGroup(scope, 'FlowLogs', { retention, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL });

  const nlbSecurityGroup = new ec2.SecurityGroup(scope, 'NlbSecurityGroup', {
    vpc, description: 'KALDRIX NLB: WSS from browsers in, WebSocket and health checks to validators out', allowAllOutbound: false,
  });
  const peerSecurityGroup = new ec2.SecurityGroup(scope, 'PeerSecurityGroup', {
    vpc, description: 'KALDRIX validators: p2p from anywhere, WebSocket from the NLB, API from the VPC', allowAllOutbound: false,
  });
  nlbSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(nlbListenerPort), 'browsers to the WSS endpoint');
  nlbSecurityGroup.addEgressRule(peerSecurityGroup, ec2.Port.tcp(WS_PORT), 'WebSocket to validators');
  nlbSecurityGroup.addEgressRule(peerSecurityGroup, ec2.Port.tcp(API_PORT), 'health checks on /readyz');
  peerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(P2P_PORT), 'libp2p TCP from other peers');
  peerSecurityGroup.addIngressRule(nlbSecurityGroup, ec2.Port.tcp(WS_PORT), 'WebSocket from the NLB only');
  peerSecurityGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(API_PORT), 'HTTP API and /metrics from inside the VPC');
  peerSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'AWS APIs, image registry, OS packages');
  peerSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(P2P_PORT), 'libp2p TCP to other peers');
  return { vpc, peerSecurityGroup, nlbSecurityGroup };
}
