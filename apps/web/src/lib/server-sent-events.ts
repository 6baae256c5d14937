/** Server-sent events: the parser and the stream reader live in @squirrelbin/client, shared with the CLI. */
export { eventStreamParser, isEventStream, readEventStream, type ServerSentEvent } from '@squirrelbin/client';
