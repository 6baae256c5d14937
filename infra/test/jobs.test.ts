/**
 * Jobs on AWS (DESIGN.md, "Jobs"): the SQS queue and its dead letters, the worker Lambda it feeds (bundled and shipped
 * like the run functions), what the worker and the job routes may do, and the alarms. The bundled worker itself runs in
 * lambda-bundles.test.ts.
 */
import { longestSliceMs, MAX_RECEIVES, sliceMaxIterations } from '@squirrelbin/api/jobs/queue-message';
import type { RouteSpec } from '@squirrelbin/api/route';
import { App } from 'aws-cdk-lib';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  endpointTag,
  jobsQueueVariable,
  queueGrants,
  readDataActions,
  readWriteDataActions,
  storeGrants,
} from '../src/api.ts';
import { jobsWorkerAccess, jobTimeouts } from '../src/jobs.ts';
import { jobsWorker, lambdaBundleSettings, lambdaEntry, shippedFiles } from '../src/lambda-bundle.ts';
import { SquirrelBinStack } from '../src/stack.ts';
import { tableVariable } from '../src/tables.ts';
import { routeSpecs, synthStack, tableLogicalIds } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Synthesized = ReturnType<typeof synthStack>;
type Template = CdkTemplate;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

const logicalId = (synthesized: Synthesized, construct: { node: { defaultChild?: unknown } }) =>
  synthesized.stack.getLogicalId(construct.node.defaultChild as Parameters<SquirrelBinStack['getLogicalId']>[0]);

const variablesOf = (props: Record<string, unknown>) =>
  (props.Environment as { Variables: Record<string, unknown> }).Variables;

/** Every Allow statement of a function's role. */
function statementsOf(template: Template, props: Record<string, unknown>): Statement[] {
  const roleId = (props.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Actions on the resources a logical id names, by name. */
function actionsOn(statements: Statement[], ids: Record<string, string>): Record<string, string[]> {
  const byName: Record<string, string[]> = {};
  for (const statement of statements) {
    for (const [name, id] of Object.entries(ids)) {
      if (!JSON.stringify(statement.Resource).includes(`"${id}"`)) continue;
      byName[name] = [...(byName[name] ?? []), ...[statement.Action].flat()].sort();
    }
  }
  return byName;
}

function routeFunctions(template: Template): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  for (const [, resource] of resources(template, 'AWS::Lambda::Function')) {
    const tags = (resource.Properties.Tags ?? []) as { Key: string; Value: string }[];
    const endpoint = tags.find((tag) => tag.Key === endpointTag)?.Value;
    if (endpoint) found.set(endpoint, resource.Properties);
  }
  return found;
}

const consumeActions = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];

describe('jobs in the stack', () => {
  let synthesized: Synthesized;
  let template: Template;
  let ids: { queue: string; deadLetters: string; worker: string; topic: string };
  let tables: Record<string, string>;
  beforeAll(() => {
    synthesized = synthStack();
    template = synthesized.template;
    const { jobs, observability } = synthesized.stack;
    ids = {
      queue: logicalId(synthesized, jobs.queue),
      deadLetters: logicalId(synthesized, jobs.deadLetterQueue),
      worker: logicalId(synthesized, jobs.worker),
      topic: logicalId(synthesized, observability.topic),
    };
    tables = tableLogicalIds(synthesized.stack);
  }, 120_000);

  const worker = () => template.toJSON().Resources[ids.worker] as Resource;

  it('sizes the worker on the longest slice and the queue above it', () => {
    // 25 iterations × (10 s + 0.5 s) + 10 s = 272.5 s: the worker gets 273 s, the queue hides a message 328 s.
    expect(sliceMaxIterations).toBe(25);
    expect(jobTimeouts(10_000)).toEqual({ sliceMs: 272_500, workerTimeoutSeconds: 273, visibilityTimeoutSeconds: 328 });
    expect(jobTimeouts(1_000)).toEqual({ sliceMs: 47_500, workerTimeoutSeconds: 48, visibilityTimeoutSeconds: 58 });
    for (const runMaxTimeoutMs of [100, 999, 1_000, 10_000, 20_000, 35_100]) {
      const timeouts = jobTimeouts(runMaxTimeoutMs);
      expect(timeouts.sliceMs).toBe(longestSliceMs(runMaxTimeoutMs));
      expect(timeouts.workerTimeoutSeconds * 1000).toBeGreaterThanOrEqual(timeouts.sliceMs);
      expect(timeouts.workerTimeoutSeconds).toBeLessThanOrEqual(900);
      expect(timeouts.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(timeouts.workerTimeoutSeconds * 1.2);
      expect(Number.isInteger(timeouts.visibilityTimeoutSeconds)).toBe(true);
    }
    // A slice that could outlast Lambda's 15 minutes fails the synth rather than being cut short on AWS.
    expect(() => jobTimeouts(35_200)).toThrow(/runMaxTimeoutMs.*900 s/);

    expect(worker().Properties.Timeout).toBe(273);
    const queue = template.toJSON().Resources[ids.queue] as Resource;
    expect(queue.Properties.VisibilityTimeout).toBe(328);
    expect(queue.Properties.VisibilityTimeout as number).toBeGreaterThanOrEqual(worker().Properties.Timeout as number);
  });

  it('follows runMaxTimeoutMs from context, and refuses one whose slices Lambda could not finish', {
    timeout: 120_000,
  }, () => {
    const other = synthStack({ runMaxTimeoutMs: '20000' });
    const workerId = logicalId(other, other.stack.jobs.worker);
    const queueId = logicalId(other, other.stack.jobs.queue);
    const json = other.template.toJSON().Resources;
    // 25 × 20.5 s + 10 s = 522.5 s.
    expect(json[workerId].Properties.Timeout).toBe(523);
    expect(json[queueId].Properties.VisibilityTimeout).toBe(628);
    expect(() => synthStack({ runMaxTimeoutMs: 40_000 })).toThrow(/runMaxTimeoutMs/);
  });

  it('keeps job steps in an encrypted queue that hands a step failed 5 times to a dead-letter queue kept 14 days', () => {
    const queues = Object.fromEntries(resources(template, 'AWS::SQS::Queue'));
    expect(Object.keys(queues).sort()).toEqual([ids.deadLetters, ids.queue].sort());
    expect(queues[ids.queue]!.Properties).toEqual({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [ids.deadLetters, 'Arn'] },
        maxReceiveCount: MAX_RECEIVES + 1,
      },
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 328,
    });
    // Longer than the queue's own retention (4 days, the default): a dead letter keeps its first enqueue time.
    expect(queues[ids.deadLetters]!.Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    // TLS only, on both.
    for (const id of [ids.queue, ids.deadLetters]) {
      const [, policy] = resources(template, 'AWS::SQS::QueuePolicy').find(([, p]) =>
        JSON.stringify(p.Properties.Queues).includes(`"${id}"`),
      )!;
      expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toEqual([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]);
    }
  });

  it('feeds the worker one message per invocation, reporting failures per message, at most 20 at once', () => {
    const mappings = resources(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    expect(mappings[0]![1].Properties).toEqual({
      BatchSize: 1,
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      FunctionName: { Ref: ids.worker },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });

  it('takes the worker concurrency from context, within what SQS allows (2–1,000)', { timeout: 120_000 }, () => {
    const other = synthStack({ jobWorkerConcurrency: '5' });
    other.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(() => synthStack({ jobWorkerConcurrency: 1 })).toThrow(/jobWorkerConcurrency/);
    expect(() => synthStack({ jobWorkerConcurrency: 1001 })).toThrow(/jobWorkerConcurrency/);
  });

  it('builds the worker from jobs-worker.ts like a run function: the sandbox, its files, memory, no snapshot', () => {
    expect(lambdaEntry(jobsWorker.name)).toMatch(/apps\/api\/src\/lambda\/jobs-worker\.ts$/);
    const bundle = lambdaBundleSettings(jobsWorker);
    const runRoute = routeSpecs.find((spec) => spec.name === 'run.code')!;
    // The run functions' bundle settings but for the entry, and the same files beside it.
    expect({ ...bundle, entry: undefined }).toEqual({ ...lambdaBundleSettings(runRoute), entry: undefined });
    expect(shippedFiles(jobsWorker)).toEqual(shippedFiles(runRoute));
    expect(bundle.external).toEqual(['isolated-vm']);

    const props = worker().Properties;
    expect(props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['x86_64'], Handler: 'index.handler' });
    expect(props.MemorySize).toBe(1024);
    // Capped by the event source's maximum concurrency instead: a reservation would hold environments while idle.
    expect(props.ReservedConcurrentExecutions).toBeUndefined();
    // Not a route: no endpoint tag, no API integration, no origin secret or CORS (nothing reaches it over HTTP).
    expect(JSON.stringify(props.Tags ?? [])).not.toContain(endpointTag);
    const integrations = JSON.stringify(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).not.toContain(`"${ids.worker}"`);
  });

  it('gives the worker every table name, the queue URL and the run settings, nothing else', () => {
    const variables = variablesOf(worker().Properties);
    expect(variables).toEqual({
      ...Object.fromEntries(Object.entries(tables).map(([name, id]) => [tableVariable(name as never), { Ref: id }])),
      JOBS_QUEUE_URL: { Ref: ids.queue },
      NODE_OPTIONS: '--no-node-snapshot',
      RUN_WORKERS: '1',
      RUN_MAX_TIMEOUT_MS: '10000',
    });
    expect(variables.JOB_RESULTS_TABLE).toEqual({ Ref: tables.jobResults });
  });

  it('lets the worker write the job tables, read acorns and identities, send to the queue and consume it', () => {
    expect(storeGrants({ access: jobsWorkerAccess })).toEqual({
      jobs: readWriteDataActions,
      jobResults: readWriteDataActions,
      acorns: readDataActions,
      identities: readDataActions,
    });
    const statements = statementsOf(template, worker().Properties);
    const granted = actionsOn(statements, { ...tables, queue: ids.queue, deadLetters: ids.deadLetters });
    expect(granted).toEqual({
      jobs: [...readWriteDataActions].sort(),
      jobResults: [...readWriteDataActions].sort(),
      acorns: [...readDataActions].sort(),
      identities: [...readDataActions].sort(),
      // SendMessage from its access; the rest from the event source, which polls on its behalf.
      queue: ['sqs:SendMessage', ...consumeActions].sort(),
    });
    // Nothing else: no other resource, no wildcard.
    for (const statement of statements) {
      const resource = JSON.stringify(statement.Resource);
      expect(Object.values({ ...tables, queue: ids.queue }).some((id) => resource.includes(`"${id}"`))).toBe(true);
    }
  });

  it('grants the job tables as routes declare them: read or write, on jobs and jobResults both', () => {
    expect(storeGrants({ access: { jobs: 'read' } })).toEqual({ jobs: readDataActions, jobResults: readDataActions });
    expect(storeGrants({ access: { jobs: 'write', acorns: 'read' } })).toEqual({
      jobs: readWriteDataActions,
      jobResults: readWriteDataActions,
      acorns: readDataActions,
    });
    expect(storeGrants({ access: { acorns: 'read' } })).toEqual({ acorns: readDataActions });
    expect(queueGrants({ jobQueue: 'send' })).toEqual(['sqs:SendMessage']);
    expect(queueGrants({ jobs: 'write' })).toEqual([]);
  });

  it('lets the routes that start and cancel jobs write the job tables, and the others only read them', () => {
    const jobAccess = Object.fromEntries(
      routeSpecs.filter((spec) => spec.access.jobs).map((spec) => [spec.name, spec.access.jobs]),
    );
    expect(jobAccess).toEqual({
      'jobs.start': 'write',
      'jobs.cancel': 'write',
      'jobs.list': 'read',
      'jobs.get': 'read',
      'jobs.results': 'read',
      'jobs.events': 'read',
    });
    const functions = routeFunctions(template);
    for (const [name, access] of Object.entries(jobAccess)) {
      const granted = actionsOn(statementsOf(template, functions.get(name)!), tables);
      const expected = [...(access === 'write' ? readWriteDataActions : readDataActions)].sort();
      expect(granted.jobs, name).toEqual(expected);
      expect(granted.jobResults, name).toEqual(expected);
    }
  });

  /** The route functions' SQS actions and JOBS_QUEUE_URL, by route, in `template`. */
  function queueAccess(synth: Synthesized) {
    const queueId = logicalId(synth, synth.stack.jobs.queue);
    const deadLettersId = logicalId(synth, synth.stack.jobs.deadLetterQueue);
    return [...routeFunctions(synth.template)].map(([name, props]) => {
      const statements = statementsOf(synth.template, props);
      const sqs = statements.filter((statement) => [statement.Action].flat().some((a) => a.startsWith('sqs:')));
      for (const statement of sqs)
        expect(JSON.stringify(statement.Resource)).toBe(`{"Fn::GetAtt":["${queueId}","Arn"]}`);
      expect(JSON.stringify(statements)).not.toContain(`"${deadLettersId}"`);
      return {
        name,
        actions: sqs.flatMap((statement) => [statement.Action].flat()),
        url: variablesOf(props)[jobsQueueVariable],
        queueId,
      };
    });
  }

  it('gives JOBS_QUEUE_URL and SendMessage to the routes that send to the queue, and to no other', () => {
    const senders = routeSpecs.filter((spec) => spec.access.jobQueue === 'send').map((spec) => spec.name);
    // Starting a job sends its lanes' first steps; everything after comes from the worker.
    expect(senders).toEqual(['jobs.start']);
    for (const { name, actions, url, queueId } of queueAccess(synthesized)) {
      const sends = senders.includes(name);
      expect(actions, name).toEqual(sends ? ['sqs:SendMessage'] : []);
      expect(url, name).toEqual(sends ? { Ref: queueId } : undefined);
    }
  });

  it('follows the route table: a route that declares jobQueue send gets them, its neighbours do not', {
    timeout: 120_000,
  }, () => {
    // The mechanism, whatever the route table holds today: one route made a sender, with job table writes.
    const routes: RouteSpec[] = routeSpecs.map((spec) =>
      spec.name === 'health' ? { ...spec, access: { ...spec.access, jobs: 'write', jobQueue: 'send' } } : spec,
    );
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new SquirrelBinStack(app, 'Senders', {
      routes,
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const synth = { stack, template: CdkTemplate.fromStack(stack) };
    const senders = new Set([...routes.filter((spec) => spec.access.jobQueue === 'send').map((spec) => spec.name)]);
    expect(senders).toContain('health');
    for (const { name, actions, url, queueId } of queueAccess(synth)) {
      expect(actions, name).toEqual(senders.has(name) ? ['sqs:SendMessage'] : []);
      expect(url, name).toEqual(senders.has(name) ? { Ref: queueId } : undefined);
    }
    const health = routeFunctions(synth.template).get('health')!;
    const tableIds = tableLogicalIds(stack);
    const granted = actionsOn(statementsOf(synth.template, health), tableIds);
    expect(granted.jobs).toEqual([...readWriteDataActions].sort());
    expect(granted.jobResults).toEqual([...readWriteDataActions].sort());
  });

  it('alarms when a step reaches the dead letters and when steps wait too long, on the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.deadLetters, 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: ids.topic }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.queue, 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 900,
      AlarmActions: [{ Ref: ids.topic }],
    });
    const sqsAlarms = resources(template, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties.Namespace === 'AWS/SQS',
    );
    expect(sqsAlarms).toHaveLength(2);
    // On the dashboard too, with the worker's invocations and errors.
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(body).toContain('ApproximateAgeOfOldestMessage');
    expect(body).toContain(ids.worker);
    // The dead letters' URL is an output, for inspection and redrive.
    expect(template.toJSON().Outputs.JobsDeadLetterQueue.Value).toEqual({ Ref: ids.deadLetters });
  });

  it('takes the queue age threshold from context', { timeout: 120_000 }, () => {
    synthStack({ alarmJobQueueAgeSeconds: '300' }).template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 300,
    });
  });
});
