/**
 * Builds the whole CDK app (hosting + one peers stack per region) from validated settings,
 * with cdk-nag attached. `app.ts` runs it for the CLI; the tests run it in-process.
 *
 * Stacks are account-agnostic unless an account is given (context `account`, or the CDK CLI's
 * CDK_DEFAULT_ACCOUNT); regions are always explicit, because CloudFront's certificate and
 * WAF must be in us-east-1 and each peers stack is a region.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { err, ok, type Result } from '../../core/result.ts';
import { addNagChecks } from './_nag.ts';
import { HOSTING_REGION, readInfraConfig, type ConfigReject, type InfraConfig } from './config.ts';
import { contentSecurityPolicy, peerHostsOf } from './contentSecurityPolicy.ts';
import { HostingStack } from './hostingStack.ts';
import { PeersStack } from './peersStack.ts';

export type BuildAppInit = {
  /** Where the cloud assembly goes. */
  readonly outdir: string;
  /** Context values (as cdk.json / `-c` would give them). */
  readonly context: Readonly<Record<string, unknown>>;
  /** The built web app; uploaded only if it has an index.html and `deployDist` is not false. */
  readonly distDir: string;
  /** Default image tag of the peer (the package version). */
  readonly peerImageTag: string;
  /** Account from the environment (CDK_DEFAULT_ACCOUNT) when context has none. */
  readonly defaultAccount?: string | undefined;
};

export type BuiltApp = {
  readonly app: App;
  readonly config: InfraConfig;
  readonly hosting: HostingStack;
  readonly peers: readonly PeersStack[];
};

/**
 * CDK feature flags this app relies on. Server access logs are granted by bucket policy (the
 * recommended way) instead of the legacy LogDeliveryWrite ACL, so log buckets can keep ACLs off.
 */
const FEATURE_FLAGS = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export const HOSTING_STACK_ID = 'Kaldrix-Hosting';
export const peersStackId = (region: string): string => `Kaldrix-Peers-${region}`;

export function buildApp(init: BuildAppInit): Result<BuiltApp, ConfigReject> {
  const app = new App({ outdir: init.outdir, context: { ...FEATURE_FLAGS, ...init.context } });
  const read = readInfraConfig((key) => app.node.tryGetContext(key) as unknown, { peerImageTag: init.peerImageTag });
  if (!read.ok) return read;
  const config = read.value;
  const validatorCount = Object.values(config.peersPerRegion).reduce((a, b) => a + b, 0);
  if (validatorCount > 0 && config.minPeers > validatorCount - 1) {
    return err({ code: 'bad-context', key: 'minPeers', expected: `at most ${validatorCount - 1}: each validator can see only the other ${validatorCount - 1}` });
  }
  const account = config.account ?? init.defaultAccount;
  const envFor = (region: string): Environment => (account === undefined ? { region } : { account, region });

  const deployDist = config.deployDist && existsSync(join(init.distDir, 'index.html'));
  const hosting = new HostingStack(app, HOSTING_STACK_ID, {
    env: envFor(HOSTING_REGION),
    description: 'KALDRIX web app: private S3 bucket behind CloudFront',
    contentSecurityPolicy: contentSecurityPolicy(peerHostsOf(config)),
    domainName: config.domainName,
    hostedZone: config.hostedZone,
    waf: config.waf,
    distDir: deployDist ? init.distDir : undefined,
  });
  const peers = Object.entries(config.peersPerRegion)
    .filter(([, count]) => count > 0)
    .map(([region, count]) => new PeersStack(app, peersStackId(region), {
      env: envFor(region),
      description: `KALDRIX validators in ${region}`,
      region,
      peerCount: count,
      instanceType: config.instanceType,
      dataVolumeGiB: config.dataVolumeGiB,
      minPeers: config.minPeers,
      alarmEmail: config.alarmEmail,
      certificateArn: config.peerCertificateArns[region],
      peersDomain: config.peersDomainName === undefined || config.hostedZone === undefined ? undefined : { name: config.peersDomainName, zone: config.hostedZone },
      peerImage: config.peerImage,
      peerImageTag: config.peerImageTag,
    }));
  addNagChecks(app);
  return ok({ app, config, hosting, peers });
}
