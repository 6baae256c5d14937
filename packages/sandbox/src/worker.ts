// A worker process: hosts the isolates of the runs the supervisor sends it, several at a time (each isolate runs
// on its own thread, so this process's main thread stays free to keep time). It may be SIGKILLed at any moment;
// it keeps no state worth saving.
import type { Settings } from './config.ts';
import { poolOptions } from './config.ts';
import { createCpuMeter } from './cpu-meter.ts';
import { IsolatePool } from './isolate-pool.ts';
import { runAcorn } from './isolate-runner.ts';
import { prepareAcorn } from './prepare.ts';
import { type FromWorker, HEALTH_INTERVAL_MS, type ToWorker } from './protocol.ts';

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const send = (message: FromWorker) => {
  if (process.connected) process.send?.(message);
};
const executing = new Set<number>();
const meter = createCpuMeter();
const pool = new IsolatePool(
  poolOptions(settings, (message) => send({ type: 'catastrophic', message, executing: [...executing] })),
);

process.on('message', (message: ToWorker) => {
  if (message.type !== 'run') return;
  const { id, plan } = message;
  const onExecuting = (now: boolean) => (now ? executing.add(id) : executing.delete(id));
  runAcorn(pool, meter, plan, { onExecuting })
    .then((result) => send({ type: 'result', id, result }))
    .catch((e: unknown) => {
      const error = { name: 'KilledError', message: `The sandbox failed: ${String(e)}`, stack: '' };
      const truncated = { logs: false, value: false };
      send({
        type: 'result',
        id,
        result: { status: 'killed', preview: '', logs: [], error, wallMs: 0, cpuMs: 0, truncated },
      });
    });
});

// Without a supervisor there is nobody to serve.
process.on('disconnect', () => process.exit(0));

setInterval(
  () => send({ type: 'health', rss: process.memoryUsage.rss(), executing: [...executing] }),
  HEALTH_INTERVAL_MS,
);

// Load the TypeScript stripper and parser now, not during somebody's run.
prepareAcorn('typescript', 'const warm: number = 1;\nwarm');
send({ type: 'ready' });
