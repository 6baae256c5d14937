// Runs one acorn in a pooled isolate and reports how it went. Shared by the worker processes and the in-process
// runner. The isolate is only ever entered through `control` (see bootstrap.js); this side keeps the clock:
// every call gets the time left as its timeout, timers are slept on here, and a host timer disposes the isolate
// if a call overstays the deadline anyway.
import { randomBytes } from 'node:crypto';
import type { InspectedValue, LogEntry, RunError, RunHttpResponse, RunResult, RunStatus } from '@squirrelbin/schemas';
import ivm from 'isolated-vm';
import type { ImportableAcorn, RunHandlerRequest } from './config.ts';
import type { CpuMeter } from './cpu-meter.ts';
import { type PlannedImports, planImports } from './imports.ts';
import { BOOTSTRAP_FILENAME, type IsolatePool, type Lease } from './isolate-pool.ts';
import { type Language, type PreparedAcorn, prepareAcorn, sourcePosition } from './prepare.ts';
import type { Strip } from './strip.ts';

export interface RunPlan {
  owner: string;
  language: Language;
  code: string;
  /** The input as JSON text, or undefined for none. */
  inputJson: string | undefined;
  /** Set for a handler run: the HTTP request its default export answers. */
  request?: RunHandlerRequest;
  timeoutMs: number;
  memoryMb: number;
  /** The acorns it may import (RunRequest.acorns). */
  acorns?: Record<string, ImportableAcorn | null>;
}

export interface AcornRunOptions {
  /**
   * Live logs: called with each batch of entries the run keeps, positions mapped, in order, as they are written
   * (a loop that never yields included). Every entry of the result's `logs` is passed, once, before the run returns.
   */
  onLog?(entries: LogEntry[]): void;
  /** Aborting it disposes the run's isolate at once; the run then ends as `killed`, "The run was cancelled". */
  signal?: AbortSignal;
  /** Called as the run enters and leaves its isolate, so a supervisor can tell who was executing when it died. */
  onExecuting?(executing: boolean): void;
  /** The isolate the run got, so that a catastrophic error of that isolate can be pinned on this run. */
  onIsolate?(isolate: Lease['isolate']): void;
  /** How TypeScript is stripped; default: on this process's stripper thread. */
  strip?: Strip;
}

interface Report {
  /** Formatted by bootstrap.js: messages, depth, values and tables as LogEntry has them. */
  logs: LogEntry[];
  /** With live logs: the position of `logs[0]` among the run's entries (a report repeats those sent live). */
  first?: number;
  logsTruncated: boolean;
  done: boolean;
  next: number;
  json?: string;
  preview?: string;
  truncatedValue?: boolean;
  error?: { name: string; message: string; stack: string };
  /** A handler run's answer (bootstrap.js, `respond`). */
  response?: RunHttpResponse;
}

/** A limit ended the run: the status it maps to and what to tell the author. */
class LimitReached extends Error {
  readonly status: RunStatus;
  constructor(status: RunStatus, message: string) {
    super(message);
    this.status = status;
  }
}

// Extra time a call gets past the deadline to stop by its own `timeout` (which keeps the logs) before the
// host disposes the isolate under it.
// isolated-vm's own timer can fire late on a busy machine, and disposing loses the logs of the current call.
const DISPOSE_GRACE_MS = 100;
// Flushing runs only our code (a string copy), so this bound is never reached in practice; it guards a wedged isolate.
const FLUSH_TIMEOUT_MS = 500;

export async function runAcorn(pool: IsolatePool, meter: CpuMeter, plan: RunPlan, options: AcornRunOptions = {}) {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let requestJson: string | undefined;
  if (plan.request) {
    const request = handlerRequest(plan.request);
    if ('error' in request) return errorResult(request.error, elapsed());
    requestJson = JSON.stringify(request);
  }
  const prepared = await prepareAcorn(plan.language, plan.code, { strip: options.strip, timeoutMs: plan.timeoutMs });
  if (!prepared.ok) return errorResult(prepared.error, elapsed(), prepared.status);
  const acorn = prepared.acorn;
  // A run that imports nothing skips all of this: its cost is what it was before imports existed.
  let imports: PlannedImports | undefined;
  let files: Files = new Map([[acorn.filename, acorn]]);
  if (acorn.imports) {
    const deadline = started + plan.timeoutMs;
    const planned = await planImports(acorn, plan.acorns ?? {}, { strip: options.strip, deadline });
    if ('timeout' in planned) return errorResult(planned.timeout, elapsed(), 'timeout');
    imports = planned;
    files = planned.files;
  }
  const signal = options.signal;
  if (signal?.aborted) return cancelledResult(elapsed());
  const lease = await pool.acquire(plan.owner, plan.memoryMb);
  if (signal?.aborted) {
    pool.release(lease, plan.owner, true);
    return cancelledResult(elapsed());
  }
  options.onIsolate?.(lease.isolate);
  const cpu = meter.track();
  const logs: LogEntry[] = [];
  let logsTruncated = false;
  let executing = false;
  let disposedAtDeadline = false;
  let over = false;
  // Cancelled: the isolate goes at once (a loop inside it stops), and the call under way fails as disposed.
  const onAbort = () => {
    if (!over && !lease.isolate.isDisposed) lease.isolate.dispose();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  // Live logs: entries land in `logs` by their position, from the isolate's callback or from a report (which
  // repeats what was sent live), whichever comes first; `onLog` gets them in order, each once.
  const onLog = options.onLog;
  let shown = 0;
  const place = (first: number, entries: LogEntry[]) => {
    for (let i = 0; i < entries.length; i++) {
      if (logs[first + i] === undefined) logs[first + i] = mapLogPositions(entries[i] as LogEntry, files);
    }
    const start = shown;
    while (shown < logs.length && logs[shown] !== undefined) shown++;
    if (shown > start && onLog && !over) onLog(logs.slice(start, shown));
  };
  const live = onLog
    ? new ivm.Callback(
        (first: number, json: string) => {
          if (!over) place(first, JSON.parse(json) as LogEntry[]);
        },
        { ignored: true },
      )
    : undefined;

  const backstop = setTimeout(() => {
    if (!executing || lease.isolate.isDisposed) return;
    disposedAtDeadline = true;
    lease.isolate.dispose();
  }, plan.timeoutMs + DISPOSE_GRACE_MS);

  const enter = async <T>(call: (timeout: number) => Promise<T>): Promise<T> => {
    const left = Math.ceil(plan.timeoutMs - elapsed());
    if (left <= 0) throw new LimitReached('timeout', deadlineMessage(plan.timeoutMs));
    executing = true;
    options.onExecuting?.(true);
    cpu.enter();
    try {
      return await call(left);
    } finally {
      cpu.exit();
      executing = false;
      options.onExecuting?.(false);
    }
  };
  const report = async (op: 'report' | 'flush' = 'report'): Promise<Report> => {
    const text = await (op === 'flush'
      ? lease.control.apply(undefined, ['flush'], { timeout: FLUSH_TIMEOUT_MS })
      : enter((t) => lease.control.apply(undefined, ['report'], { timeout: t })));
    const parsed = JSON.parse(String(text)) as Report;
    if (onLog) place(parsed.first ?? logs.length, parsed.logs);
    else for (const entry of parsed.logs) logs.push(mapLogPositions(entry, files));
    logsTruncated ||= parsed.logsTruncated;
    return parsed;
  };
  const finish = (result: Omit<RunResult, 'logs' | 'wallMs' | 'cpuMs'>, reusable: boolean): RunResult => {
    clearTimeout(backstop);
    over = true;
    signal?.removeEventListener('abort', onAbort);
    pool.release(lease, plan.owner, reusable);
    const truncated = { logs: logsTruncated || result.truncated.logs, value: result.truncated.value };
    return { ...result, truncated, logs, wallMs: round(elapsed()), cpuMs: round(cpu.ms()) };
  };

  try {
    // Compile and run in one call into the isolate: each call is a thread hop that costs more than the work here.
    const main = await enter((timeout) =>
      lease.context.eval(acorn.source, { filename: acorn.filename, lineOffset: -1, reference: true, timeout }),
    );
    // What the imports need in this context: each module artifact run (giving the function that evaluates it, called
    // only when imported), each imported acorn compiled. One call each; none at all for a run that imports nothing.
    const refs: ivm.Reference[] = [];
    for (const item of imports?.compile ?? []) {
      if (item.kind === 'module') {
        const script = await enter(() => pool.moduleScript(lease, item.name));
        refs.push(await enter((timeout) => script.run(lease.context, { reference: true, timeout })));
      } else {
        const source = item.acorn.source;
        const filename = item.acorn.filename;
        refs.push(
          await enter((timeout) => lease.context.eval(source, { filename, lineOffset: -1, reference: true, timeout })),
        );
      }
    }
    // Fresh entropy for every run, as a string: the isolate keys its crypto.getRandomValues with it.
    const entropy = randomBytes(32).toString('hex');
    const args = [main.derefInto(), plan.inputJson, acorn.isModule, entropy, requestJson, live];
    if (imports) args.push(imports.table, ...refs.map((ref) => ref.derefInto()));
    await enter((timeout) => lease.control.apply(undefined, ['start', ...args], { timeout }));
    main.release();
    for (const ref of refs) ref.release();
    for (;;) {
      const state = await report();
      if (state.done) return finish(outcome(state, files), true);
      if (state.next < 0) {
        throw new LimitReached(
          'timeout',
          'The result never settles and no timer is pending, so only the deadline could end this run',
        );
      }
      if (elapsed() + state.next > plan.timeoutMs) {
        throw new LimitReached('timeout', `The next timer is due after the ${plan.timeoutMs} ms deadline`);
      }
      await sleep(state.next, signal);
      await enter((timeout) => lease.control.apply(undefined, ['tick'], { timeout }));
    }
  } catch (e) {
    if (signal?.aborted) {
      const error: RunError = { name: 'KilledError', message: CANCELLED, stack: '' };
      return finish({ status: 'killed', preview: '', error, truncated: none }, false);
    }
    const limit = classify(e, disposedAtDeadline, plan.timeoutMs);
    if (!limit) {
      // A compile error from v8 itself (acorn's parser let it through), with the position in the message.
      return finish({ status: 'error', preview: '', error: v8Error(e, files), truncated: none }, true);
    }
    if (limit.status === 'timeout' && !lease.isolate.isDisposed) {
      // The isolate stopped the call itself and is still usable: collect the logs written before the cut.
      await report('flush').catch(() => {});
    }
    const error: RunError = { name: errorName(limit.status), message: limit.message, stack: '' };
    return finish({ status: limit.status, preview: '', error, truncated: none }, false);
  }
}

const none = { logs: false, value: false };
const CANCELLED = 'The run was cancelled';

function cancelledResult(wallMs: number): RunResult {
  return errorResult({ name: 'KilledError', message: CANCELLED, stack: '' }, wallMs, 'killed');
}

/** The files stack frames may name: the acorn's own (`acorn.js`/`acorn.ts`) and each imported one's. */
type Files = Map<string, PreparedAcorn | undefined>;

function outcome(state: Report, acorn: Files): Omit<RunResult, 'logs' | 'wallMs' | 'cpuMs'> {
  const truncated = { logs: false, value: state.truncatedValue === true };
  if (state.error) {
    // isolated-vm refuses ArrayBuffer memory beyond the limit with this error instead of ending the isolate.
    const refused = state.error.name === 'RangeError' && state.error.message === 'Array buffer allocation failed';
    return { status: refused ? 'memory' : 'error', preview: '', error: acornError(state.error, acorn), truncated };
  }
  const result: Omit<RunResult, 'logs' | 'wallMs' | 'cpuMs'> = {
    status: 'ok',
    preview: state.preview ?? '',
    truncated,
  };
  if (state.json !== undefined) result.value = JSON.parse(state.json);
  if (state.response !== undefined) result.response = state.response;
  return result;
}

/** The plan's request as the isolate gets it: the URL serialised as WHATWG URL does (Node's, on our side). */
function handlerRequest(request: RunHandlerRequest): RunHandlerRequest | { error: RunError } {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const message = `The request URL must be absolute (http or https): ${JSON.stringify(request.url)}`;
    return { error: { name: 'TypeError', message, stack: `TypeError: ${message}` } };
  }
  const out: RunHandlerRequest = { method: request.method, url: url.href, headers: request.headers };
  if (request.bodyBase64 !== undefined) out.bodyBase64 = request.bodyBase64;
  return out;
}

function classify(e: unknown, disposedAtDeadline: boolean, timeoutMs: number): LimitReached | undefined {
  if (e instanceof LimitReached) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/memory limit/i.test(message)) return new LimitReached('memory', 'The acorn went past its memory limit');
  if (/timed out/i.test(message) || disposedAtDeadline) return new LimitReached('timeout', deadlineMessage(timeoutMs));
  if (/disposed/i.test(message)) return new LimitReached('killed', 'The isolate running the acorn was lost');
  return undefined;
}

const deadlineMessage = (timeoutMs: number) => `The acorn ran past its ${timeoutMs} ms deadline`;

function errorName(status: RunStatus): string {
  if (status === 'timeout') return 'TimeoutError';
  if (status === 'memory') return 'MemoryLimitError';
  return 'KilledError';
}

// `acorn.js:3:9`, `acorn.ts:3:9`, or an imported acorn's `acorn:{id}@{version}:3:9`.
const POSITIONS = /(acorn\.[jt]s|acorn:[A-Za-z0-9_-]{1,64}@\d+):(\d+):(\d+)/g;

/** The acorn's own position of one in the code v8 ran; the file of a failed import has source positions already. */
function mapped(files: Files, file: string, line: number, column: number) {
  const acorn = files.get(file);
  return acorn ? sourcePosition(acorn, line, column) : { line, column };
}

/** Rewrites `acorn.ts:<line>:<column>` (and imported acorns' positions) of the code v8 ran into source positions. */
function mapPositions(text: string, files: Files): string {
  return text.replace(POSITIONS, (whole, file, l, c) => {
    if (!files.has(file)) return whole;
    const at = mapped(files, file, Number(l), Number(c));
    return `${file}:${at.line}:${at.column}`;
  });
}

/**
 * Maps an error raised in the acorn back to its source: its first frame in an acorn (its own, or an imported one's,
 * which then becomes `source`), columns unshifted, our frames gone.
 */
function acornError(raw: { name: string; message: string; stack: string }, files: Files): RunError {
  const stack = mapPositions(
    raw.stack
      .split('\n')
      .filter((line) => !line.includes(BOOTSTRAP_FILENAME) && !line.includes('<isolated-vm boundary>'))
      .join('\n'),
    files,
  );
  const error: RunError = { name: raw.name, message: raw.message, stack };
  for (const at of stack.matchAll(POSITIONS)) {
    if (!files.has(at[1] as string)) continue;
    error.line = Number(at[2]);
    error.column = Number(at[3]);
    if (!isOwnFile(at[1] as string)) error.source = at[1];
    break;
  }
  return error;
}

const isOwnFile = (file: string) => file === 'acorn.js' || file === 'acorn.ts';

/**
 * Logged errors carry stacks too (bootstrap.js has already taken its own frames out): their positions are mapped
 * like a thrown error's, in the lines that are stack frames (`    at …acorn.ts:3:9`), wherever they appear.
 */
function mapLogPositions(entry: LogEntry, files: Files): LogEntry {
  const frames = (text: string) =>
    text.includes('acorn') ? text.replace(FRAME, (line) => mapPositions(line, files)) : text;
  const walk = (value: InspectedValue): InspectedValue => {
    if (value.kind === 'primitive') return { kind: 'primitive', text: frames(value.text) };
    return {
      ...value,
      label: frames(value.label),
      entries: value.entries.map((e) => ({ ...e, value: walk(e.value) })),
    };
  };
  const mapped: LogEntry = { ...entry, message: frames(entry.message) };
  if (entry.values) mapped.values = entry.values.map(walk);
  return mapped;
}

const FRAME = /^ *at .*$/gm;

function v8Error(e: unknown, files: Files): RunError {
  const err = e instanceof Error ? e : new Error(String(e));
  const at = /\[(acorn\.[jt]s|acorn:[A-Za-z0-9_-]{1,64}@\d+):(\d+):(\d+)\]$/.exec(err.message);
  const message = err.message.replace(/ \[(acorn\.[jt]s|acorn:[A-Za-z0-9_-]{1,64}@\d+):\d+:\d+\]$/, '');
  const error: RunError = { name: err.name, message, stack: `${err.name}: ${message}` };
  if (at && files.has(at[1] as string)) {
    const file = at[1] as string;
    const position = mapped(files, file, Number(at[2]), Number(at[3]));
    error.line = position.line;
    error.column = position.column;
    if (!isOwnFile(file)) error.source = file;
    error.stack += `\n    at ${file}:${error.line}:${error.column}`;
  }
  return error;
}

function errorResult(error: RunError, wallMs: number, status: RunStatus = 'error'): RunResult {
  return { status, preview: '', logs: [], error, wallMs: round(wallMs), cpuMs: 0, truncated: none };
}

/** Waits `ms`, or less when `signal` aborts (the next call into the disposed isolate then fails at once). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (!signal) {
      setTimeout(resolve, ms);
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
const round = (ms: number) => Math.round(ms * 100) / 100;
