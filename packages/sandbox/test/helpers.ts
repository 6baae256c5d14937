// Shared by the sandbox's test files: one real sandbox per file and a `run` that insists on a result.
import type { RunResult } from '@squirrelbin/schemas';
import { RunResult as RunResultSchema } from '@squirrelbin/schemas';
import { expect } from 'vitest';
import type { RunRequest, Sandbox } from '../src/index.ts';

export type RunOptions = Partial<Omit<RunRequest, 'code'>>;

export function runner(sandbox: () => Sandbox) {
  return async (code: string, options: RunOptions = {}): Promise<RunResult> => {
    const result = await sandbox().run({ owner: 'tester', language: 'javascript', code, ...options });
    if (!('status' in result)) throw new Error(`rejected: ${JSON.stringify(result)}`);
    expect(RunResultSchema.safeParse(result).success).toBe(true);
    return result;
  };
}
