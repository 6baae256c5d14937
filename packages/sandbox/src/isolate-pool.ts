// Isolates kept warm per owner. An isolate serves one owner for its whole life (never shared between owners) and
// always holds a fresh, bootstrapped context ready for its next run, so a run pays neither isolate creation nor
// context setup. Spares are isolates not yet given to anyone, so an owner's first run is warm too.
import { moduleSource } from '@squirrelbin/modules';
import ivm from 'isolated-vm';
import { BOOTSTRAP_FILENAME, bootstrapSource } from './bootstrap-source.ts';

export { BOOTSTRAP_FILENAME };

export interface OutputCaps {
  maxOutputChars: number;
  maxLogEntries: number;
  maxPreviewChars: number;
  /** The largest body a handler run may answer with. */
  maxResponseBytes: number;
}

export interface IsolatePoolOptions {
  caps: OutputCaps;
  /** Memory limit of spares; runs asking for another limit get their own isolates. */
  defaultMemoryMb: number;
  recycleAfterRuns: number;
  /** Idle isolates kept across all owners; the least recently used go first. */
  maxIdle: number;
  spares: number;
  /** v8 lost control of `isolate`: the process must end soon. */
  onCatastrophicError: (message: string, isolate: ivm.Isolate) => void;
}

/** The handle the host drives a run through; see bootstrap.js. */
export type Control = (op: string, ...args: unknown[]) => string | undefined;

export interface Lease {
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly control: ivm.Reference<Control>;
}

interface Entry {
  isolate: ivm.Isolate;
  bootstrap: ivm.Script;
  /** Module artifacts compiled in this isolate, by name: compiled once, run in each context that imports them. */
  modules: Map<string, Promise<ivm.Script>>;
  memoryMb: number;
  runs: number;
  ready: Promise<Prepared> | undefined;
}

interface Prepared {
  context: ivm.Context;
  control: ivm.Reference<Control>;
}

// Our own compile cache, produced by the first isolate of the process; user code never gets near it.
let bootstrapCache: ivm.ExternalCopy<ArrayBuffer> | undefined;
// Likewise per module artifact: produced by the first compile of it in this process, from our own build output.
const moduleCaches = new Map<string, ivm.ExternalCopy<ArrayBuffer>>();

/** What stack frames in a module artifact say: `module:zod:1:2345`. */
export const moduleFilename = (name: string) => `module:${name}`;

export class IsolatePool {
  readonly #options: IsolatePoolOptions;
  readonly #idle = new Map<string, Entry[]>();
  readonly #spares: Entry[] = [];
  readonly #leased = new Map<Lease, Entry>();
  #idleCount = 0;
  #closed = false;

  constructor(options: IsolatePoolOptions) {
    this.#options = options;
    bootstrapSource(); // fails now, naming the build command, if the web globals were never built
    this.#topUpSpares();
  }

  async acquire(owner: string, memoryMb: number): Promise<Lease> {
    const key = `${memoryMb}:${owner}`;
    const own = this.#idle.get(key);
    let entry = own?.pop();
    if (entry) {
      this.#idleCount--;
      if (own?.length === 0) this.#idle.delete(key);
    } else if (memoryMb === this.#options.defaultMemoryMb && this.#spares.length > 0) {
      entry = this.#spares.pop();
      setImmediate(() => this.#topUpSpares());
    }
    entry ??= this.#create(memoryMb);
    let prepared: Prepared;
    try {
      prepared = await (entry.ready ?? this.#prepare(entry));
    } catch {
      // The warm context died with its isolate (e.g. a catastrophic error elsewhere): start over once.
      this.#dispose(entry);
      entry = this.#create(memoryMb);
      prepared = await this.#prepare(entry);
    }
    entry.ready = undefined;
    entry.runs++;
    const lease: Lease = { isolate: entry.isolate, context: prepared.context, control: prepared.control };
    this.#leased.set(lease, entry);
    return lease;
  }

  /**
   * The artifact `name` (from @squirrelbin/modules) compiled in the lease's isolate: once per isolate, from our own
   * code cache after the process's first compile. Running it in a context gives the function that evaluates it.
   */
  moduleScript(lease: Lease, name: string): Promise<ivm.Script> {
    const entry = this.#leased.get(lease);
    if (!entry) throw new Error('moduleScript: not a current lease');
    let script = entry.modules.get(name);
    if (!script) {
      script = compileModule(entry.isolate, name);
      entry.modules.set(name, script);
      script.catch(() => entry.modules.delete(name));
    }
    return script;
  }

  /** Gives the isolate back to its owner, or disposes it after a limit event, a failure, or enough runs. */
  release(lease: Lease, owner: string, reusable: boolean): void {
    const entry = this.#leased.get(lease);
    if (!entry) return;
    this.#leased.delete(lease);
    if (!entry.isolate.isDisposed) {
      lease.control.release();
      lease.context.release();
    }
    if (!reusable || this.#closed || entry.isolate.isDisposed || entry.runs >= this.#options.recycleAfterRuns) {
      this.#dispose(entry);
      return;
    }
    const key = `${entry.memoryMb}:${owner}`;
    const list = this.#idle.get(key) ?? [];
    this.#idle.delete(key);
    this.#idle.set(key, list); // re-inserted: Map order is the LRU order
    list.push(entry);
    this.#idleCount++;
    this.#prepare(entry).catch(() => {});
    this.#evict();
  }

  close(): void {
    this.#closed = true;
    for (const list of this.#idle.values()) for (const entry of list) this.#dispose(entry);
    for (const entry of this.#spares) this.#dispose(entry);
    for (const entry of this.#leased.values()) this.#dispose(entry);
    this.#idle.clear();
    this.#spares.length = 0;
    this.#leased.clear();
  }

  #evict(): void {
    for (const [key, list] of this.#idle) {
      if (this.#idleCount <= this.#options.maxIdle) return;
      const entry = list.shift();
      if (entry) {
        this.#idleCount--;
        this.#dispose(entry);
      }
      if (list.length === 0) this.#idle.delete(key);
    }
  }

  #topUpSpares(): void {
    while (!this.#closed && this.#spares.length < this.#options.spares) {
      const entry = this.#create(this.#options.defaultMemoryMb);
      this.#prepare(entry).catch(() => {});
      this.#spares.push(entry);
    }
  }

  #create(memoryMb: number): Entry {
    const isolate: ivm.Isolate = new ivm.Isolate({
      memoryLimit: memoryMb,
      onCatastrophicError: (message) => this.#options.onCatastrophicError(message, isolate),
    });
    const options = { filename: BOOTSTRAP_FILENAME };
    let bootstrap: ivm.Script;
    if (bootstrapCache) {
      bootstrap = isolate.compileScriptSync(bootstrapSource(), { ...options, cachedData: bootstrapCache });
    } else {
      bootstrap = isolate.compileScriptSync(bootstrapSource(), { ...options, produceCachedData: true });
      bootstrapCache = (bootstrap as ivm.Script & ivm.CachedDataResult).cachedData;
    }
    return { isolate, bootstrap, modules: new Map(), memoryMb, runs: 0, ready: undefined };
  }

  #prepare(entry: Entry): Promise<Prepared> {
    entry.ready = (async () => {
      const context = await entry.isolate.createContext();
      const bootstrap = await entry.bootstrap.run(context, { reference: true, timeout: 5000 });
      const { maxOutputChars, maxLogEntries, maxPreviewChars, maxResponseBytes } = this.#options.caps;
      const caps = [maxOutputChars, maxLogEntries, maxPreviewChars, maxResponseBytes];
      const control = (await bootstrap.apply(undefined, [...caps, BOOTSTRAP_FILENAME], {
        result: { reference: true },
        timeout: 5000,
      })) as ivm.Reference<Control>;
      bootstrap.release();
      return { context, control };
    })();
    return entry.ready;
  }

  #dispose(entry: Entry): void {
    if (!entry.isolate.isDisposed) entry.isolate.dispose();
  }
}

async function compileModule(isolate: ivm.Isolate, name: string): Promise<ivm.Script> {
  const source = moduleSource(name);
  const filename = moduleFilename(name);
  const cachedData = moduleCaches.get(name);
  if (cachedData) return isolate.compileScript(source, { filename, cachedData });
  const script = await isolate.compileScript(source, { filename, produceCachedData: true });
  const produced = (script as ivm.Script & ivm.CachedDataResult).cachedData;
  if (produced) moduleCaches.set(name, produced);
  return script;
}
