/** Wraps one route as an AWS Lambda handler (API Gateway HTTP API, payload v2) with `hono/aws-lambda`. */
import { openStore } from '@squirrelbin/store';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps, type Deps } from '../deps.ts';
import type { Route } from '../route.ts';

export function lambdaHandler(route: Route) {
  const config = loadConfig(process.env);
  let deps: Promise<Deps> | undefined;
  // Connect on the first invocation and keep the connection for the life of the execution environment.
  const getDeps = () => {
    deps ??= openStore(config.store).then((store) =>
      createDeps(config, store, (c) => sourceIp((c.env as { event?: LambdaEvent } | undefined)?.event)),
    );
    deps.catch(() => {
      deps = undefined;
    });
    return deps;
  };
  return handle(createApp(config, getDeps, [route]));
}

function sourceIp(event: LambdaEvent | undefined): string {
  const context = event?.requestContext as
    | { http?: { sourceIp?: string }; identity?: { sourceIp?: string } }
    | undefined;
  return context?.http?.sourceIp ?? context?.identity?.sourceIp ?? 'unknown';
}
