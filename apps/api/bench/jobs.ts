/**
 * `npm run bench:jobs`: one run, two tables.
 * 1. Throughput of a trivial acorn (`1`): a load job at concurrency 8 and 50 (iterations/s from its own startedAt to
 *    finishedAt) beside `POST /api/run` of the same saved acorn over HTTP at the same concurrency. Goal: the job
 *    ≥ 90% of POST /api/run at the same concurrency. So that one caller can hold 50 runs in flight, the server
 *    runs with RUN_PER_OWNER=50 (the default, 2, would cap the HTTP side at 2 in flight).
 * 2. Fairness: another identity's interactive `POST /api/run` (one at a time), idle and while a 50-wide job runs.
 */
import { type Measurement, measure, printTable } from '@squirrelbin/sandbox/bench';
import type { Job } from '@squirrelbin/schemas';
import { startServerProcess } from '../test/server-process.ts';
import { httpClient } from './http.ts';

const durationMs = Number(process.env.BENCH_MS ?? 3000);
const iterations = Number(process.env.BENCH_JOB_ITERATIONS ?? 4000);
const { send, close } = httpClient(64);

const server = await startServerProcess({
  RUN_PER_OWNER: '50',
  RUN_QUEUE_PER_OWNER: '100',
  RUN_QUEUE: '200',
  ...(process.env.BENCH_ENV ? JSON.parse(process.env.BENCH_ENV) : {}),
});
const json = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
const newKey = async () =>
  (JSON.parse((await send(`${server.url}/api/identities`, 'POST', {})).text) as { key: string }).key;

interface JobRow {
  concurrency: number;
  jobPerSecond: number;
  runPerSecond: number;
}

try {
  const key = await newKey();
  const bystander = await newKey();
  const created = await send(
    `${server.url}/api/acorns`,
    'POST',
    json(key),
    JSON.stringify({ title: 'trivial', language: 'javascript', code: '1', visibility: 'public' }),
  );
  const acornId = (JSON.parse(created.text) as { id: string }).id;
  const runSaved = (who: string) => async () => {
    const reply = await send(`${server.url}/api/acorns/${acornId}/run`, 'POST', json(who), '{}');
    if (reply.status !== 200) throw new Error(`run: ${reply.status} ${reply.text}`);
  };
  const startJob = async (total: number, concurrency: number): Promise<string> => {
    const reply = await send(
      `${server.url}/api/acorns/${acornId}/jobs`,
      'POST',
      json(key),
      JSON.stringify({ kind: 'load', iterations: total, concurrency }),
    );
    if (reply.status !== 202) throw new Error(`job: ${reply.status} ${reply.text}`);
    return (JSON.parse(reply.text) as Job).id;
  };
  const readJob = async (id: string) =>
    JSON.parse((await send(`${server.url}/api/jobs/${id}`, 'GET', json(key))).text) as Job;
  const waitFor = async (id: string): Promise<Job> => {
    for (;;) {
      const job = await readJob(id);
      if (job.finishedAt) return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // Warm both paths.
  await measure('warm-up', 8, 1000, runSaved(key));
  await waitFor(await startJob(500, 8));

  const jobRows: JobRow[] = [];
  const runRows: Measurement[] = [];
  for (const concurrency of [8, 50]) {
    const run = await measure('POST /api/acorns/{id}/run', concurrency, durationMs, runSaved(key));
    runRows.push(run);
    const job = await waitFor(await startJob(iterations, concurrency));
    const seconds = (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;
    jobRows.push({ concurrency, jobPerSecond: job.total / seconds, runPerSecond: run.perSecond });
  }

  const fairness: Measurement[] = [];
  fairness.push(await measure('interactive run, idle', 1, durationMs, runSaved(bystander)));
  const wide = await startJob(10_000, 50);
  // Let the job reach its full width first.
  await new Promise((resolve) => setTimeout(resolve, 500));
  fairness.push(await measure('interactive run, during a 50-wide job', 1, durationMs, runSaved(bystander)));
  const during = await readJob(wide);
  await send(`${server.url}/api/jobs/${wide}`, 'DELETE', json(key));

  console.log(`\nbench:jobs — a trivial acorn; jobs of ${iterations} iterations; ${durationMs} ms per HTTP row\n`);
  console.log('| concurrency | job iterations/s | POST /api/acorns/{id}/run runs/s | job ÷ run |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const row of jobRows) {
    const ratio = (row.jobPerSecond / row.runPerSecond) * 100;
    console.log(
      `| ${row.concurrency} | ${row.jobPerSecond.toFixed(0)} | ${row.runPerSecond.toFixed(0)} | ${ratio.toFixed(0)}% |`,
    );
  }
  console.log('\nThe HTTP rows:\n');
  printTable(runRows);
  console.log('\nInteractive runs of another identity, one at a time:\n');
  printTable(fairness);
  const [idle, busy] = fairness as [Measurement, Measurement];
  console.log(
    `\nduring the job (${during.done} of 10000 done when measured, ${during.runsPerSecond} it/s): p50 ×${(busy.p50 / idle.p50).toFixed(1)}, p99 ×${(busy.p99 / idle.p99).toFixed(1)} of idle`,
  );
  console.log('goal: job throughput ≥ 90% of POST /api/run at the same concurrency');
} finally {
  close();
  await server.stop();
}
