/** Line splitting that survives CRLF, lone CR (old Mac exports) and mixed endings in one file. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  // A final newline yields one empty trailing element: not a line of the file.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Index of the first line (from `from`) for which `pred` holds, or -1. */
export function findLine(lines: readonly string[], pred: (l: string) => boolean, from = 0, limit = lines.length): number {
  const end = Math.min(lines.length, limit);
  for (let i = from; i < end; i++) if (pred(lines[i]!)) return i;
  return -1;
}

/** Byte offset of the start of each line is not tracked: errors in text formats name 1-based lines. */
export function lineNo(index: number): number {
  return index + 1;
}

/** Split a `Key: value` / `Key = value` / `Key,value` header line. Returns null if no separator. */
export function splitKeyValue(line: string, seps: readonly string[] = [':', '=']): [string, string] | null {
  let best = -1;
  for (const s of seps) {
    const i = line.indexOf(s);
    if (i > 0 && (best < 0 || i < best)) best = i;
  }
  if (best < 0) return null;
  return [line.slice(0, best).trim(), line.slice(best + 1).trim()];
}
