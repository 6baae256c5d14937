/** The CDK app: `cdk synth --app 'node --no-node-snapshot src/main.ts'` (see package.json). */

import { routes } from '@squirrelbin/api/routes';
import { App } from 'aws-cdk-lib';
import { SquirrelBinStack } from './stack.ts';

const app = new App();
new SquirrelBinStack(app, app.node.tryGetContext('stackName') ?? 'SquirrelBin', {
  routes: routes.map((route) => route.spec),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'SquirrelBin: runnable pastebin (SPA on CloudFront, one Lambda per API verb, DynamoDB)',
});
app.synth();
