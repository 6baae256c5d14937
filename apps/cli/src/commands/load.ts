/**
 * `load <id> -n N -c C [--input JSON]`: starts a load job, shows its progress (a bar on a TTY), waits for it to
 * finish and prints the summary. Ctrl-C cancels the job (no new iteration starts) and still prints where it got.
 */
import type { Job } from '@squirrelbin/schemas';
import type { Command } from 'commander';
import { bounds } from '../bounds.ts';
import { ExitError, exitCodes } from '../exit.ts';
import { integerIn, readJsonInput } from '../inputs.ts';
import type { Output } from '../output.ts';
import { type CliContext, openSession } from '../session.ts';

interface LoadOptions {
  iterations: number;
  concurrency: number;
  input?: string;
  json?: boolean;
}

export function loadCommand(program: Command, context: CliContext): void {
  program
    .command('load')
    .description('load-test a saved acorn: N runs at concurrency C as a job on the server; waits and summarises')
    .argument('<id>', 'the acorn (its current version runs)')
    .requiredOption(
      '-n, --iterations <n>',
      `how many runs (1–${bounds.iterationsMax})`,
      integerIn(1, bounds.iterationsMax),
    )
    .requiredOption(
      '-c, --concurrency <c>',
      `runs in flight at once (1–${bounds.concurrencyMax})`,
      integerIn(1, bounds.concurrencyMax),
    )
    .option('--input <json|@file>', 'the same input for every run, as JSON (or @file holding JSON)')
    .option('--json', 'print the finished job as JSON')
    .action(async (id: string, options: LoadOptions) => {
      const input = await readJsonInput(context.settings.cwd, options.input);
      const { out, client } = await openSession(context, options);
      const started = await client.createJob(id, {
        kind: 'load',
        iterations: options.iterations,
        concurrency: options.concurrency,
        ...(input === undefined ? {} : { input }),
      });
      if (!out.json)
        out.note(out.err('dim', `job ${started.id}: ${started.total} runs of ${id} v${started.acornVersion}`));
      const bar = out.progress('load');
      bar.update(started.done, started.total);
      const controller = new AbortController();
      let interrupted = false;
      const onInterrupt = () => {
        if (interrupted) {
          controller.abort();
          return;
        }
        interrupted = true;
        bar.done();
        out.note('cancelling the job (Ctrl-C again to stop waiting)…');
        client.cancelJob(started.id).catch(() => controller.abort());
      };
      process.on('SIGINT', onInterrupt);
      let job: Job;
      try {
        job = await client.watchJob(started.id, {
          signal: controller.signal,
          onProgress: (progress) => bar.update(progress.done, progress.total, rate(progress)),
        });
      } catch (error) {
        if (controller.signal.aborted) throw new ExitError(130, `stopped waiting; job ${started.id} is cancelled`);
        throw error;
      } finally {
        process.off('SIGINT', onInterrupt);
        bar.done();
      }
      if (out.json) out.document(job);
      else printSummary(out, job);
      if (job.status !== 'succeeded') {
        throw new ExitError(interrupted ? 130 : exitCodes.server, `job ${job.id} ended ${job.status}`);
      }
      const failed = job.total > 0 && job.counts.ok < job.done;
      if (failed)
        throw new ExitError(exitCodes.acornFailed, `${job.done - job.counts.ok} of ${job.done} runs did not end ok`);
    });
}

const rate = (job: Job) => (job.runsPerSecond > 0 ? `${job.runsPerSecond.toFixed(1)} runs/s` : '');

const ms = (value: number | null) => (value === null ? '–' : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`);

function printSummary(out: Output, job: Job): void {
  const seconds =
    job.startedAt && job.finishedAt ? (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1_000 : undefined;
  const status = out.out(job.status === 'succeeded' ? 'green' : 'red', job.status);
  out.line(
    `job ${job.id} ${status}: ${job.done}/${job.total} runs` +
      `${seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`}, ${job.runsPerSecond.toFixed(1)} runs/s, ` +
      `concurrency ${job.concurrency}`,
  );
  const counts = Object.entries(job.counts)
    .map(([name, count]) => (count > 0 && name !== 'ok' ? out.out('red', `${name} ${count}`) : `${name} ${count}`))
    .join(' · ');
  out.line(`  ${counts}`);
  const { wallMs, cpuMs } = job;
  out.line(`  wall  p50 ${ms(wallMs.p50)} · p95 ${ms(wallMs.p95)} · p99 ${ms(wallMs.p99)} · max ${ms(wallMs.max)}`);
  out.line(`  cpu   p50 ${ms(cpuMs.p50)} · p95 ${ms(cpuMs.p95)} · p99 ${ms(cpuMs.p99)}`);
  if (job.errors.length > 0) {
    out.line('  first failures:');
    for (const error of job.errors) out.line(`    #${error.iteration} ${error.name}: ${error.message}`);
  }
}
