// A worker process: hosts the isolates of the runs the supervisor sends it, several at a time (each isolate runs
// on its own thread, so this process's main thread stays free to keep time). It may be SIGKILLed at any moment;
// it keeps no state worth saving.
import type { LogEntry } from '@squirrelbin/schemas';
import type ivm from 'isolated-vm';
import type { Settings } from './config.ts';
import { poolOptions } from './config.ts';
import { createCpuMeter } from './cpu-meter.ts';
import { IsolatePool } from './isolate-pool.ts';
import { type AcornRunOptions, runAcorn } from './isolate-runner.ts';
import { prepareAcorn } from './prepare.ts';
import { type FromWorker, HEALTH_INTERVAL_MS, type ToWorker } from './protocol.ts';

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const send = (message: FromWorker) => {
  if (process.connected) process.send?.(message);
};
const executing = new Set<number>();
/** The isolate of each run in progress: a catastrophic error names its isolate, and so the run to blame. */
const isolates = new Map<number, ivm.Isolate>();
const meter = createCpuMeter();
const pool = new IsolatePool(
  poolOptions(settings, (message, isolate) => {
    // The newest match: an isolate goes back to its owner's pool a moment before its run's entry here is gone.
    const culprit = [...isolates].findLast(([, i]) => i === isolate)?.[0];
    send({ type: 'catastrophic', message, ...(culprit === undefined ? {} : { culprit }), executing: [...executing] });
  }),
);

/** Runs in progress: aborting one disposes its isolate (the supervisor's `cancel`). */
const controllers = new Map<number, AbortController>();
/** Live log entries of each run not sent yet: sent once per turn of this process's event loop. */
const unsent = new Map<number, LogEntry[]>();
let flushing = false;
const flushLogs = () => {
  flushing = false;
  for (const [id, entries] of unsent) send({ type: 'log', id, entries });
  unsent.clear();
};
const flushRun = (id: number) => {
  const entries = unsent.get(id);
  if (entries) send({ type: 'log', id, entries });
  unsent.delete(id);
};

process.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    controllers.get(message.id)?.abort();
    return;
  }
  if (message.type !== 'run') return;
  const { id, plan } = message;
  const controller = new AbortController();
  controllers.set(id, controller);
  const options: AcornRunOptions = {
    onExecuting: (now: boolean) => (now ? executing.add(id) : executing.delete(id)),
    onIsolate: (isolate: ivm.Isolate) => isolates.set(id, isolate),
    signal: controller.signal,
  };
  if (message.live) {
    options.onLog = (entries) => {
      if (controller.signal.aborted) return;
      const list = unsent.get(id);
      if (list) list.push(...entries);
      else unsent.set(id, entries);
      if (!flushing) {
        flushing = true;
        setImmediate(flushLogs);
      }
    };
  }
  runAcorn(pool, meter, plan, options)
    .then((result) => {
      if (controller.signal.aborted) return; // the supervisor has forgotten it
      flushRun(id);
      send({ type: 'result', id, result });
    })
    .catch((e: unknown) => {
      const error = { name: 'KilledError', message: `The sandbox failed: ${String(e)}`, stack: '' };
      const truncated = { logs: false, value: false };
      send({
        type: 'result',
        id,
        result: { status: 'killed', preview: '', logs: [], error, wallMs: 0, cpuMs: 0, truncated },
      });
    })
    .finally(() => {
      isolates.delete(id);
      controllers.delete(id);
      unsent.delete(id);
    });
});

// Without a supervisor there is nobody to serve.
process.on('disconnect', () => process.exit(0));

setInterval(
  () => send({ type: 'health', rss: process.memoryUsage.rss(), executing: [...executing] }),
  HEALTH_INTERVAL_MS,
);

// Start the TypeScript stripper's thread and load the parser now, not during somebody's run.
await prepareAcorn('typescript', 'const warm: number = 1;\nwarm');
send({ type: 'ready' });
