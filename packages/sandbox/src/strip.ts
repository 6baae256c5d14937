// TypeScript stripping (amaro) kept off the path where one acorn could break it for the others. amaro's wasm traps
// on input nested deeply enough and is never reset, which would poison every later TypeScript run of the process.
// - In worker processes it runs on a thread of its own, one per process, replaced after any failure: a trap costs
//   only that thread. Requests go one at a time, so a failure is always the request in flight; a request that
//   overstays its run's deadline ends the thread as well.
// - On Lambda (the in-process runner, one invocation at a time, and nothing but the bundle shipped) it runs in the
//   process, and a failure marks the process to be replaced, as a catastrophic isolate error does.
import { Worker } from 'node:worker_threads';

/** `code` is amaro's (`InvalidSyntax`, `UnsupportedSyntax`); without one, the stripper itself failed. */
export interface StripError {
  code?: string;
  message: string;
  startLine?: number;
  startColumn?: number;
}

export type StripOutcome = { js: string } | { error: StripError } | { timedOut: true };

/** Type-strips `code` (types become spaces, so positions stay), unless `deadline` (performance.now()) passes. */
export type Strip = (code: string, deadline: number) => Promise<StripOutcome>;

/** The messages of strip-thread.js. */
type StripReply = 'ready' | { id: number; js: string } | { id: number; error: StripError };

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
        this.#settle(this.#current, 'error' in message ? { error: message.error } : { js: message.js });
        // Anything but an ordinary syntax error may have left amaro's wasm broken: never reuse it.
        if ('error' in message && message.error.code === undefined) this.#replace();
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
        // It never loaded amaro: another would fail the same way, so fail what waits rather than spin.
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

type Amaro = typeof import('amaro');
let amaro: Promise<Amaro> | undefined;
let broken = false;

/** Loads amaro into this process for `stripInProcess`, so that the first TypeScript run does not pay for it. */
export function loadAmaro(): Promise<Amaro> {
  amaro ??= import('amaro').then((m) => m.default);
  return amaro;
}

/** Strips in this process. After anything but an ordinary syntax error amaro may be broken: see `strippingBroken`. */
export const stripInProcess: Strip = async (code) => {
  const { transformSync } = await loadAmaro();
  try {
    return { js: transformSync(code, { mode: 'strip-only' }).code };
  } catch (e) {
    const err = (typeof e === 'object' && e !== null ? e : {}) as Partial<Record<keyof StripError, unknown>>;
    const error: StripError = { message: typeof err.message === 'string' ? err.message : String(e) };
    if (typeof err.code === 'string') error.code = err.code;
    else broken = true;
    if (typeof err.startLine === 'number') error.startLine = err.startLine;
    if (typeof err.startColumn === 'number') error.startColumn = err.startColumn;
    return { error };
  }
};

/** True once `stripInProcess` failed in a way that may have left amaro's wasm broken: the process must end. */
export const strippingBroken = () => broken;
