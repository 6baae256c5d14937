/**
 * Where the CLI writes: data on stdout (with `--json`, exactly one JSON document), messages and progress on stderr.
 * Colour only on a TTY and never with NO_COLOR.
 */
export interface Stream {
  write(text: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: Stream;
  stderr: Stream;
}

const codes = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] };
export type Style = keyof typeof codes;

export type Paint = (style: Style, text: string) => string;

const plain: Paint = (_style, text) => text;

function painter(stream: Stream, noColor: boolean): Paint {
  if (noColor || !stream.isTTY) return plain;
  return (style, text) => `\x1b[${codes[style][0]}m${text}\x1b[${codes[style][1]}m`;
}

/**
 * Text someone else wrote (a title), safe to show in a terminal: control characters, which could move the cursor or
 * retitle the window, become `�`.
 */
export const printable = (text: string): string => text.replace(/\p{Cc}/gu, '\ufffd');

export class Output {
  readonly io: Io;
  readonly json: boolean;
  /** Colours for stdout and for stderr, each on only when that stream is a TTY. */
  readonly out: Paint;
  readonly err: Paint;

  constructor(io: Io, options: { json: boolean; noColor: boolean }) {
    this.io = io;
    this.json = options.json;
    this.out = painter(io.stdout, options.noColor);
    this.err = painter(io.stderr, options.noColor);
  }

  /** A line of human output on stdout (nothing with --json). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** Bytes or text on stdout as they are (pulled code, an endpoint's body). */
  raw(data: string | Uint8Array): void {
    this.io.stdout.write(data);
  }

  /** The one JSON document of a `--json` command. */
  document(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A message on stderr (also with --json: stdout stays the document's). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  error(text: string): void {
    this.io.stderr.write(`${this.err('red', 'error:')} ${text}\n`);
  }

  /** A progress bar on stderr, drawn only when stderr is a TTY; otherwise every call does nothing. */
  progress(label: string): ProgressBar {
    return new ProgressBar(this.io.stderr, label, this.err);
  }
}

export class ProgressBar {
  readonly #stream: Stream;
  readonly #label: string;
  readonly #paint: Paint;
  readonly #enabled: boolean;
  #drawn = false;

  constructor(stream: Stream, label: string, paint: Paint) {
    this.#stream = stream;
    this.#label = label;
    this.#paint = paint;
    this.#enabled = stream.isTTY === true;
  }

  update(done: number, total: number, detail = ''): void {
    if (!this.#enabled) return;
    const columns = Math.max(40, this.#stream.columns ?? 80);
    const counter = `${done}/${total}`;
    const width = Math.max(10, Math.min(40, columns - this.#label.length - counter.length - detail.length - 12));
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    const bar = this.#paint('green', '█'.repeat(filled)) + this.#paint('dim', '░'.repeat(width - filled));
    const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
    this.#stream.write(`\r\x1b[2K${this.#label} ${bar} ${percent} ${counter}${detail ? ` ${detail}` : ''}`);
    this.#drawn = true;
  }

  /** Clears the bar's line, so what follows starts on a clean line. */
  done(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[2K');
    this.#drawn = false;
  }
}
