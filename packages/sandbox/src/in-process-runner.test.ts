import { afterAll, describe, expect, it } from 'vitest';
import { createInProcessRunner } from './in-process-runner.ts';

const runner = createInProcessRunner({ defaults: { timeoutMs: 500 } });
afterAll(() => runner.close());

describe('in-process runner', () => {
  it('runs an acorn in this process', async () => {
    const r = await runner.run({
      owner: 'lambda',
      language: 'typescript',
      code: 'const n: number = input.n;\nn * 2',
      input: { n: 4 },
    });
    expect(r).toMatchObject({ status: 'ok', value: 8 });
    expect(runner.mustExit).toBe(false);
  });

  it('ends a runaway acorn at its deadline and stays usable', async () => {
    expect((await runner.run({ owner: 'lambda', language: 'javascript', code: 'while (true) {}' })).status).toBe(
      'timeout',
    );
    expect((await runner.run({ owner: 'lambda', language: 'javascript', code: '1 + 2' })).value).toBe(3);
  });

  // Last: it breaks Node's TypeScript stripper in this thread for good, as it would a Lambda's.
  it('asks to be replaced once the TypeScript stripper may be broken', async () => {
    const r = await runner.run({ owner: 'lambda', language: 'typescript', code: `let x = ${'!'.repeat(10_000)}1;` });
    expect(r).toMatchObject({ status: 'error', error: { name: 'TypeScriptError' } });
    expect(runner.mustExit).toBe(true);
  });
});
