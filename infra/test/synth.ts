/** Synthesizes the stack in-process and offline, from the API's real route table, without bundling the Lambdas. */

import { routes } from '@squirrelbin/api/routes';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SquirrelBinStack } from '../src/stack.ts';
import type { LogicalTableName } from '../src/tables.ts';

export const routeSpecs = routes.map((route) => route.spec);

/** The stack and its template. */
export function synthStack(context: Record<string, unknown> = {}): { stack: SquirrelBinStack; template: Template } {
  // An empty bundling-stacks list makes CDK skip esbuild: assertions read the template, the bundle test runs the code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new SquirrelBinStack(app, 'Test', {
    routes: routeSpecs,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { stack, template: Template.fromStack(stack) };
}

export function synthTemplate(context: Record<string, unknown> = {}): Template {
  return synthStack(context).template;
}

/** Logical id of each table in the template (tables alike in keys and TTL, metrics and invocations, told apart). */
export function tableLogicalIds(stack: SquirrelBinStack): Record<LogicalTableName, string> {
  return Object.fromEntries(
    Object.entries(stack.tables.byName).map(([name, table]) => [
      name,
      stack.getLogicalId(table.node.defaultChild as CfnElement),
    ]),
  ) as Record<LogicalTableName, string>;
}
