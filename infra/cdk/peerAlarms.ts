/**
 * The alarms of one validator, all notifying the region's SNS topic.
 *
 * - no commits for 1 minute: `Sum(kaldrix_commits_total)` over 60 s below 1. The CloudWatch
 *   agent publishes the counter's per-scrape delta, so the sum is the commits of that minute.
 *   Missing data is BREACHING: a dead peer, a dead agent or a stuck network all mean "not
 *   committing", and silence must not look healthy.
 * - peers below minimum: `Minimum(kaldrix_peers)` below `minPeers` for two consecutive minutes
 *   (one minute of churn during a peer's restart is normal).
 * - instance status check failed (either check, two minutes), and a system status check alarm
 *   that also asks EC2 to recover the instance onto healthy hardware (same id, EIP and volumes).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, VALIDATOR_DIMENSION } from './cloudwatchAgentConfig.ts';

/** The alarm window the issue asks for: no commit within one minute is an incident. */
const COMMIT_WINDOW = Duration.minutes(1);

export type PeerAlarmsProps = {
  readonly validatorName: string;
  readonly instanceId: string;
  readonly minPeers: number;
  readonly topic: sns.ITopic;
};

export class PeerAlarms extends Construct {
  readonly noCommits: cloudwatch.Alarm;
  readonly peersBelowMinimum: cloudwatch.Alarm;
  readonly statusCheckFailed: cloudwatch.Alarm;
  readonly systemStatusCheckFailed: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PeerAlarmsProps) {
    super(scope, id);
    const dimensionsMap = { [VALIDATOR_DIMENSION]: props.validatorName };
    const notify = new actions.SnsAction(props.topic);

    this.noCommits = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE, metricName: 'kaldrix_commits_total', dimensionsMap, statistic: 'Sum', period: COMMIT_WINDOW,
    }).createAlarm(this, 'NoCommits', {
      alarmDescription: `${props.validatorName} committed nothing for 1 minute (or stopped reporting)`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.peersBelowMinimum = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE, metricName: 'kaldrix_peers', dimensionsMap, statistic: 'Minimum', period: Duration.minutes(1),
    }).createAlarm(this, 'PeersBelowMinimum', {
      alarmDescription: `${props.validatorName} is connected to fewer than ${props.minPeers} peers`,
      threshold: props.minPeers,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // Silence is already the no-commits alarm's job; do not page twice for it.
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    this.statusCheckFailed = this.statusAlarm('StatusCheckFailed', 'StatusCheckFailed', props);
    this.systemStatusCheckFailed = this.statusAlarm('SystemStatusCheckFailed', 'StatusCheckFailed_System', props);
    this.systemStatusCheckFailed.addAlarmAction(new actions.Ec2Action(actions.Ec2InstanceAction.RECOVER));
    for (const alarm of [this.noCommits, this.peersBelowMinimum, this.statusCheckFailed, this.systemStatusCheckFailed]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }

  private statusAlarm(id: string, metricName: string, props: PeerAlarmsProps): cloudwatch.Alarm {
    return new cloudwatch.Metric({
      namespace: 'AWS/EC2', metricName, dimensionsMap: { InstanceId: props.instanceId }, statistic: 'Maximum', period: Duration.minutes(1),
    }).createAlarm(this, id, {
      alarmDescription: `${props.validatorName}: EC2 ${metricName}`,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
  }
}
