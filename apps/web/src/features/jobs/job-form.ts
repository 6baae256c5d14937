/**
 * The load-test form as typed, checked into a CreateJobBody with one message per bad field. The API checks the same
 * bounds (jobLimits, the 16 KiB input limit); checking here says what is wrong before anything is sent, and keeps
 * zod out of the acorn page.
 */
import { type CreateJobBody, fieldLimits, type JobKind, utf8Bytes } from '@squirrelbin/schemas';
import { jobLimits } from './job-limits';

export interface JobFormFields {
  kind: JobKind;
  /** Load: how many runs. */
  iterations: string;
  /** Runs in flight at once; optional for a batch. */
  concurrency: string;
  /** Load: the JSON input of every run (empty: none). */
  input: string;
  /** Batch: a JSON array, one run per element. */
  inputs: string;
}

export type JobFormField = 'iterations' | 'concurrency' | 'input' | 'inputs';
export type JobFormErrors = Partial<Record<JobFormField, string>>;

export type JobFormResult = { ok: true; body: CreateJobBody } | { ok: false; errors: JobFormErrors };

export const initialJobForm: JobFormFields = {
  kind: 'load',
  iterations: '100',
  concurrency: '4',
  input: '',
  inputs: '',
};

const numberFormat = new Intl.NumberFormat('en');

/** A whole number from what was typed; group separators (`10,000`, `10_000`, `10 000`) are allowed. */
function wholeNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/[,_\s]/g, '');
  return /^\d+$/.test(cleaned) ? Number(cleaned) : undefined;
}

function checkRange(text: string, what: string, max: number): { value?: number; error?: string } {
  const value = wholeNumber(text);
  const range = `from 1 to ${numberFormat.format(max)}`;
  if (text.trim() === '') return { error: `Enter the ${what}, ${range}.` };
  if (value === undefined) return { error: `The ${what} must be a whole number ${range}.` };
  if (value < 1 || value > max) return { error: `The ${what} must be ${range}.` };
  return { value };
}

function tooLarge(value: unknown): boolean {
  return utf8Bytes(JSON.stringify(value) ?? '') > fieldLimits.inputMaxBytes;
}

/** The API refuses a larger request body (413) before reading it (DESIGN.md, "Limits"). */
const requestBodyMaxBytes = 1024 * 1024;

const inputLimit = `${fieldLimits.inputMaxBytes / 1024} KiB`;

export function toCreateJobBody(fields: JobFormFields): JobFormResult {
  const errors: JobFormErrors = {};
  if (fields.kind === 'load') {
    const iterations = checkRange(fields.iterations, 'number of iterations', jobLimits.iterationsMax);
    const concurrency = checkRange(fields.concurrency, 'concurrency', jobLimits.concurrencyMax);
    if (iterations.error) errors.iterations = iterations.error;
    if (concurrency.error) errors.concurrency = concurrency.error;
    let input: unknown;
    if (fields.input.trim() !== '') {
      try {
        input = JSON.parse(fields.input);
        if (tooLarge(input)) errors.input = `The input is over ${inputLimit} as JSON.`;
      } catch (error) {
        errors.input = `The input is not JSON: ${(error as Error).message}`;
      }
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    return {
      ok: true,
      body: {
        kind: 'load',
        iterations: iterations.value!,
        concurrency: concurrency.value!,
        ...(input === undefined ? {} : { input }),
      },
    };
  }

  let concurrency: number | undefined;
  if (fields.concurrency.trim() !== '') {
    const checked = checkRange(fields.concurrency, 'concurrency', jobLimits.concurrencyMax);
    if (checked.error) errors.concurrency = checked.error;
    concurrency = checked.value;
  }
  const inputs = parseInputs(fields.inputs);
  if (!inputs.ok) errors.inputs = inputs.message;
  if (!inputs.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: { kind: 'batch', inputs: inputs.value, ...(concurrency ? { concurrency } : {}) } };
}

/** A batch's inputs: a JSON array of 1 to 1,000 elements, each within the run input limit. */
export function parseInputs(text: string): { ok: true; value: unknown[] } | { ok: false; message: string } {
  const max = numberFormat.format(jobLimits.batchInputsMax);
  if (text.trim() === '') return { ok: false, message: `Enter a JSON array of inputs (1 to ${max}), e.g. [1, 2, 3].` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `The inputs are not JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(value)) return { ok: false, message: 'The inputs must be a JSON array: one run per element.' };
  if (value.length === 0) return { ok: false, message: 'The array is empty: give at least one input.' };
  if (value.length > jobLimits.batchInputsMax) {
    return {
      ok: false,
      message: `${numberFormat.format(value.length)} inputs: a batch takes at most ${max}.`,
    };
  }
  const large = value.findIndex(tooLarge);
  if (large >= 0) return { ok: false, message: `Input ${large} is over ${inputLimit} as JSON.` };
  if (utf8Bytes(JSON.stringify(value)) > requestBodyMaxBytes) {
    return { ok: false, message: 'The inputs are over 1 MiB as JSON, the most one request may send.' };
  }
  return { ok: true, value };
}

/** Which form field a server-side issue (`iterations`, `inputs.3`, `/input`) is about, if any. */
export function fieldOfIssue(path: string): JobFormField | undefined {
  const head = path.replace(/^[/$.]+/, '').split(/[./[]/)[0];
  return head === 'iterations' || head === 'concurrency' || head === 'input' || head === 'inputs' ? head : undefined;
}
