import { describe, expect, it } from 'vitest';
import { agentPrometheusConfig, cloudwatchAgentConfig, PUBLISHED_METRICS } from './cloudwatchAgentConfig.ts';
import { peerUserData, PLACEHOLDER_MARKER } from './peerUserData.ts';

const input = {
  region: 'eu-west-1', validatorName: 'eu-west-1-0', volumeId: 'vol-0123456789abcdef0',
  secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:kaldrix-AbCdEf', configBucketName: 'kaldrix-config',
  image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/kaldrix-peer:0.1.0', peerLogGroupName: '/kaldrix/peer', metricsLogGroupName: '/kaldrix/metrics',
};

describe('peerUserData', () => {
  const script = peerUserData(input).join('\n');

  it('starts the peer with the documented flags, non-root, read-only, with its key from tmpfs', () => {
    expect(script).toContain('--listen /ip4/0.0.0.0/tcp/7000 --listen /ip4/0.0.0.0/tcp/7001/ws');
    expect(script).toContain('--data /data --config /etc/kaldrix/kaldrix.toml --validator-key /run/kaldrix/validator.key');
    expect(script).toContain('--read-only --tmpfs /tmp');
    expect(script).toContain('--user 10001:10001 --cap-drop ALL');
  });

  it('holds the secret ARN only, and refuses to start on the placeholder', () => {
    expect(script).toContain(`SECRET_ARN='${input.secretArn}'`);
    expect(script).toContain(`grep -q ${PLACEHOLDER_MARKER}`);
    expect(script).toMatch(/chmod 0400 \/run\/kaldrix\/validator\.key\.new/);
    expect(script).not.toMatch(/SecretString"|PRIVATE KEY/);
  });

  it('attaches its own data volume in a retry loop and never runs without the mount', () => {
    expect(script).toContain('until aws ec2 attach-volume');
    expect(script).toContain('RequiresMountsFor=/var/lib/kaldrix');
    expect(script).toContain('blkid "$DEVICE" || mkfs.xfs');
  });

  it('closes every heredoc it opens', () => {
    const opened = script.split('\n').filter((l) => l.endsWith("<<'KALDRIX_EOF'")).length;
    const closed = script.split('\n').filter((l) => l === 'KALDRIX_EOF').length;
    expect(opened).toBeGreaterThan(5);
    expect(closed).toBe(opened);
  });
});

describe('CloudWatch agent configuration', () => {
  it('publishes the alarmed metrics under the KALDRIX namespace with the Validator dimension', () => {
    const config = cloudwatchAgentConfig(input) as any;
    const emf = config.logs.metrics_collected.prometheus.emf_processor;
    expect(emf.metric_namespace).toBe('KALDRIX');
    expect(emf.metric_declaration[0].dimensions).toEqual([['Validator']]);
    expect(emf.metric_declaration[0].metric_selectors).toEqual(expect.arrayContaining(['^kaldrix_commits_total$', '^kaldrix_peers$']));
    expect(PUBLISHED_METRICS).toContain('kaldrix_commits_total');
    expect(config.logs.logs_collected.files.collect_list[0].log_group_name).toBe('/kaldrix/peer');
  });

  it('scrapes the peer on 127.0.0.1:8080/metrics with the labels that become dimensions', () => {
    const scrape = agentPrometheusConfig(input) as any;
    expect(scrape.scrape_configs[0]).toMatchObject({
      job_name: 'kaldrix', metrics_path: '/metrics',
      static_configs: [{ targets: ['127.0.0.1:8080'], labels: { Validator: 'eu-west-1-0', region: 'eu-west-1' } }],
    });
  });
});
