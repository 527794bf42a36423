/**
 * The boot script of a validator instance (Amazon Linux 2023), as user-data lines.
 *
 * First boot only (cloud-init runs user data once): install docker, the CloudWatch agent and the
 * ECR credential helper; attach the validator's own data volume and mount it; write the
 * systemd units and start them. On every start of `kaldrix.service` (reboots included),
 * `kaldrix-prepare` fetches the validator key from Secrets Manager into tmpfs, syncs the network
 * files (kaldrix.toml, genesis, bootstrap list) from the region's config bucket, and only then
 * the container runs.
 *
 * Why the instance attaches its volume itself, in a retry loop, instead of a CloudFormation
 * VolumeAttachment: on instance replacement CloudFormation starts the new instance before it
 * terminates the old one, so the volume is still busy. Waiting for the volume makes it a lock:
 * the new instance cannot run the validator (and sign with its key) until the old one is gone,
 * so two instances never sign as the same validator (equivocation by replacement).
 *
 * Secrets never appear here: the script holds the secret's ARN only; the value is read at boot
 * by the instance role and written to /run (tmpfs, mode 0400), never to disk, image or logs.
 */
import { agentPrometheusConfig, AGENT_DIR, cloudwatchAgentConfig, PEER_LOG_FILE, PROMETHEUS_CONFIG_PATH } from './cloudwatchAgentConfig.ts';

/** The image's non-root user (infra/docker/Dockerfile). */
export const PEER_UID = 10001;
export const DATA_MOUNT = '/var/lib/kaldrix';
export const KEY_FILE = '/run/kaldrix/validator.key';
/** Marker in the placeholder secret: the peer must not start until the operator uploads a key. */
export const PLACEHOLDER_MARKER = 'kaldrix_placeholder';
/** The device name requested for the data volume (NVMe instances expose it by volume id). */
export const DATA_DEVICE_NAME = '/dev/sdf';
/** Seconds systemd waits between attempts while the key or network files are missing. */
const RETRY_SECONDS = 30;
/** Seconds the peer gets to stop cleanly on SIGTERM before docker kills it. */
const STOP_GRACE_SECONDS = 30;

export type PeerBootInput = {
  readonly region: string;
  readonly validatorName: string;
  /** CDK tokens allowed for the next four: they resolve at deploy time. */
  readonly volumeId: string;
  readonly secretArn: string;
  readonly configBucketName: string;
  readonly image: string;
  readonly peerLogGroupName: string;
  readonly metricsLogGroupName: string;
};

export function peerUserData(input: PeerBootInput): string[] {
  const agentConfig = cloudwatchAgentConfig(input);
  return [
    'set -euo pipefail',
    `REGION='${input.region}'`,
    `VOLUME_ID='${input.volumeId}'`,
    'dnf install -y docker amazon-cloudwatch-agent amazon-ecr-credential-helper',
    ...writeFile('/etc/kaldrix/boot.env', [
      `REGION='${input.region}'`,
      `VALIDATOR='${input.validatorName}'`,
      `SECRET_ARN='${input.secretArn}'`,
      `CONFIG_BUCKET='${input.configBucketName}'`,
      `IMAGE='${input.image}'`,
    ]),
    ...attachDataVolume(),
    ...writeFile(`${AGENT_DIR}/kaldrix.json`, [JSON.stringify(agentConfig, null, 2)]),
    ...writeFile(PROMETHEUS_CONFIG_PATH, [JSON.stringify(agentPrometheusConfig(input), null, 2)]),
    `install -d -m 0755 ${PEER_LOG_FILE.replace(/\/[^/]+$/, '')}`,
    ...writeFile('/etc/logrotate.d/kaldrix', [`${PEER_LOG_FILE} {`, '  daily', '  rotate 3', '  compress', '  missingok', '  copytruncate', '}']),
    ...writeFile('/usr/local/libexec/kaldrix-prepare', prepareScript(), '0700'),
    ...writeFile('/usr/local/libexec/kaldrix-run', runScript(), '0700'),
    ...writeFile('/etc/systemd/system/kaldrix.service', serviceUnit()),
    'systemctl daemon-reload',
    'systemctl enable --now docker',
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_DIR}/kaldrix.json`,
    'systemctl enable --now kaldrix.service',
  ];
}

/** A heredoc that writes `lines` to `path` verbatim (quoted delimiter: no shell expansion). */
function writeFile(path: string, lines: readonly string[], mode = '0644'): string[] {
  return [`install -d -m 0755 "$(dirname '${path}')"`, `cat > '${path}' <<'KALDRIX_EOF'`, ...lines, 'KALDRIX_EOF', `chmod ${mode} '${path}'`];
}

function attachDataVolume(): string[] {
  return [
    'IMDS_TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")',
    'INSTANCE_ID=$(curl -sS -H "X-aws-ec2-metadata-token: $IMDS_TOKEN" http://169.254.169.254/latest/meta-data/instance-id)',
    '# The volume stays busy until a replaced instance has terminated: wait for it (see peerUserData.ts).',
    `until aws ec2 attach-volume --region "$REGION" --volume-id "$VOLUME_ID" --instance-id "$INSTANCE_ID" --device ${DATA_DEVICE_NAME}; do sleep 15; done`,
    'DEVICE="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${VOLUME_ID/-/}"',
    'until [ -e "$DEVICE" ]; do sleep 2; done',
    '# A new volume is blank: make a file system once; an existing one keeps its data.',
    'blkid "$DEVICE" || mkfs.xfs -L kaldrix-data "$DEVICE"',
    `install -d -m 0750 ${DATA_MOUNT}`,
    `echo "UUID=$(blkid -s UUID -o value "$DEVICE") ${DATA_MOUNT} xfs defaults,noatime,nofail 0 2" >> /etc/fstab`,
    'systemctl daemon-reload',
    `mount ${DATA_MOUNT}`,
    `chown ${PEER_UID}:${PEER_UID} ${DATA_MOUNT}`,
  ];
}

/** Runs as root before each start: key into tmpfs, network files from S3, registry login. */
function prepareScript(): string[] {
  return [
    '#!/bin/bash',
    '# Fetches what the peer needs at each start; exits non-zero (systemd retries) until all is there.',
    'set -euo pipefail',
    '. /etc/kaldrix/boot.env',
    `install -d -m 0700 -o ${PEER_UID} -g ${PEER_UID} /run/kaldrix`,
    'umask 077',
    'aws secretsmanager get-secret-value --region "$REGION" --secret-id "$SECRET_ARN" --query SecretString --output text > /run/kaldrix/validator.key.new',
    `if grep -q ${PLACEHOLDER_MARKER} /run/kaldrix/validator.key.new; then`,
    '  rm -f /run/kaldrix/validator.key.new',
    '  echo "kaldrix: the validator key is not uploaded yet (docs/deploy.md, step 5); retrying" >&2',
    '  exit 1',
    'fi',
    `chown ${PEER_UID}:${PEER_UID} /run/kaldrix/validator.key.new`,
    'chmod 0400 /run/kaldrix/validator.key.new',
    `mv /run/kaldrix/validator.key.new ${KEY_FILE}`,
    'aws s3 sync --region "$REGION" --only-show-errors "s3://$CONFIG_BUCKET/network/" /etc/kaldrix/network/',
    'test -s /etc/kaldrix/network/kaldrix.toml || { echo "kaldrix: s3://$CONFIG_BUCKET/network/kaldrix.toml is missing; retrying" >&2; exit 1; }',
    'REGISTRY="${IMAGE%%/*}"',
    'install -d -m 0700 /root/.docker',
    'printf \'{"credHelpers":{"%s":"ecr-login"}}\\n\' "$REGISTRY" > /root/.docker/config.json',
    'docker pull --quiet "$IMAGE"',
  ];
}

/** Runs the container in the foreground so systemd supervises it and collects its output. */
function runScript(): string[] {
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    '. /etc/kaldrix/boot.env',
    'BOOTSTRAP=()',
    'if [ -f /etc/kaldrix/network/bootstrap.txt ]; then',
    '  while read -r addr; do',
    '    case "$addr" in \'\'|\'#\'*) ;; *) BOOTSTRAP+=(--bootstrap "$addr") ;; esac',
    '  done < /etc/kaldrix/network/bootstrap.txt',
    'fi',
    'docker rm -f kaldrix >/dev/null 2>&1 || true',
    [
      'exec docker run --rm --name kaldrix --init',
      '--read-only --tmpfs /tmp:rw,noexec,nosuid,size=64m',
      `--user ${PEER_UID}:${PEER_UID} --cap-drop ALL --security-opt no-new-privileges:true`,
      `--stop-timeout ${STOP_GRACE_SECONDS}`,
      '-p 7000:7000 -p 7001:7001 -p 8080:8080',
      `-v ${DATA_MOUNT}:/data -v /etc/kaldrix/network:/etc/kaldrix:ro -v ${KEY_FILE}:${KEY_FILE}:ro`,
      '--log-driver json-file --log-opt max-size=50m --log-opt max-file=2',
      '"$IMAGE"',
      '--listen /ip4/0.0.0.0/tcp/7000 --listen /ip4/0.0.0.0/tcp/7001/ws',
      `--data /data --config /etc/kaldrix/kaldrix.toml --validator-key ${KEY_FILE}`,
      '"${BOOTSTRAP[@]}"',
    ].join(' '),
  ];
}

function serviceUnit(): string[] {
  return [
    '[Unit]',
    'Description=KALDRIX validator peer',
    'After=docker.service network-online.target',
    'Requires=docker.service',
    'Wants=network-online.target',
    // Never run a validator without its own data (restart safety: no amnesia, DESIGN §2).
    `RequiresMountsFor=${DATA_MOUNT}`,
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'ExecStartPre=/usr/local/libexec/kaldrix-prepare',
    'ExecStart=/usr/local/libexec/kaldrix-run',
    `ExecStop=/usr/bin/docker stop --time ${STOP_GRACE_SECONDS} kaldrix`,
    `TimeoutStopSec=${STOP_GRACE_SECONDS + 15}`,
    'TimeoutStartSec=15min',
    'Restart=always',
    `RestartSec=${RETRY_SECONDS}`,
    `StandardOutput=append:${PEER_LOG_FILE}`,
    `StandardError=append:${PEER_LOG_FILE}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
}
