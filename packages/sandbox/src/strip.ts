// TypeScript to JavaScript (ts-strip.js: Node's own `stripTypeScriptTypes`) kept off the path where one acorn could
// break it for the others. Node's stripper is amaro's wasm, one instance per thread: it traps on input nested deeply
// enough and is never reset, which would poison every later TypeScript run of that thread.
// - In worker processes it runs on a thread of its own, one per process, replaced after any failure: a trap costs
//   only that thread. Requests go one at a time, so a failure is always the request in flight; a request that
//   overstays its run's deadline ends the thread as well.
// - On Lambda (the in-process runner, one invocation at a time, and nothing but the bundle shipped) it runs in the
//   process, and a failure marks the process to be replaced, as a catastrophic isolate error does.
import { Worker } from 'node:worker_threads';
import { type Position, type SourceMap, takeInlineSourceMap } from './source-map.ts';
import { type StripFailure, type StripResult, stripTypeScript } from './ts-strip.js';

/** `code` says what kind of syntax error (`InvalidSyntax`, `UnsupportedSyntax`); without one, the stripper failed. */
export interface StripError {
  code?: 'InvalidSyntax' | 'UnsupportedSyntax';
  message: string;
  /** 1-based. */
  startLine?: number;
  /** 0-based, in UTF-16 code units like v8's and acorn's columns. */
  startColumn?: number;
}

/**
 * `js` keeps every position of the source when it was only type-stripped; transformed code (enum, namespace,
 * parameter properties) comes with `map`, which gives positions in `js` back to the source.
 */
export type StripOutcome = { js: string; map?: SourceMap } | { error: StripError } | { timedOut: true };

/** Turns TypeScript into JavaScript, unless `deadline` (performance.now()) passes. */
export type Strip = (code: string, deadline: number) => Promise<StripOutcome>;

/** The messages of strip-thread.js. */
type StripReply = 'ready' | ({ id: number } & StripResult);

interface Pending {
  id: number;
  code: string;
  resolve: (outcome: StripOutcome) => void;
  /** Fires at the run's deadline, whether the request is still waiting or in flight. */
  timer: NodeJS.Timeout;
}

const THREAD_URL = new URL('./strip-thread.js', import.meta.url);

class Stripper {
  #thread: Worker | undefined;
  #ready = false;
  readonly #queue: Pending[] = [];
  #current: Pending | undefined;
  #nextId = 1;

  strip(code: string, deadline: number): Promise<StripOutcome> {
    return new Promise((resolve) => {
      const request = { id: this.#nextId++, code, resolve } as Pending;
      request.timer = setTimeout(() => this.#expire(request), Math.max(0, deadline - performance.now()));
      this.#queue.push(request);
      this.#pump();
    });
  }

  #expire(request: Pending): void {
    if (request === this.#current) {
      this.#settle(request, { timedOut: true });
      this.#replace();
    } else {
      const at = this.#queue.indexOf(request);
      if (at >= 0) this.#queue.splice(at, 1);
      this.#settle(request, { timedOut: true });
    }
    this.#pump();
  }

  #settle(request: Pending, outcome: StripOutcome): void {
    clearTimeout(request.timer);
    if (request === this.#current) this.#current = undefined;
    request.resolve(outcome);
  }

  #start(): Worker {
    const thread = new Worker(THREAD_URL);
    this.#thread = thread;
    this.#ready = false;
    thread.on('message', (message: StripReply) => {
      if (thread !== this.#thread) return;
      if (message === 'ready') {
        this.#ready = true;
      } else if (this.#current?.id === message.id) {
        const outcome = toOutcome(message, this.#current.code);
        this.#settle(this.#current, outcome);
        // Anything but an ordinary syntax error may have left the stripper's wasm broken: never reuse it.
        if ('error' in outcome && outcome.error.code === undefined) this.#replace();
      }
      this.#pump();
    });
    // An uncaught error ends the thread: 'exit' follows and does the rest.
    thread.on('error', () => {});
    thread.on('exit', () => {
      if (thread !== this.#thread) return;
      this.#thread = undefined;
      if (this.#current) this.#settle(this.#current, { error: { message: 'The TypeScript stripper failed' } });
      if (!this.#ready) {
        // It never got ready: another would fail the same way, so fail what waits rather than spin.
        for (const request of this.#queue.splice(0)) {
          this.#settle(request, { error: { message: 'The TypeScript stripper could not start' } });
        }
      }
      this.#pump();
    });
    return thread;
  }

  /** Ends the current thread and starts its successor at once, so that the next run finds it warm. */
  #replace(): void {
    const old = this.#thread;
    this.#thread = undefined;
    void old?.terminate();
    this.#start();
    this.#pump();
  }

  #pump(): void {
    if (this.#current) return;
    if (this.#queue.length === 0) {
      // Idle (or loading with nobody waiting): the thread must not keep the process alive.
      this.#thread?.unref();
      return;
    }
    const thread = this.#thread ?? this.#start();
    thread.ref();
    if (!this.#ready) return;
    const request = this.#queue.shift() as Pending;
    this.#current = request;
    thread.postMessage({ id: request.id, code: request.code });
  }
}

let stripper: Stripper | undefined;

/** Strips on this process's stripper thread. */
export const stripOnThread: Strip = (code, deadline) => {
  stripper ??= new Stripper();
  return stripper.strip(code, deadline);
};

let broken = false;

/** Loads Node's stripper into this process for `stripInProcess` (~0.3 s: it compiles its wasm), off any run. */
export function warmInProcess(): void {
  stripTypeScript('');
}

/** Strips in this process. After anything but an ordinary syntax error the stripper may be broken: see `strippingBroken`. */
export const stripInProcess: Strip = async (code) => {
  const outcome = toOutcome(stripTypeScript(code), code);
  if ('error' in outcome && outcome.error.code === undefined) broken = true;
  return outcome;
};

/** True once `stripInProcess` failed in a way that may have left the stripper broken: the process must end. */
export const strippingBroken = () => broken;

function toOutcome(result: StripResult, code: string): StripOutcome {
  if ('error' in result) return { error: stripError(result.error, code) };
  if (!result.transformed) return { js: result.js };
  const { js, map } = takeInlineSourceMap(result.js);
  return map ? { js, map } : { js };
}

const KINDS: Record<string, StripError['code']> = {
  ERR_INVALID_TYPESCRIPT_SYNTAX: 'InvalidSyntax',
  ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX: 'UnsupportedSyntax',
};

function stripError(failure: StripFailure, code: string): StripError {
  const kind = failure.code === undefined ? undefined : KINDS[failure.code];
  if (kind === undefined) {
    // Node reports its stripper's own failures as internal assertions, with a plea to file an issue: the first line.
    return { message: failure.message.split('\n', 1)[0] ?? failure.message };
  }
  const error: StripError = { code: kind, message: failure.message };
  const at = snippetPosition(failure, code);
  if (at) {
    error.startLine = at.line;
    error.startColumn = at.column - 1;
  }
  return error;
}

/**
 * Node keeps only the line of a syntax error (`<file>:<line>`), followed by a snippet: the line (tabs expanded to
 * stops of 4, wide characters 2 columns) and carets under the span. The column is read back from the carets; a span
 * over several lines is drawn without carets, and then the column is that of the line's first non-blank character.
 */
export function snippetPosition(failure: StripFailure, code: string): Position | undefined {
  // The snippet ends where the error's own stack starts: `SyntaxError [ERR_…]: <message>` (or without the code
  // when something else formats stacks, as vitest does).
  const header = failure.stack.lastIndexOf(`: ${failure.message}`);
  const end = header < 0 ? -1 : failure.stack.lastIndexOf('\n', header);
  if (end < 0) return undefined;
  const [first = '', ...snippet] = failure.stack.slice(0, end).split('\n');
  const lineMatch = /:(\d+)$/.exec(first);
  if (!lineMatch) return undefined;
  const line = Number(lineMatch[1]);
  const source = (code.split('\n')[line - 1] ?? '').replace(/\r$/, '');
  const drawn = expandTabs(source).trimEnd();
  for (let i = 0; i + 1 < snippet.length; i++) {
    const carets = snippet[i + 1] as string;
    if ((snippet[i] as string).trimEnd() === drawn && /^ *\^+ *$/.test(carets)) {
      return { line, column: indexAtWidth(source, carets.indexOf('^')) + 1 };
    }
  }
  return { line, column: source.length - source.trimStart().length + 1 };
}

/** Columns a character takes where Node draws its snippet: 2 for wide East Asian characters and emoji. */
function charWidth(c: number): number {
  if (c < 32 || (c >= 0x300 && c < 0x370) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  const wide =
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

function expandTabs(line: string): string {
  let out = '';
  let width = 0;
  for (const ch of line) {
    if (ch === '\t') {
      const spaces = 4 - (width % 4);
      out += ' '.repeat(spaces);
      width += spaces;
    } else {
      out += ch;
      width += charWidth(ch.codePointAt(0) as number);
    }
  }
  return out;
}

/** The UTF-16 index in `line` of the character drawn at column `target` (0-based) of the snippet. */
function indexAtWidth(line: string, target: number): number {
  let width = 0;
  let index = 0;
  for (const ch of line) {
    if (width >= target) return index;
    width += ch === '\t' ? 4 - (width % 4) : charWidth(ch.codePointAt(0) as number);
    index += ch.length;
  }
  return index;
}
