/** Server-sent events: the parser lives in @squirrelbin/client, shared with the CLI. */
export { eventStreamParser, type ServerSentEvent } from '@squirrelbin/client';
