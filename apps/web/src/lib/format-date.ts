/** One date format for the whole app: medium date, short time, in the browser's time zone. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeZone = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
const timeZone = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
const timeSeconds = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

/** `3 Mar 2026, 14:05`; with `zone`, `3 Mar 2026, 14:05 CET` (where the reader must know which clock). */
export function formatDateTime(iso: string | Date, { zone = false }: { zone?: boolean } = {}): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return (zone ? dateTimeZone : dateTime).format(date);
}

/** `14:05 CET`. */
export function formatTime(iso: string | Date): string {
  return timeZone.format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** `14:05:09`: for events a few seconds apart (endpoint calls), beside a full date where the zone matters. */
export function formatTimeSeconds(iso: string | Date): string {
  return timeSeconds.format(typeof iso === 'string' ? new Date(iso) : iso);
}
