/**
 * What an acorn's global scope holds beyond standard ECMAScript, as a declaration file for the type checker (see
 * the sandbox in DESIGN.md): `input`, `console`, host-driven timers, and the few web globals every run gets.
 * Written by hand, not the DOM lib: the sandbox has no `document`, `fetch`, `Blob` or streams, so a check against
 * the DOM lib would accept code that fails at run time.
 */
export const acornGlobalsFileName = '/acorn-globals.d.ts';

export const acornGlobals = `
/**
 * The JSON the caller sent as the run's \`input\` (undefined when none was sent). A module acorn's default export
 * also receives it as its argument.
 */
declare const input: unknown;

interface Console {
  /** Logs the data as an error when \`condition\` is falsy. */
  assert(condition?: boolean, ...data: any[]): void;
  /** Logs how many times it was called with this label. */
  count(label?: string): void;
  /** Does nothing: the output is not a terminal. */
  clear(): void;
  /** Starts the count of this label again. */
  countReset(label?: string): void;
  debug(...data: any[]): void;
  dir(item?: any, options?: { depth?: number | null }): void;
  dirxml(...data: any[]): void;
  error(...data: any[]): void;
  /** Indents the lines logged until the matching \`groupEnd()\`. */
  group(...label: any[]): void;
  groupCollapsed(...label: any[]): void;
  groupEnd(): void;
  info(...data: any[]): void;
  log(...data: any[]): void;
  /** Logs an array or object as a table (the output shows a real table). */
  table(tabularData?: any, properties?: string[]): void;
  /** Starts a timer that \`timeEnd(label)\` reports. */
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...data: any[]): void;
  trace(...data: any[]): void;
  warn(...data: any[]): void;
}
declare var console: Console;

/** Calls back after \`ms\` milliseconds; the run ends only when no timer is pending (or at its deadline). */
declare function setTimeout<TArgs extends any[]>(callback: (...args: TArgs) => void, ms?: number, ...args: TArgs): number;
declare function setInterval<TArgs extends any[]>(callback: (...args: TArgs) => void, ms?: number, ...args: TArgs): number;
declare function clearTimeout(id: number | undefined): void;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;

interface StructuredSerializeOptions {
  transfer?: any[];
}
/** A deep copy of a value by the structured clone algorithm. */
declare function structuredClone<T = any>(value: T, options?: StructuredSerializeOptions): T;
/** Decodes a string of Base64 data. */
declare function atob(data: string): string;
/** Encodes a string of Latin-1 characters in Base64. */
declare function btoa(data: string): string;

interface Crypto {
  /** Fills the typed array with cryptographically strong random values, and returns it. */
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  /** A random (version 4) UUID. */
  randomUUID(): \`\${string}-\${string}-\${string}-\${string}-\${string}\`;
}
declare var crypto: Crypto;

interface TextEncoderEncodeIntoResult {
  read: number;
  written: number;
}
interface TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): TextEncoderEncodeIntoResult;
}
declare var TextEncoder: {
  prototype: TextEncoder;
  new (): TextEncoder;
};

type AllowSharedBufferSource = ArrayBufferLike | ArrayBufferView;
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: TextDecoderOptions): TextDecoder;
};

interface URLSearchParams {
  readonly size: number;
  append(name: string, value: string): void;
  delete(name: string, value?: string): void;
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string, value?: string): boolean;
  set(name: string, value: string): void;
  sort(): void;
  toString(): string;
  forEach(callbackfn: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: any): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
}
declare var URLSearchParams: {
  prototype: URLSearchParams;
  new (init?: string[][] | Record<string, string> | string | URLSearchParams): URLSearchParams;
};

interface URL {
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
  toJSON(): string;
}
declare var URL: {
  prototype: URL;
  new (url: string | URL, base?: string | URL): URL;
  canParse(url: string | URL, base?: string | URL): boolean;
  parse(url: string | URL, base?: string | URL): URL | null;
};

type HeadersInit = [string, string][] | Record<string, string> | Headers;
interface Headers {
  append(name: string, value: string): void;
  delete(name: string): void;
  get(name: string): string | null;
  getSetCookie(): string[];
  has(name: string): boolean;
  set(name: string, value: string): void;
  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: any): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
}
declare var Headers: {
  prototype: Headers;
  new (init?: HeadersInit): Headers;
};

type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParams;
interface Body {
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array<ArrayBuffer>>;
  json(): Promise<any>;
  text(): Promise<string>;
}

type RequestInfo = Request | string;
interface RequestInit {
  body?: BodyInit | null;
  headers?: HeadersInit;
  method?: string;
}
/** An HTTP request: what an endpoint acorn's default export (or its \`fetch\`) is called with. */
interface Request extends Body {
  readonly headers: Headers;
  readonly method: string;
  /** The full URL as the client sent it. */
  readonly url: string;
  clone(): Request;
}
declare var Request: {
  prototype: Request;
  new (input: RequestInfo | URL, init?: RequestInit): Request;
};

interface ResponseInit {
  headers?: HeadersInit;
  status?: number;
  statusText?: string;
}
/** An HTTP response: what an endpoint acorn returns. */
interface Response extends Body {
  readonly headers: Headers;
  readonly ok: boolean;
  readonly redirected: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  clone(): Response;
}
declare var Response: {
  prototype: Response;
  new (body?: BodyInit | null, init?: ResponseInit): Response;
  error(): Response;
  json(data: any, init?: ResponseInit): Response;
  redirect(url: string | URL, status?: number): Response;
};
`;
