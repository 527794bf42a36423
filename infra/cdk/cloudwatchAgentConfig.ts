/**
 * The CloudWatch agent's configuration on a validator instance: ship the peer's log file to
 * CloudWatch Logs, and scrape the peer's Prometheus `/metrics` into CloudWatch metrics (EMF).
 *
 * Per the agent's Prometheus support (CloudWatch docs, "Prometheus metric type conversion"):
 * counters are published as the delta since the previous scrape, gauges as they are, and
 * histograms are dropped. So `Sum(kaldrix_commits_total)` over a minute is the number of commits
 * in that minute, which is exactly what the "no commits" alarm needs; finality histograms stay
 * in Prometheus/Grafana. Only the metrics that alarms use are published, to keep the custom
 * metric bill at a few per validator.
 */

/** CloudWatch namespace of the peers' metrics. */
export const METRICS_NAMESPACE = 'KALDRIX';
/** The Prometheus label (added at scrape time) that becomes the CloudWatch dimension. */
export const VALIDATOR_DIMENSION = 'Validator';
/** Prometheus metrics published to CloudWatch, for alarms. */
export const PUBLISHED_METRICS = ['kaldrix_commits_total', 'kaldrix_peers', 'kaldrix_view_changes_total', 'kaldrix_round'] as const;
/** Scrape period; four samples per alarm minute so one missed scrape does not look like a stall. */
export const SCRAPE_INTERVAL_SECONDS = 15;
/** The peer's HTTP API (DESIGN §3) as seen from the host. */
export const PEER_METRICS_TARGET = '127.0.0.1:8080';

export const PEER_LOG_FILE = '/var/log/kaldrix/peer.log';
export const AGENT_DIR = '/opt/aws/amazon-cloudwatch-agent/etc';
export const PROMETHEUS_CONFIG_PATH = `${AGENT_DIR}/kaldrix-prometheus.yaml`;

export type AgentConfigInput = {
  readonly validatorName: string;
  readonly region: string;
  /** Log group names (CDK tokens allowed: they resolve at deploy time). */
  readonly peerLogGroupName: string;
  readonly metricsLogGroupName: string;
};

/** The agent's JSON configuration (written to disk by the user data). */
export function cloudwatchAgentConfig(input: AgentConfigInput): object {
  return {
    agent: { metrics_collection_interval: 60, run_as_user: 'root' },
    logs: {
      logs_collected: {
        files: {
          collect_list: [{
            file_path: PEER_LOG_FILE,
            log_group_name: input.peerLogGroupName,
            log_stream_name: input.validatorName,
            timezone: 'UTC',
          }],
        },
      },
      metrics_collected: {
        prometheus: {
          log_group_name: input.metricsLogGroupName,
          prometheus_config_path: PROMETHEUS_CONFIG_PATH,
          emf_processor: {
            metric_declaration_dedup: true,
            metric_namespace: METRICS_NAMESPACE,
            metric_declaration: [{
              source_labels: ['job'],
              label_matcher: '^kaldrix$',
              dimensions: [[VALIDATOR_DIMENSION]],
              metric_selectors: PUBLISHED_METRICS.map((m) => `^${m}$`),
            }],
          },
        },
      },
    },
  };
}

/**
 * The agent's Prometheus scrape configuration. Written as JSON, which is valid YAML, so no
 * YAML library is needed; the static labels become CloudWatch dimensions.
 */
export function agentPrometheusConfig(input: Pick<AgentConfigInput, 'validatorName' | 'region'>): object {
  return {
    global: { scrape_interval: `${SCRAPE_INTERVAL_SECONDS}s`, scrape_timeout: '10s' },
    scrape_configs: [{
      job_name: 'kaldrix',
      metrics_path: '/metrics',
      static_configs: [{ targets: [PEER_METRICS_TARGET], labels: { [VALIDATOR_DIMENSION]: input.validatorName, region: input.region } }],
    }],
  };
}
