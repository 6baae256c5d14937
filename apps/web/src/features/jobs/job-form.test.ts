import { CreateJobBody, fieldLimits } from '@squirrelbin/schemas';
import { describe, expect, it } from 'vitest';
import {
  fieldOfIssue,
  initialJobForm,
  type JobFormField,
  type JobFormFields,
  parseInputs,
  toCreateJobBody,
} from './job-form';

const load = (fields: Partial<JobFormFields>): JobFormFields => ({ ...initialJobForm, kind: 'load', ...fields });
const batch = (fields: Partial<JobFormFields>): JobFormFields => ({ ...initialJobForm, kind: 'batch', ...fields });

/** The body must be one the API's own schema accepts. */
function expectBody(fields: JobFormFields, body: unknown) {
  const result = toCreateJobBody(fields);
  expect(result).toEqual({ ok: true, body });
  expect(CreateJobBody.safeParse(body).success).toBe(true);
}

function expectErrors(fields: JobFormFields, errors: Partial<Record<JobFormField, RegExp>>) {
  const result = toCreateJobBody(fields);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(Object.keys(result.errors).sort()).toEqual(Object.keys(errors).sort());
  for (const [name, message] of Object.entries(errors)) expect(result.errors[name as JobFormField]).toMatch(message!);
}

describe('toCreateJobBody: load', () => {
  it('makes a load body from the numbers, without input when none is typed', () => {
    expectBody(load({ iterations: '200', concurrency: '8' }), { kind: 'load', iterations: 200, concurrency: 8 });
  });

  it('parses the input as JSON, null and falsy values included', () => {
    expectBody(load({ iterations: '1', concurrency: '1', input: ' {"n": 3} ' }), {
      kind: 'load',
      iterations: 1,
      concurrency: 1,
      input: { n: 3 },
    });
    expectBody(load({ iterations: '1', concurrency: '1', input: 'null' }), {
      kind: 'load',
      iterations: 1,
      concurrency: 1,
      input: null,
    });
    expectBody(load({ iterations: '1', concurrency: '1', input: '0' }), {
      kind: 'load',
      iterations: 1,
      concurrency: 1,
      input: 0,
    });
  });

  it('takes group separators and the bounds themselves', () => {
    expectBody(load({ iterations: '10,000', concurrency: '50' }), {
      kind: 'load',
      iterations: 10_000,
      concurrency: 50,
    });
    expectBody(load({ iterations: ' 5 000 ', concurrency: '1' }), { kind: 'load', iterations: 5000, concurrency: 1 });
  });

  it('refuses missing, fractional, negative and out-of-range numbers, naming the range', () => {
    expectErrors(load({ iterations: '', concurrency: '' }), {
      iterations: /Enter the number of iterations, from 1 to 10,000/,
      concurrency: /Enter the concurrency, from 1 to 50/,
    });
    expectErrors(load({ iterations: '2.5', concurrency: '-1' }), {
      iterations: /whole number from 1 to 10,000/,
      concurrency: /whole number from 1 to 50/,
    });
    expectErrors(load({ iterations: '10001', concurrency: '51' }), {
      iterations: /must be from 1 to 10,000/,
      concurrency: /must be from 1 to 50/,
    });
    expectErrors(load({ iterations: '0', concurrency: '4' }), { iterations: /from 1 to 10,000/ });
  });

  it('refuses an input that is not JSON or over the run input limit', () => {
    expectErrors(load({ input: '{nope' }), { input: /not JSON/ });
    expectErrors(load({ input: JSON.stringify('x'.repeat(fieldLimits.inputMaxBytes)) }), { input: /over 16 KiB/ });
  });

  it('agrees with the API schema on every number from 0 to 10,001 at the edges', () => {
    for (const iterations of [0, 1, 9_999, 10_000, 10_001]) {
      for (const concurrency of [0, 1, 50, 51]) {
        const result = toCreateJobBody(load({ iterations: String(iterations), concurrency: String(concurrency) }));
        const schema = CreateJobBody.safeParse({ kind: 'load', iterations, concurrency });
        expect(result.ok, `${iterations} × ${concurrency}`).toBe(schema.success);
      }
    }
  });
});

describe('toCreateJobBody: batch', () => {
  it('makes a batch body from a JSON array; concurrency is optional', () => {
    expectBody(batch({ inputs: '[1, "two", {"three": 3}, null]', concurrency: '' }), {
      kind: 'batch',
      inputs: [1, 'two', { three: 3 }, null],
    });
    expectBody(batch({ inputs: '[1]', concurrency: '2' }), { kind: 'batch', inputs: [1], concurrency: 2 });
  });

  it('ignores the load fields', () => {
    expectBody(batch({ inputs: '[1]', concurrency: '', iterations: 'oops', input: '{bad' }), {
      kind: 'batch',
      inputs: [1],
    });
  });

  it('refuses what is not a non-empty array of at most 1,000 inputs', () => {
    expectErrors(batch({ inputs: '' }), { inputs: /Enter a JSON array/ });
    expectErrors(batch({ inputs: '[1,' }), { inputs: /not JSON/ });
    expectErrors(batch({ inputs: '{"a": 1}' }), { inputs: /must be a JSON array/ });
    expectErrors(batch({ inputs: '[]' }), { inputs: /empty/ });
    expectErrors(batch({ inputs: JSON.stringify(Array.from({ length: 1001 }, (_, i) => i)) }), {
      inputs: /1,001 inputs: a batch takes at most 1,000/,
    });
    expectBody(batch({ inputs: JSON.stringify(Array.from({ length: 1000 }, (_, i) => i)), concurrency: '' }), {
      kind: 'batch',
      inputs: Array.from({ length: 1000 }, (_, i) => i),
    });
  });

  it('names an input over the run input limit, and a batch over the request limit', () => {
    const big = 'x'.repeat(fieldLimits.inputMaxBytes);
    expectErrors(batch({ inputs: JSON.stringify([1, big]) }), { inputs: /Input 1 is over 16 KiB/ });
    const many = Array.from({ length: 100 }, () => 'y'.repeat(fieldLimits.inputMaxBytes - 100));
    expectErrors(batch({ inputs: JSON.stringify(many) }), { inputs: /over 1 MiB/ });
  });

  it('checks the concurrency when one is typed', () => {
    expectErrors(batch({ inputs: '[1]', concurrency: '80' }), { concurrency: /from 1 to 50/ });
    expectErrors(batch({ inputs: '', concurrency: 'x' }), { inputs: /JSON array/, concurrency: /whole number/ });
  });

  it('parseInputs returns the array it read', () => {
    expect(parseInputs('[1, 2]')).toEqual({ ok: true, value: [1, 2] });
  });
});

describe('fieldOfIssue', () => {
  it('maps the paths a validation problem names to the form’s fields', () => {
    expect(fieldOfIssue('iterations')).toBe('iterations');
    expect(fieldOfIssue('inputs.3')).toBe('inputs');
    expect(fieldOfIssue('inputs[3]')).toBe('inputs');
    expect(fieldOfIssue('/concurrency')).toBe('concurrency');
    expect(fieldOfIssue('input')).toBe('input');
    expect(fieldOfIssue('kind')).toBeUndefined();
    expect(fieldOfIssue('')).toBeUndefined();
  });
});
