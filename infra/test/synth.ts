/** Synthesizes the stack in-process and offline, from the API's real route table, without bundling the Lambdas. */

import { routes } from '@squirrelbin/api/routes';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SquirrelBinStack } from '../src/stack.ts';

export const routeSpecs = routes.map((route) => route.spec);

export function synthTemplate(context: Record<string, unknown> = {}): Template {
  // An empty bundling-stacks list makes CDK skip esbuild: assertions read the template, the bundle test runs the code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new SquirrelBinStack(app, 'Test', {
    routes: routeSpecs,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return Template.fromStack(stack);
}
