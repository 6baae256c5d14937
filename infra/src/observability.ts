/** Per-endpoint alarms and a dashboard from the API's EMF metrics: the admin page's figures, in CloudWatch. */

import type { RouteSpec } from '@squirrelbin/api/route';
import { endpointDimension, metricNames, metricsNamespace } from '@squirrelbin/metrics';
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { routeKeys } from './api.ts';
import { type Jobs, maxReceiveCount } from './jobs.ts';
import type { Settings } from './settings.ts';

export interface ObservabilityProps {
  routes: readonly RouteSpec[];
  httpApi: apigw.HttpApi;
  /** The jobs queue, its dead letters and its worker. */
  jobs: Jobs;
  settings: Settings;
}

/** Run outcomes as the admin page shows them: the metrics package's `run…` counters. */
const runOutcomeMetrics = Object.entries(metricNames)
  .filter(([key]) => key.startsWith('run'))
  .map(([key, name]) => [key.slice('run'.length).toLowerCase(), name] as const);

/** Alarms judge 5-minute windows; the dashboard shows the 1-minute buckets the admin page shows. */
const alarmPeriod = Duration.minutes(5);
const dashboardPeriod = Duration.minutes(1);
/** Below this many requests in a window a 5xx rate says little (one failure in two requests is not an outage). */
const minimumRequestsForRate = 10;

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { settings } = props;
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'SquirrelBin alarms' });
    if (settings.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    const notify = new actions.SnsAction(this.topic);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# SquirrelBin endpoints\nPer endpoint, from the API's metrics (\`${metricsNamespace}\`, dimension \`${endpointDimension}\`): requests, 4xx, 5xx, latency p50/p95/p99, and run outcomes for routes that run acorns.`,
        width: 24,
        height: 2,
      }),
    );

    // Catches what the API's own metrics cannot see: Lambda crashes and timeouts never record a 5xx.
    const gateway5xx = new cloudwatch.Alarm(this, 'Gateway5xx', {
      alarmDescription: 'HTTP API 5xx responses, including Lambda crashes and timeouts',
      metric: props.httpApi.metricServerError({ period: alarmPeriod, statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    gateway5xx.addAlarmAction(notify);

    for (const spec of props.routes) {
      const metric = (metricName: string, statistic: string, period = dashboardPeriod) =>
        new cloudwatch.Metric({
          namespace: metricsNamespace,
          metricName,
          dimensionsMap: { [endpointDimension]: spec.name },
          statistic,
          period,
        });
      const id = spec.name.replaceAll('.', '-');
      // Every route key it answers: `ANY /x/{id}, ANY /x/{id}/{proxy+}` for the endpoints.
      const label = routeKeys(spec).join(', ');

      const errorRate = new cloudwatch.MathExpression({
        expression: `IF(requests >= ${minimumRequestsForRate}, 100 * errors / requests, 0)`,
        usingMetrics: {
          requests: metric(metricNames.requests, cloudwatch.Stats.SUM, alarmPeriod),
          errors: metric(metricNames.status5xx, cloudwatch.Stats.SUM, alarmPeriod),
        },
        period: alarmPeriod,
        label: `${spec.name} 5xx %`,
      });
      new cloudwatch.Alarm(this, `${id}-5xx-rate`, {
        alarmDescription: `${label}: more than ${settings.alarm5xxPercent}% of responses are 5xx`,
        metric: errorRate,
        threshold: settings.alarm5xxPercent,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);

      const latencyThreshold = spec.runsAcorns ? settings.alarmRunLatencyP99Ms : settings.alarmLatencyP99Ms;
      new cloudwatch.Alarm(this, `${id}-p99-latency`, {
        alarmDescription: `${label}: p99 latency above ${latencyThreshold} ms`,
        metric: metric(metricNames.latency, cloudwatch.Stats.p(99), alarmPeriod),
        threshold: latencyThreshold,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);

      const row: cloudwatch.IWidget[] = [
        new cloudwatch.GraphWidget({
          title: `${label} — requests`,
          left: [
            metric(metricNames.requests, cloudwatch.Stats.SUM).with({ label: 'requests' }),
            metric(metricNames.status4xx, cloudwatch.Stats.SUM).with({ label: '4xx' }),
            metric(metricNames.status5xx, cloudwatch.Stats.SUM).with({ label: '5xx' }),
          ],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: `${label} — latency (ms)`,
          left: (['p50', 'p95', 'p99'] as const).map((p) => metric(metricNames.latency, p).with({ label: p })),
          width: 8,
        }),
      ];
      if (spec.runsAcorns) {
        row.push(
          new cloudwatch.GraphWidget({
            title: `${label} — run outcomes`,
            left: runOutcomeMetrics.map(([label, name]) => metric(name, cloudwatch.Stats.SUM).with({ label })),
            stacked: true,
            width: 8,
          }),
        );
      }
      this.dashboard.addWidgets(...row);
    }

    this.jobAlarms(props.jobs, settings, notify);
  }

  /** A step in the dead letters is a job that cannot finish; an old message, workers that fall behind. */
  private jobAlarms(jobs: Jobs, settings: Settings, notify: actions.SnsAction): void {
    const deadLetters = jobs.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: alarmPeriod,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    new cloudwatch.Alarm(this, 'JobDeadLetters', {
      alarmDescription: `Job steps failed ${maxReceiveCount} times and wait in the dead-letter queue: their jobs cannot finish`,
      metric: deadLetters,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(notify);
    const age = jobs.queue.metricApproximateAgeOfOldestMessage({
      period: alarmPeriod,
      statistic: cloudwatch.Stats.MAXIMUM,
    });
    new cloudwatch.Alarm(this, 'JobQueueAge', {
      alarmDescription: `A job step waited more than ${settings.alarmJobQueueAgeSeconds} s in the jobs queue: the workers are behind or failing`,
      metric: age,
      threshold: settings.alarmJobQueueAgeSeconds,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(notify);

    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Jobs queue — messages',
        left: [
          jobs.queue.metricApproximateNumberOfMessagesVisible({ period: dashboardPeriod }).with({ label: 'waiting' }),
          jobs.queue
            .metricApproximateNumberOfMessagesNotVisible({ period: dashboardPeriod })
            .with({ label: 'running' }),
          deadLetters.with({ period: dashboardPeriod, label: 'dead letters' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Jobs queue — age of oldest (s)',
        left: [age.with({ period: dashboardPeriod, label: 'oldest' })],
        leftAnnotations: [{ value: settings.alarmJobQueueAgeSeconds, label: 'alarm' }],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Jobs worker',
        left: [
          jobs.worker.metricInvocations({ period: dashboardPeriod }).with({ label: 'slices' }),
          jobs.worker.metricErrors({ period: dashboardPeriod }).with({ label: 'errors' }),
          jobs.worker.metricThrottles({ period: dashboardPeriod }).with({ label: 'throttles' }),
        ],
        right: [jobs.worker.metricDuration({ period: dashboardPeriod, statistic: 'p95' }).with({ label: 'p95 ms' })],
        width: 8,
      }),
    );
  }
}
