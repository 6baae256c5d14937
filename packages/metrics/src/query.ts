/** The admin metrics query rules: which ranges and steps the API accepts, with defaults. */
import { type FieldIssue, MetricsQuery, type MetricsStep } from '@squirrelbin/schemas';

export interface MetricsRange {
  /** Epoch ms. */
  from: number;
  /** Epoch ms, never after `now`. */
  to: number;
  step: MetricsStep;
}

export type ParsedMetricsQuery = { ok: true; value: MetricsRange } | { ok: false; errors: FieldIssue[] };

const hour = 3_600_000;
const day = 24 * hour;

/** The longest range each step may cover: about 1,440–2,160 points per endpoint. */
export const maxRangeMs: Record<MetricsStep, number> = { '1m': day, '5m': 7 * day, '1h': 90 * day };

const maxRangeText: Record<MetricsStep, string> = { '1m': '24 hours', '5m': '7 days', '1h': '90 days' };

/** Defaults: the hour before `to`, `to` = now, step `1m`. */
export const defaultRangeMs = hour;

const instant = (text: string) => (/^\d+$/.test(text) ? Number(text) : Date.parse(text));

/**
 * Validates `?from&to&step` (ISO 8601 or epoch ms; steps `1m`, `5m`, `1h`). A `to` in the future
 * is clamped to `now`; a range longer than the step allows, or `from` after `to`, is an error.
 */
export function parseMetricsQuery(query: Record<string, string | undefined>, now: number): ParsedMetricsQuery {
  const defined = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  const parsed = MetricsQuery.safeParse(defined);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    };
  }
  const { step } = parsed.data;
  const errors: FieldIssue[] = [];
  let to = parsed.data.to === undefined ? now : instant(parsed.data.to);
  let from = parsed.data.from === undefined ? undefined : instant(parsed.data.from);
  if (Number.isNaN(to)) errors.push({ path: 'to', message: 'Not a valid time' });
  if (from !== undefined && Number.isNaN(from)) errors.push({ path: 'from', message: 'Not a valid time' });
  if (errors.length > 0) return { ok: false, errors };
  if (to > now) to = now;
  from ??= to - defaultRangeMs;
  if (from > to) return { ok: false, errors: [{ path: 'from', message: 'from must not be after to' }] };
  if (to - from > maxRangeMs[step]) {
    return {
      ok: false,
      errors: [
        {
          path: 'from',
          message: `At step ${step} a range can span at most ${maxRangeText[step]}; use a larger step`,
        },
      ],
    };
  }
  return { ok: true, value: { from, to, step } };
}
