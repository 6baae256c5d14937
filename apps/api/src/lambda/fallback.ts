/**
 * The Lambda behind the HTTP API's `$default` route: every request no route matched (an unknown path, a method a
 * path does not serve) gets the app's own problem+json 404 or 405, as on the local server, instead of API
 * Gateway's `{"message":"Not Found"}`. It knows the route table from ROUTE_KEYS (set by the stack) and never
 * touches the store.
 */
import { handle } from 'hono/aws-lambda';
import { createFallbackApp, type RouteKey } from '../app.ts';
import { loadConfig } from '../config.ts';

const config = loadConfig(process.env);

export const handler = handle(createFallbackApp(config, config.routeKeys as RouteKey[]));
