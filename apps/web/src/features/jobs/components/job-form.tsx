import type { Job, JobKind } from '@squirrelbin/schemas';
import { type FormEvent, useId, useRef, useState } from 'react';
import { describeError, ErrorMessage } from '../../../components/query-status';
import { isApiError } from '../../../lib/api-client';
import { useCreateJob } from '../api/create-job';
import {
  fieldOfIssue,
  initialJobForm,
  type JobFormErrors,
  type JobFormField,
  type JobFormFields,
  parseInputs,
  toCreateJobBody,
} from '../job-form';
import { formatCount } from '../job-format';
import { jobLimits } from '../job-limits';

const fieldOrder: JobFormField[] = ['iterations', 'inputs', 'concurrency', 'input'];

/** Starts a load test (one input, many runs) or a batch (one run per input) on the saved acorn. */
export function JobForm({ acornId, onStarted }: { acornId: string; onStarted: (job: Job) => void }) {
  const id = useId();
  const create = useCreateJob(acornId);
  const [fields, setFields] = useState<JobFormFields>(initialJobForm);
  const [errors, setErrors] = useState<JobFormErrors>({});
  const form = useRef<HTMLFormElement>(null);

  const set = (name: keyof JobFormFields, value: string) => {
    setFields((current) => ({ ...current, [name]: value }));
    if (name in errors) setErrors((current) => ({ ...current, [name]: undefined }));
  };

  const focusFirst = (found: JobFormErrors) => {
    const first = fieldOrder.find((name) => found[name]);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const checked = toCreateJobBody(fields);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirst(checked.errors);
      return;
    }
    setErrors({});
    create.mutate(checked.body, {
      onSuccess: onStarted,
      onError: (error) => {
        // The server's own checks name the fields: show each at its field.
        if (!isApiError(error, 400)) return;
        const found: JobFormErrors = {};
        for (const issue of error.errors) {
          const field = fieldOfIssue(issue.path);
          if (field && !found[field]) found[field] = issue.message;
        }
        setErrors(found);
        focusFirst(found);
      },
    });
  };

  const field = (name: JobFormField) => ({
    id: `${id}-${name}`,
    name,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': [`${id}-${name}-hint`, errors[name] ? `${id}-${name}-error` : ''].join(' ').trim(),
  });
  const fieldError = (name: JobFormField) =>
    errors[name] ? (
      <p id={`${id}-${name}-error`} className="field-error" data-testid={`job-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  const batchCount = fields.kind === 'batch' ? parseInputs(fields.inputs) : undefined;
  // 429 from the job limit (not the request rate limit, which the generic message explains with its wait).
  const tooManyJobs = isApiError(create.error, 429) && create.error.type !== 'rate-limited';

  return (
    <form ref={form} className="job-form" onSubmit={submit} noValidate data-testid="job-form">
      <fieldset className="plain-fieldset job-kind">
        <legend className="label">What to run</legend>
        {(
          [
            ['load', 'Load test', 'the same input, many times'],
            ['batch', 'Batch', 'one run per input'],
          ] as [JobKind, string, string][]
        ).map(([kind, label, hint]) => (
          <label key={kind} className="job-kind-option">
            <input
              type="radio"
              name="kind"
              value={kind}
              checked={fields.kind === kind}
              onChange={() => set('kind', kind)}
              data-testid={`job-kind-${kind}`}
            />{' '}
            {label} <span className="muted small">({hint})</span>
          </label>
        ))}
      </fieldset>
      <div className="job-fields">
        {fields.kind === 'load' ? (
          <div className="field">
            <label htmlFor={`${id}-iterations`}>Iterations</label>
            <input
              {...field('iterations')}
              type="number"
              inputMode="numeric"
              min={1}
              max={jobLimits.iterationsMax}
              step={1}
              value={fields.iterations}
              onChange={(event) => set('iterations', event.target.value)}
              data-testid="job-iterations"
            />
            <p id={`${id}-iterations-hint`} className="muted small">
              1 to {formatCount(jobLimits.iterationsMax)}
            </p>
            {fieldError('iterations')}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-concurrency`}>Concurrency{fields.kind === 'batch' ? ' (optional)' : ''}</label>
          <input
            {...field('concurrency')}
            type="number"
            inputMode="numeric"
            min={1}
            max={jobLimits.concurrencyMax}
            step={1}
            placeholder={fields.kind === 'batch' ? String(jobLimits.batchConcurrencyDefault) : undefined}
            value={fields.concurrency}
            onChange={(event) => set('concurrency', event.target.value)}
            data-testid="job-concurrency"
          />
          <p id={`${id}-concurrency-hint`} className="muted small">
            Runs at once, 1 to {jobLimits.concurrencyMax}
            {fields.kind === 'batch' ? `; ${jobLimits.batchConcurrencyDefault} when empty` : ''}
          </p>
          {fieldError('concurrency')}
        </div>
      </div>
      {fields.kind === 'load' ? (
        <div className="field">
          <label htmlFor={`${id}-input`}>Input of every run (JSON, optional)</label>
          <textarea
            {...field('input')}
            className="mono"
            rows={2}
            spellCheck={false}
            placeholder='e.g. {"name": "Squirrel"}'
            value={fields.input}
            onChange={(event) => set('input', event.target.value)}
            data-testid="job-input"
          />
          <p id={`${id}-input-hint`} className="muted small">
            The acorn gets it as <code>input</code>, as with Run.
          </p>
          {fieldError('input')}
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-inputs`}>Inputs (a JSON array: one run per element)</label>
          <textarea
            {...field('inputs')}
            className="mono"
            rows={4}
            spellCheck={false}
            placeholder='e.g. [1, 2, 3] or [{"name": "a"}, {"name": "b"}]'
            value={fields.inputs}
            onChange={(event) => set('inputs', event.target.value)}
            data-testid="job-inputs"
          />
          <p id={`${id}-inputs-hint`} className="muted small">
            {batchCount?.ok
              ? `${formatCount(batchCount.value.length)} ${batchCount.value.length === 1 ? 'input' : 'inputs'}: `
              : ''}
            1 to {formatCount(jobLimits.batchInputsMax)}; iteration <em>i</em> runs element <em>i</em>.
          </p>
          {fieldError('inputs')}
        </div>
      )}
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={create.isPending} data-testid="job-start">
          {create.isPending ? 'Starting…' : fields.kind === 'load' ? 'Start load test' : 'Start batch'}
        </button>
      </div>
      {tooManyJobs ? (
        <div className="error-box" role="alert" data-testid="job-start-error" data-reason="too-many-jobs">
          <strong>Not started: too many jobs queued or running</strong>
          <p>
            One key may have at most {jobLimits.activeJobsMax} jobs queued or running at once, on any acorn. Wait for
            one to finish or cancel one, then start this again.
          </p>
          <p className="muted small">The server said: {describeError(create.error)}</p>
        </div>
      ) : create.isError && !(isApiError(create.error, 400) && Object.values(errors).some(Boolean)) ? (
        <ErrorMessage error={create.error} title="Could not start the job" focus testId="job-start-error" />
      ) : null}
    </form>
  );
}
