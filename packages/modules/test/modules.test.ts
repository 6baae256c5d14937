// Every package in the set, evaluated from its real artifact in a bare context, doing its typical job.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createBareContext } from '../src/bare-context.ts';
import { moduleSet } from '../src/set.ts';
import { load } from './helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: the namespaces are untyped script results
type Any = any;
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const checks: Record<string, () => void> = {
  zod() {
    const { z, default: zDefault }: Any = load('zod');
    expect(zDefault.object).toBe(z.object);
    const User = z.object({ name: z.string().min(1), age: z.number().int() });
    expect(User.parse({ name: 'Ada', age: 36 })).toEqual({ name: 'Ada', age: 36 });
    const failed = User.safeParse({ name: '', age: 1.5 });
    expect(failed.success).toBe(false);
    expect(failed.error.issues.map((issue: Any) => issue.path.join('.'))).toEqual(['name', 'age']);
    expect(() => User.parse({})).toThrow();
  },
  'lodash-es'() {
    const { chunk, default: _ }: Any = load('lodash-es');
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(
      _.chain([3, 1, 2])
        .sortBy()
        .map((n: number) => n * 10)
        .value(),
    ).toEqual([10, 20, 30]);
  },
  'date-fns'() {
    const { addDays, format, differenceInCalendarDays }: Any = load('date-fns');
    const day = addDays(new Date(2024, 0, 30), 3);
    expect(format(day, 'yyyy-MM-dd')).toBe('2024-02-02');
    expect(format(day, 'EEEE, MMMM do')).toBe('Friday, February 2nd');
    expect(differenceInCalendarDays(new Date(2024, 2, 1), new Date(2024, 1, 1))).toBe(29);
  },
  dayjs() {
    const { default: dayjs }: Any = load('dayjs');
    expect(dayjs('2024-01-30').add(3, 'day').format('YYYY-MM-DD')).toBe('2024-02-02');
    expect(dayjs('2024-02-02').diff(dayjs('2024-01-30'), 'day')).toBe(3);
  },
  uuid() {
    const { v4, v5, v7, validate, version }: Any = load('uuid');
    const id = v4();
    expect(id).toMatch(uuidV4);
    expect(validate(id)).toBe(true);
    expect(validate('not-a-uuid')).toBe(false);
    expect(v5('hello.example.com', v5.DNS)).toBe('fdda765f-fc57-5604-a269-52a7df8164ec');
    expect(version(v7())).toBe(7);
  },
  nanoid() {
    const { nanoid, customAlphabet }: Any = load('nanoid');
    expect(nanoid()).toMatch(/^[\w-]{21}$/);
    expect(nanoid(10)).toHaveLength(10);
    expect(customAlphabet('ab', 8)()).toMatch(/^[ab]{8}$/);
  },
  ramda() {
    const { pipe, add, multiply, default: R }: Any = load('ramda');
    expect(pipe(add(1), multiply(2))(3)).toBe(8);
    expect(R.groupBy((n: number) => (n % 2 ? 'odd' : 'even'))([1, 2, 3])).toEqual({ odd: [1, 3], even: [2] });
  },
  immer() {
    const { produce }: Any = load('immer');
    const base = { todos: [{ title: 'a', done: false }] };
    const next = produce(base, (draft: Any) => {
      draft.todos[0].done = true;
      draft.todos.push({ title: 'b', done: false });
    });
    expect(next).toEqual({
      todos: [
        { title: 'a', done: true },
        { title: 'b', done: false },
      ],
    });
    expect(base.todos).toHaveLength(1);
    expect(Object.isFrozen(next)).toBe(true);
  },
  yaml() {
    const { parse, stringify, default: YAML }: Any = load('yaml');
    expect(parse('a: 1\nb: [x, y]\nc: { d: true }\n')).toEqual({ a: 1, b: ['x', 'y'], c: { d: true } });
    expect(stringify({ a: 1, b: ['x'] })).toBe('a: 1\nb:\n  - x\n');
    expect(YAML.parse).toBe(parse);
  },
  marked() {
    const { marked, parse }: Any = load('marked');
    expect(parse('# Hi\n\nSome **bold** text')).toBe('<h1>Hi</h1>\n<p>Some <strong>bold</strong> text</p>\n');
    expect(marked.parse('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
  },
  papaparse() {
    const { default: Papa, parse }: Any = load('papaparse');
    const result = Papa.parse('name,qty\napple,2\npear,5', { header: true, dynamicTyping: true });
    expect(result.data).toEqual([
      { name: 'apple', qty: 2 },
      { name: 'pear', qty: 5 },
    ]);
    expect(result.errors).toEqual([]);
    expect(parse('a,"b,c"').data).toEqual([['a', 'b,c']]);
    expect(Papa.unparse([{ a: 1, b: 'x' }])).toBe('a,b\r\n1,x');
  },
  valibot() {
    const v: Any = load('valibot');
    const User = v.object({ email: v.pipe(v.string(), v.email()), age: v.number() });
    expect(v.parse(User, { email: 'a@b.co', age: 3 })).toEqual({ email: 'a@b.co', age: 3 });
    const failed = v.safeParse(User, { email: 'nope', age: 3 });
    expect(failed.success).toBe(false);
    expect(failed.issues[0].path[0].key).toBe('email');
    expect(() => v.parse(User, {})).toThrow(/Invalid/);
  },
  'decimal.js'() {
    const { default: Decimal, Decimal: Named }: Any = load('decimal.js');
    expect(Named).toBe(Decimal);
    expect(new Decimal(0.1).plus(0.2).toString()).toBe('0.3');
    expect(new Decimal(2).sqrt().toFixed(10)).toBe('1.4142135624');
    expect(Decimal.random(8).toString()).toMatch(/^0\.\d{1,8}$/);
  },
  'change-case'() {
    const { camelCase, snakeCase, kebabCase }: Any = load('change-case');
    expect(camelCase('hello world-foo')).toBe('helloWorldFoo');
    expect(snakeCase('helloWorld')).toBe('hello_world');
    expect(kebabCase('Hello World')).toBe('hello-world');
  },
  ms() {
    const { default: ms }: Any = load('ms');
    expect(ms('2h')).toBe(7_200_000);
    expect(ms('1.5 days')).toBe(129_600_000);
    expect(ms(60_000)).toBe('1m');
    expect(ms(60_000, { long: true })).toBe('1 minute');
  },
  'fast-deep-equal'() {
    // Objects made in the context: equal compares valueOf with its own realm's Object.prototype.valueOf.
    const context = createBareContext();
    context.equal = load('fast-deep-equal', context).default;
    expect(vm.runInContext(`equal({ a: [1, { b: 2 }], c: 'x' }, { a: [1, { b: 2 }], c: 'x' })`, context)).toBe(true);
    expect(vm.runInContext('equal({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })', context)).toBe(false);
    expect(vm.runInContext('equal(new Date(0), new Date(0)) && !equal(/a/g, /a/i)', context)).toBe(true);
  },
};

describe('every module in the set works in a bare context', () => {
  it('has a check for each package', () => {
    expect(Object.keys(checks).sort()).toEqual(moduleSet.map(({ name }) => name).sort());
  });

  for (const [name, check] of Object.entries(checks)) it(name, check);
});

describe('dayjs plugins', () => {
  it('extend dayjs in the same context', () => {
    const context = createBareContext();
    const { default: dayjs }: Any = load('dayjs', context);
    for (const plugin of ['utc', 'timezone', 'relativeTime', 'duration', 'customParseFormat']) {
      dayjs.extend(load(`dayjs/plugin/${plugin}`, context).default);
    }
    expect(dayjs.utc('2024-01-01T12:00:00Z').format()).toBe('2024-01-01T12:00:00Z');
    expect(dayjs.tz('2024-06-01 12:00', 'America/New_York').utc().format()).toBe('2024-06-01T16:00:00Z');
    expect(dayjs('2024-01-01').from(dayjs('2024-01-03'))).toBe('2 days ago');
    expect(dayjs.duration(90, 'minutes').asHours()).toBe(1.5);
    expect(dayjs('05/02/2024', 'DD/MM/YYYY').format('YYYY-MM-DD')).toBe('2024-02-05');
  });
});
