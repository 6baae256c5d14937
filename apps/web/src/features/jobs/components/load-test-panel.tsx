/**
 * An acorn's load tests and batches (for a caller with a key): start one, watch it live, page through its results,
 * cancel it, and reopen past ones. Loaded lazily by the acorn page, so a shared link's first load does not grow.
 */
import type { Acorn, Job } from '@squirrelbin/schemas';
import { useEffect, useId, useRef, useState } from 'react';
import { useJobs } from '../api/list-jobs';
import { hasEnded } from '../job-limits';
import { JobForm } from './job-form';
import { JobList } from './job-list';
import { JobView } from './job-view';
import './jobs.css';

export interface LoadTestPanelProps {
  /** The saved acorn: jobs run its stored version, never the editor's text. */
  acorn: Acorn;
  /** The editor has changes the stored acorn does not. */
  dirty: boolean;
}

export default function LoadTestPanel({ acorn, dirty }: LoadTestPanelProps) {
  const id = useId();
  const [selected, setSelected] = useState<Job | undefined>();
  useShowActiveJob(acorn.id, selected, setSelected);

  return (
    <section className="load-test-panel card" aria-labelledby={`${id}-title`} data-testid="load-test-panel">
      <h2 id={`${id}-title`}>Load test</h2>
      <p className="muted small">
        Runs the saved acorn on the server many times — the same input over and over, or one run per input of a batch —
        and records every run: progress, latency percentiles and each result. Only you see your jobs.
      </p>
      {dirty ? (
        <p className="notice small" data-testid="job-dirty-note">
          Jobs run version {acorn.version} as saved; your unsaved changes are not part of them.
        </p>
      ) : null}
      <JobForm acornId={acorn.id} onStarted={setSelected} />
      {selected ? <JobView key={selected.id} jobId={selected.id} placeholder={selected} /> : null}
      <section aria-labelledby={`${id}-past`} className="job-past">
        <h3 id={`${id}-past`}>Past jobs</h3>
        <JobList acornId={acorn.id} selectedId={selected?.id} onSelect={setSelected} />
      </section>
    </section>
  );
}

/** Opening the page while a job of yours runs on this acorn shows that job (once, the newest). */
function useShowActiveJob(acornId: string, selected: Job | undefined, select: (job: Job) => void) {
  const jobs = useJobs(acornId);
  const looked = useRef(false);
  const newest = jobs.data?.pages[0]?.items[0];
  useEffect(() => {
    if (looked.current || !jobs.data) return;
    looked.current = true;
    if (!selected && newest && !hasEnded(newest)) select(newest);
  }, [jobs.data, newest, selected, select]);
}
