/**
 * The SquirrelBin sandbox: runs acorns (small JavaScript or TypeScript programs) in isolated-vm isolates inside
 * supervised worker processes, and reports each run as a `RunResult`. It knows nothing of HTTP.
 *
 * - `createSandbox(options)` starts the worker pool (one process per core by default). `run(request)` resolves
 *   with the `RunResult`, or with a `RunRejection`: `{ rejected: 'queue-full', retryAfterSeconds }` when every
 *   slot is busy and the queue (or the owner's share of it) is full, `{ rejected: 'owner-quarantined',
 *   retryAfterSeconds }` when the owner's runs killed workers lately. `stats()` reports the workers (pid, RSS), the
 *   queue and counters; `close()` ends it. `run(request, { onLog, signal })`: `onLog` gets each log entry as it is
 *   written (the same entries as `result.logs`, in order); aborting `signal` ends the run at once (it leaves the
 *   queue, or its isolate is disposed and its slot freed) and `run` resolves `{ cancelled: true }` (RunCancelled).
 * - `createInProcessRunner(options)` runs isolates in the current process, for AWS Lambda. After a run, check
 *   `mustExit`: when true the process should answer and then exit, so the platform starts a clean one.
 *
 * An acorn is either a script whose last expression statement is the result (top-level `await` allowed), or a
 * module whose `export default` function is called with the input. It sees `input`, `console.*`,
 * `setTimeout`/`setInterval` (driven by the host, bounded by the deadline), standard ECMAScript and the web globals
 * (`Request`, `Response`, `Headers`, `URL`, `URLSearchParams`, `TextEncoder`, `TextDecoder`, `atob`, `btoa`,
 * `structuredClone`, `crypto.getRandomValues`/`randomUUID`, and a `fetch` that rejects); no `require`, `process`,
 * network, filesystem, `WebAssembly`, `SharedArrayBuffer` or `Atomics`.
 *
 * Imports (static and `import()`): the modules of `@squirrelbin/modules` (`zod`, `lodash-es`, `date-fns/addDays`…),
 * evaluated in the run's fresh context only when imported; and other acorns, `acorn:{id}` / `acorn:{id}@{version}`,
 * whose code the caller passes in `RunRequest.acorns` (keyed by that specifier; null when the caller may not read
 * it). Anything else, an acorn not readable or not in the map, a cycle, depth past 8 or more than 512 KiB of imported
 * acorn source ends the run as `error` naming the specifier and its line and column (an `import()` rejects instead).
 * An error inside an imported acorn has `RunError.source = 'acorn:{id}@{version}'`, with `line`/`column` in it.
 *
 * With `request` in the RunRequest the acorn is an HTTP handler: its default export (a function, or an object with a
 * `fetch` method) is called with a `Request`, and what it returns is `RunResult.response` (a Response as it is, any
 * other value as JSON, `undefined` as 204).
 *
 * Needs `dist/web-globals.js`: `npm run build -w @squirrelbin/sandbox` (creating a sandbox without it throws, saying
 * so).
 *
 * @example
 * ```ts
 * const sandbox = createSandbox();
 * const result = await sandbox.run({ owner: 'id_123', language: 'javascript', code: '1 + 2' });
 * if ('status' in result) console.log(result.status, result.value); // ok 3
 * const call = await sandbox.run({
 *   owner: 'id_123',
 *   language: 'javascript',
 *   code: 'export default (request) => Response.json({ path: new URL(request.url).pathname })',
 *   request: { method: 'GET', url: 'https://example.com/x/abc/hello', headers: [] },
 * });
 * if ('status' in call) console.log(call.response?.status); // 200
 * await sandbox.close();
 * ```
 * @module
 */
export type {
  ImportableAcorn,
  RunCancelled,
  RunHandlerRequest,
  RunLimitsConfig,
  RunOptions,
  RunRequest,
  SandboxOptions,
  StreamOptions,
} from './config.ts';
export { MAX_IMPORT_DEPTH, MAX_IMPORTED_BYTES, normalizeAcornSpecifier } from './imports.ts';
export { createInProcessRunner, type InProcessRunner, type InProcessRunnerOptions } from './in-process-runner.ts';
export type { Language } from './prepare.ts';
export { createSandbox, type RunRejection, type Sandbox, type SandboxStats, type WorkerStats } from './supervisor.ts';
