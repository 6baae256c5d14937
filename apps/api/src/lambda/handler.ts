/** Wraps one route as an AWS Lambda handler (API Gateway HTTP API, payload v2) with `hono/aws-lambda`. */

import type { InProcessRunner } from '@squirrelbin/sandbox';
import { openStore } from '@squirrelbin/store';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { type AcornRunner, createDeps, type Deps } from '../deps.ts';
import type { Route } from '../route.ts';

/**
 * On Lambda each execution environment is its own process, so acorns run in-process (DESIGN.md). The sandbox is
 * imported on the first run only: Lambdas of other routes never load isolated-vm.
 */
export function inProcessRunner(config: Config): AcornRunner & { mustExit(): boolean } {
  let runner: Promise<InProcessRunner> | undefined;
  let loaded: InProcessRunner | undefined;
  return {
    async run(request, options) {
      runner ??= import('@squirrelbin/sandbox').then(({ createInProcessRunner }) =>
        createInProcessRunner({
          defaults: config.run.defaults,
          maxima: config.run.maxima,
          workerRssLimitMb: config.run.workerRssLimitMb,
        }),
      );
      loaded = await runner;
      return loaded.run(request, options);
    },
    mustExit: () => loaded?.mustExit === true,
  };
}

export function lambdaHandler(route: Route) {
  const config = loadConfig(process.env);
  const runner = inProcessRunner(config);
  let deps: Promise<Deps> | undefined;
  // Connect on the first invocation and keep the connection for the life of the execution environment.
  const getDeps = () => {
    deps ??= openStore(config.store).then((store) =>
      createDeps(config, store, runner, (c) => sourceIp((c.env as { event?: LambdaEvent } | undefined)?.event)),
    );
    deps.catch(() => {
      deps = undefined;
    });
    return deps;
  };
  // An endpoint acorn's answer is bytes whatever its content type says (or lacks): always base64, so API Gateway
  // hands them on unchanged. The API's own answers are JSON text.
  const binary = route.spec.rawBody ? { isContentTypeBinary: () => true } : undefined;
  const handler = handle(createApp(config, getDeps, [route]), binary);
  return async (...args: Parameters<typeof handler>) => {
    const response = await handler(...args);
    // The execution environment may be frozen right after this returns: print this invocation's metrics as EMF now.
    // On Lambda that is all a flush does (no table write to wait for, decision 006); stdout is the log pipe.
    if (deps) {
      const ready = await deps;
      // Invocation records are written beside the answer; the environment may freeze once this returns.
      await ready.settle();
      await ready.metrics.flush();
    }
    // After a catastrophic isolate error (or memory an acorn leaked), answer, then end the process so the platform
    // starts a clean one for the next invocation.
    if (runner.mustExit()) setTimeout(() => process.exit(1), 0);
    return response;
  };
}

function sourceIp(event: LambdaEvent | undefined): string {
  const context = event?.requestContext as
    | { http?: { sourceIp?: string }; identity?: { sourceIp?: string } }
    | undefined;
  return context?.http?.sourceIp ?? context?.identity?.sourceIp ?? 'unknown';
}
