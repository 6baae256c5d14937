import { describe, expect, it } from 'vitest';
import { parseMetricsQuery } from './query.ts';

const now = Date.parse('2025-11-27T12:00:30.000Z');
const hour = 3_600_000;
const day = 24 * hour;

describe('parseMetricsQuery', () => {
  it('defaults to the last hour at 1m', () => {
    expect(parseMetricsQuery({}, now)).toEqual({ ok: true, value: { from: now - hour, to: now, step: '1m' } });
  });

  it('accepts ISO 8601 (with offsets) and epoch milliseconds', () => {
    expect(parseMetricsQuery({ from: '2025-11-27T10:00:00Z', to: String(now - hour), step: '5m' }, now)).toEqual({
      ok: true,
      value: { from: Date.parse('2025-11-27T10:00:00Z'), to: now - hour, step: '5m' },
    });
    const parsed = parseMetricsQuery({ from: '2025-11-27T11:00:00+01:00' }, now);
    expect(parsed).toEqual({ ok: true, value: { from: Date.parse('2025-11-27T10:00:00Z'), to: now, step: '1m' } });
  });

  it('defaults from to the hour before an explicit to', () => {
    const to = now - day;
    expect(parseMetricsQuery({ to: String(to) }, now)).toEqual({
      ok: true,
      value: { from: to - hour, to, step: '1m' },
    });
  });

  it('clamps a future to to now', () => {
    const parsed = parseMetricsQuery({ from: String(now - 2 * hour), to: String(now + 5 * day) }, now);
    expect(parsed).toEqual({ ok: true, value: { from: now - 2 * hour, to: now, step: '1m' } });
  });

  for (const [step, max] of [
    ['1m', day],
    ['5m', 7 * day],
    ['1h', 90 * day],
  ] as const) {
    it(`accepts ${max / day} days at ${step} and rejects one minute more`, () => {
      expect(parseMetricsQuery({ from: String(now - max), step }, now).ok).toBe(true);
      const rejected = parseMetricsQuery({ from: String(now - max - 60_000), step }, now);
      expect(rejected.ok).toBe(false);
      if (!rejected.ok) expect(rejected.errors[0]).toMatchObject({ path: 'from' });
    });
  }

  it('rejects from after to', () => {
    const parsed = parseMetricsQuery({ from: String(now - hour), to: String(now - 2 * hour) }, now);
    expect(parsed).toEqual({ ok: false, errors: [{ path: 'from', message: 'from must not be after to' }] });
  });

  it('rejects unparsable times, unknown steps and unknown parameters, naming each field', () => {
    const paths = (query: Record<string, string>) => {
      const parsed = parseMetricsQuery(query, now);
      return parsed.ok ? [] : parsed.errors.map((e) => e.path);
    };
    expect(paths({ from: 'yesterday' })).toEqual(['from']);
    expect(paths({ to: '2025-13-45T99:00:00Z' })).toEqual(['to']);
    expect(paths({ step: '10m' })).toEqual(['step']);
    expect(paths({ from: 'x', to: 'y' })).toEqual(['from', 'to']);
    expect(paths({ bucket: '1' })).toEqual(['']);
  });
});
