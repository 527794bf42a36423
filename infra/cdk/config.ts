/**
 * The deployment's settings, read from CDK context and checked before any construct exists.
 *
 * Context arrives either typed (cdk.json, `CDK_CONTEXT_JSON`) or as strings (`cdk -c key=value`
 * passes every value as a string), so each reader accepts both forms. A bad value is operator
 * input, not a bug: it comes back as a typed `ConfigReject` that names the key and says what
 * is expected, and the app prints it instead of a stack trace.
 *
 * Nothing here calls AWS: hosted zones are named by id and name, availability zones are derived
 * from the region (or given), and the account may stay unresolved (account-agnostic stacks).
 */
import { err, ok, type Result } from '../../core/result.ts';
import { fitsCloudFront, peerHostsOf } from './contentSecurityPolicy.ts';

/** The reference deployment's regions and its validator count in each (DESIGN: 70/20/10 traffic). */
export const DEFAULT_PEERS_PER_REGION: Readonly<Record<string, number>> = Object.freeze({
  'us-east-1': 2,
  'us-west-2': 1,
  'eu-west-1': 1,
});

/** Region of the hosting stack: CloudFront's certificates and WAF WebACLs must live there. */
export const HOSTING_REGION = 'us-east-1';

/** Graviton, 2 vCPU / 4 GiB: post-quantum verification is CPU-bound and arm64 costs ~20% less per vCPU. */
export const DEFAULT_INSTANCE_TYPE = 'c7g.large';
/** Room for the DAG store between checkpoints plus headroom; gp3 grows online if needed. */
export const DEFAULT_DATA_VOLUME_GIB = 100;
/** With 4 validators each peer should see the other 3; fewer means a partition is forming. */
export const DEFAULT_MIN_PEERS = 3;
/** Upper bound per region: one EIP each, and the default EIP quota is 5 per region. */
const MAX_PEERS_PER_REGION = 5;

export type InfraConfig = {
  /** 12-digit account id, or undefined for account-agnostic stacks (resolved at deploy time). */
  readonly account: string | undefined;
  /** Validators per region; regions with 0 get no stack. */
  readonly peersPerRegion: Readonly<Record<string, number>>;
  readonly instanceType: string;
  readonly dataVolumeGiB: number;
  readonly minPeers: number;
  /** Where alarm notifications are mailed (an SNS email subscription), if set. */
  readonly alarmEmail: string | undefined;
  /** Custom domain of the hosted app (needs the hosted zone below). */
  readonly domainName: string | undefined;
  readonly hostedZone: { readonly id: string; readonly name: string } | undefined;
  /** Parent name of the peers' WSS endpoints: `<region>.<peersDomainName>` (needs the hosted zone). */
  readonly peersDomainName: string | undefined;
  /** Existing ACM certificates for the peers' NLB TLS listener, by region. */
  readonly peerCertificateArns: Readonly<Record<string, string>>;
  /** Extra host names the app may connect to (CSP connect-src), e.g. community peers. */
  readonly peerDomains: readonly string[];
  readonly waf: boolean;
  readonly deployDist: boolean;
  /** Full image reference for the peer container; default: the regional ECR repository. */
  readonly peerImage: string | undefined;
  readonly peerImageTag: string;
};

export type ConfigReject = {
  readonly code: 'bad-context';
  readonly key: string;
  readonly expected: string;
};

/** Reads one context key; `undefined` when absent. */
export type ContextReader = (key: string) => unknown;

const reject = (key: string, expected: string) => err<ConfigReject>({ code: 'bad-context', key, expected });

/** Reads and validates every setting; the first bad key is reported. */
export function readInfraConfig(context: ContextReader, defaults: { readonly peerImageTag: string }): Result<InfraConfig, ConfigReject> {
  const account = optionalString(context, 'account', /^\d{12}$/, 'a 12-digit AWS account id');
  if (!account.ok) return account;
  const peersPerRegion = readPeersPerRegion(context('peersPerRegion'));
  if (!peersPerRegion.ok) return peersPerRegion;
  const instanceType = optionalString(context, 'instanceType', /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as c7g.large');
  if (!instanceType.ok) return instanceType;
  const dataVolumeGiB = optionalInteger(context, 'dataVolumeGiB', 20, 16_384);
  if (!dataVolumeGiB.ok) return dataVolumeGiB;
  const minPeers = optionalInteger(context, 'minPeers', 1, 1_000);
  if (!minPeers.ok) return minPeers;
  const alarmEmail = optionalString(context, 'alarmEmail', /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an e-mail address');
  if (!alarmEmail.ok) return alarmEmail;
  const names = readNames(context);
  if (!names.ok) return names;
  const peerCertificateArns = readCertificateArns(context('peerCertificateArns'));
  if (!peerCertificateArns.ok) return peerCertificateArns;
  const waf = optionalBoolean(context, 'waf', false);
  if (!waf.ok) return waf;
  const deployDist = optionalBoolean(context, 'deployDist', true);
  if (!deployDist.ok) return deployDist;
  const peerImage = optionalString(context, 'peerImage', /^[a-z0-9][a-z0-9._\-/:@]*$/, 'an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/kaldrix-peer:0.1.0');
  if (!peerImage.ok) return peerImage;
  const peerImageTag = optionalString(context, 'peerImageTag', /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a container image tag');
  if (!peerImageTag.ok) return peerImageTag;
  return ok(Object.freeze({
    account: account.value,
    peersPerRegion: peersPerRegion.value,
    instanceType: instanceType.value ?? DEFAULT_INSTANCE_TYPE,
    dataVolumeGiB: dataVolumeGiB.value ?? DEFAULT_DATA_VOLUME_GIB,
    minPeers: minPeers.value ?? DEFAULT_MIN_PEERS,
    alarmEmail: alarmEmail.value,
    ...names.value,
    peerCertificateArns: peerCertificateArns.value,
    waf: waf.value,
    deployDist: deployDist.value,
    peerImage: peerImage.value,
    peerImageTag: peerImageTag.value ?? defaults.peerImageTag,
  }));
}

type Names = Pick<InfraConfig, 'domainName' | 'hostedZone' | 'peersDomainName' | 'peerDomains'>;

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function readNames(context: ContextReader): Result<Names, ConfigReject> {
  const domainName = optionalString(context, 'domainName', DNS_NAME, 'a lower-case DNS name such as app.example.org');
  if (!domainName.ok) return domainName;
  const zoneId = optionalString(context, 'hostedZoneId', /^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ');
  if (!zoneId.ok) return zoneId;
  const zoneName = optionalString(context, 'hostedZoneName', DNS_NAME, 'the hosted zone\'s DNS name such as example.org');
  if (!zoneName.ok) return zoneName;
  const peersDomainName = optionalString(context, 'peersDomainName', DNS_NAME, 'a DNS name such as peers.example.org');
  if (!peersDomainName.ok) return peersDomainName;
  if ((zoneId.value === undefined) !== (zoneName.value === undefined)) {
    return reject(zoneId.value === undefined ? 'hostedZoneId' : 'hostedZoneName', 'hostedZoneId and hostedZoneName given together');
  }
  const hostedZone = zoneId.value === undefined || zoneName.value === undefined ? undefined : { id: zoneId.value, name: zoneName.value };
  for (const [key, name] of [['domainName', domainName.value], ['peersDomainName', peersDomainName.value]] as const) {
    if (name === undefined) continue;
    if (hostedZone === undefined) return reject('hostedZoneId', `a hosted zone (hostedZoneId and hostedZoneName) for ${key}`);
    if (name !== hostedZone.name && !name.endsWith(`.${hostedZone.name}`)) return reject(key, `a name inside the hosted zone ${hostedZone.name}`);
  }
  const peerDomains = readList(context('peerDomains'));
  if (peerDomains === undefined || !peerDomains.every((d) => /^(\*\.)?[a-z0-9.-]+$/.test(d) && DNS_NAME.test(d.replace(/^\*\./, '')))) {
    return reject('peerDomains', 'a list of DNS names (a leading *. is allowed), as a JSON array or comma-separated');
  }
  if (!fitsCloudFront(peerHostsOf({ peersDomainName: peersDomainName.value, peerDomains }))) {
    return reject('peerDomains', 'fewer names: the Content-Security-Policy must fit CloudFront\'s 1783-character limit');
  }
  return ok({ domainName: domainName.value, hostedZone, peersDomainName: peersDomainName.value, peerDomains: Object.freeze(peerDomains) });
}

function readPeersPerRegion(raw: unknown): Result<Readonly<Record<string, number>>, ConfigReject> {
  if (raw === undefined) return ok(DEFAULT_PEERS_PER_REGION);
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  const expected = `an object of region to validator count (0..${MAX_PEERS_PER_REGION}), e.g. {"us-east-1":2}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('peersPerRegion', expected);
  const out: Record<string, number> = {};
  for (const [region, count] of Object.entries(value)) {
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) return reject('peersPerRegion', `${expected}; "${region.slice(0, 20)}" is not a region`);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_PEERS_PER_REGION) return reject('peersPerRegion', expected);
    out[region] = count;
  }
  return ok(Object.freeze(out));
}

function readCertificateArns(raw: unknown): Result<Readonly<Record<string, string>>, ConfigReject> {
  if (raw === undefined) return ok(Object.freeze({}));
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  const expected = 'an object of region to ACM certificate ARN in that region';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('peerCertificateArns', expected);
  const out: Record<string, string> = {};
  for (const [region, arn] of Object.entries(value)) {
    if (typeof arn !== 'string' || !arn.startsWith(`arn:aws:acm:${region}:`)) return reject('peerCertificateArns', expected);
    out[region] = arn;
  }
  return ok(Object.freeze(out));
}

/** A list from a JSON array, a comma-separated string, or absent (empty); undefined when malformed. */
function readList(raw: unknown): string[] | undefined {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.every((x) => typeof x === 'string') ? (raw as string[]) : undefined;
  if (typeof raw !== 'string') return undefined;
  if (raw.trim().startsWith('[')) return readList(parseJson(raw) ?? 0);
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function optionalString(context: ContextReader, key: string, pattern: RegExp, expected: string): Result<string | undefined, ConfigReject> {
  const raw = context(key);
  if (raw === undefined || raw === '') return ok(undefined);
  if (typeof raw !== 'string' || !pattern.test(raw)) return reject(key, expected);
  return ok(raw);
}

function optionalInteger(context: ContextReader, key: string, min: number, max: number): Result<number | undefined, ConfigReject> {
  const raw = context(key);
  if (raw === undefined) return ok(undefined);
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) return reject(key, `an integer from ${min} to ${max}`);
  return ok(value);
}

function optionalBoolean(context: ContextReader, key: string, fallback: boolean): Result<boolean, ConfigReject> {
  const raw = context(key);
  if (raw === undefined) return ok(fallback);
  if (raw === true || raw === 'true') return ok(true);
  if (raw === false || raw === 'false') return ok(false);
  return reject(key, 'true or false');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One line for the operator: which key is wrong and what it should be. */
export function formatConfigReject(r: ConfigReject): string {
  return `bad context value for "${r.key}": expected ${r.expected}`;
}
