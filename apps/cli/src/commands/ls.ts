/** `ls [--mine] [-q TEXT] [--limit N]`: public acorns (or your own), newest first. */
import type { AcornList } from '@squirrelbin/schemas';
import type { Command } from 'commander';
import { integerIn } from '../inputs.ts';
import { type Output, printable } from '../output.ts';
import { type CliContext, openSession } from '../session.ts';

interface ListOptions {
  mine?: boolean;
  query?: string;
  limit: number;
  cursor?: string;
  json?: boolean;
}

/** The API's page size; more is read page by page. */
const pageMax = 100;

export function lsCommand(program: Command, context: CliContext): void {
  program
    .command('ls')
    .description('list public acorns, newest first (or your own with --mine)')
    .option('--mine', 'your own acorns, whatever their visibility')
    .option('-q, --query <text>', 'only acorns whose title matches')
    .option('--limit <n>', 'how many (1–1000)', integerIn(1, 1_000), 20)
    .option('--cursor <cursor>', 'continue after an earlier page (its nextCursor)')
    .option('--json', 'print {items, nextCursor} as JSON')
    .action(async (options: ListOptions) => {
      const { out, client } = await openSession(context, options);
      const list: AcornList = { items: [], nextCursor: options.cursor ?? null };
      do {
        const page = await client.listAcorns({
          mine: options.mine,
          q: options.query,
          limit: Math.min(pageMax, options.limit - list.items.length),
          cursor: list.nextCursor,
        });
        list.items.push(...page.items);
        list.nextCursor = page.nextCursor;
      } while (list.nextCursor && list.items.length < options.limit);
      if (out.json) return out.document(list);
      printTable(out, list, options);
    });
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function printTable(out: Output, { items, nextCursor }: AcornList, options: ListOptions): void {
  if (items.length === 0) {
    out.line('No acorns.');
    return;
  }
  const rows = items.map((acorn) => [
    acorn.id,
    shorten(printable(acorn.title), 48),
    acorn.language === 'typescript' ? 'ts' : 'js',
    acorn.visibility + (acorn.endpoint ? ' endpoint' : ''),
    acorn.updatedAt.slice(0, 16).replace('T', ' '),
  ]);
  const header = ['ID', 'TITLE', 'LANG', 'VISIBILITY', 'UPDATED (UTC)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  out.line(out.out('bold', format(header)));
  for (const row of rows) out.line(format(row));
  if (!nextCursor) return;
  const flags = `${options.mine ? ' --mine' : ''}${options.query ? ` -q ${JSON.stringify(options.query)}` : ''}`;
  out.line(out.out('dim', `more: squirrelbin ls${flags} --limit ${options.limit} --cursor ${nextCursor}`));
}
