/**
 * The one error type for bad input. Every parser failure is a ParseError naming the file, where in
 * it (line and/or byte offset) and what was expected vs found. Never a bare Error for input.
 */
export type ParseErrorCode =
  | 'empty-file'
  | 'unrecognised-format'
  | 'bad-header'
  | 'bad-number'
  | 'truncated'
  | 'ragged-row'
  | 'missing-column'
  | 'no-data'
  | 'bad-magic'
  | 'unsupported-version'
  | 'not-this-kind' //   e.g. a CV file handed to an EIS reader
  | 'too-large'
  | 'timeout'
  | 'invalid';

export interface ParseErrorInit {
  file: string;
  code: ParseErrorCode;
  message: string;
  line?: number;
  offset?: number;
  column?: string;
  expected?: string;
  found?: string;
}

export class ParseError extends Error {
  readonly file: string;
  readonly code: ParseErrorCode;
  readonly line?: number;
  readonly offset?: number;
  readonly column?: string;
  readonly expected?: string;
  readonly found?: string;
  /** The message without location (what `format` puts after `file:line: `). */
  readonly reason: string;

  constructor(init: ParseErrorInit) {
    super(ParseError.format(init));
    this.name = 'ParseError';
    this.reason = init.message;
    this.file = init.file;
    this.code = init.code;
    this.line = init.line;
    this.offset = init.offset;
    this.column = init.column;
    this.expected = init.expected;
    this.found = init.found;
  }

  /** The same error at another line (a piece of a file read in pieces counts its own lines). */
  static atLine(e: ParseError, line: number): ParseError {
    return new ParseError({ file: e.file, code: e.code, line, offset: e.offset, column: e.column, message: e.reason, expected: e.expected, found: e.found });
  }

  /** `file:line: message (expected X, found Y)` — one line, fit for a log. */
  static format(i: ParseErrorInit): string {
    const where = i.line !== undefined ? `:${i.line}` : i.offset !== undefined ? `@${i.offset}` : '';
    const col = i.column ? ` [column '${i.column}']` : '';
    const ef = i.expected !== undefined || i.found !== undefined ? ` (expected ${i.expected ?? '?'}, found ${truncate(i.found ?? '?', 80)})` : '';
    return `${i.file}${where}: ${i.message}${col}${ef}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.code,
      line: this.line ?? null,
      offset: this.offset ?? null,
      column: this.column ?? null,
      expected: this.expected ?? null,
      found: this.found ?? null,
      message: this.message,
    };
  }
}

/** Manifest problems (campaign.yaml): collected, not thrown one by one. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem(s) in campaign manifest:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ManifestError';
  }
}

/** Wrong CLI usage: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function truncate(s: string, n: number): string {
  const clean = s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > n ? clean.slice(0, n) + '…' : clean;
}
