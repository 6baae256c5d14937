import { AcornId, IdentityKey, jobLimits, RunLimits, Visibility } from '@squirrelbin/schemas';
import { describe, expect, it } from 'vitest';
import { bounds } from './bounds.ts';

describe('the CLI’s copy of the API bounds', () => {
  it('matches @squirrelbin/schemas', () => {
    const timeout = RunLimits.shape.timeoutMs.unwrap();
    expect(bounds.timeoutMs).toEqual({ min: timeout.minValue, max: timeout.maxValue });
    expect(bounds.iterationsMax).toBe(jobLimits.iterationsMax);
    expect(bounds.concurrencyMax).toBe(jobLimits.concurrencyMax);
    expect(bounds.visibilities).toEqual(Visibility.options);
    for (const id of [
      'a'.repeat(15),
      'a'.repeat(16),
      'a'.repeat(64),
      'a'.repeat(65),
      `${'a'.repeat(16)}.`,
      'A-_9'.repeat(5),
    ]) {
      expect(bounds.acornId.test(id), id).toBe(AcornId.safeParse(id).success);
    }
    for (const key of [
      'sqb_',
      `sqb_${'k'.repeat(19)}`,
      `sqb_${'k'.repeat(20)}`,
      `sqb_${'k'.repeat(100)}`,
      `sqb_${'k'.repeat(101)}`,
      `sqb_${'k'.repeat(20)}!`,
      `sqx_${'k'.repeat(30)}`,
    ]) {
      expect(bounds.identityKey.test(key), key).toBe(IdentityKey.safeParse(key).success);
    }
  });
});
