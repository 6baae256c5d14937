/** Metrics on AWS (decision 006): EMF in each function's logs, and only the metrics readers may read CloudWatch. */
import { beforeAll, describe, expect, it } from 'vitest';
import { endpointTag } from '../src/api.ts';
import { routeSpecs, synthTemplate } from './synth.ts';

type Template = ReturnType<typeof synthTemplate>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Every action each route function's role may take, by endpoint name. */
function actionsByEndpoint(template: Template): Map<string, { action: string; resource: unknown }[]> {
  const roles = new Map<string, string>();
  for (const resource of Object.values(template.findResources('AWS::Lambda::Function'))) {
    const props = resource.Properties as { Tags?: { Key: string; Value: string }[]; Role: { 'Fn::GetAtt': string[] } };
    const endpoint = props.Tags?.find((tag) => tag.Key === endpointTag)?.Value;
    if (endpoint) roles.set(props.Role['Fn::GetAtt'][0]!, endpoint);
  }
  const found = new Map<string, { action: string; resource: unknown }[]>([...roles.values()].map((e) => [e, []]));
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const props = policy.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
    for (const { Ref } of props.Roles) {
      const endpoint = roles.get(Ref);
      if (!endpoint) continue;
      for (const statement of props.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat())
          found.get(endpoint)!.push({ action, resource: statement.Resource });
      }
    }
  }
  return found;
}

describe('metrics in the stack', () => {
  let actions: Map<string, { action: string; resource: unknown }[]>;
  beforeAll(() => {
    actions = actionsByEndpoint(synthTemplate());
  }, 120_000);

  it('lets the routes that read metrics, and only those, query CloudWatch', () => {
    const readers = routeSpecs.filter((spec) => spec.access.metrics).map((spec) => spec.name);
    // The admin overview and an endpoint acorn's own series (its owner's view): both read CloudWatch on Lambda.
    expect(readers.sort()).toEqual(['acorns.metrics', 'admin.metrics']);
    for (const spec of routeSpecs) {
      const cloudWatch = actions.get(spec.name)!.filter(({ action }) => action.startsWith('cloudwatch:'));
      if (readers.includes(spec.name)) {
        expect(cloudWatch).toEqual([
          { action: 'cloudwatch:GetMetricData', resource: '*' },
          { action: 'cloudwatch:ListMetrics', resource: '*' },
        ]);
      } else {
        expect(cloudWatch, spec.name).toEqual([]);
      }
    }
  });

  it('gives no function a metrics write: recording is printing EMF, not a call', () => {
    for (const [endpoint, granted] of actions) {
      expect(
        granted.filter(({ action }) => action === 'cloudwatch:PutMetricData'),
        endpoint,
      ).toEqual([]);
    }
  });
});
