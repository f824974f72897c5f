/** The batch progress line (CLI): a terminal bar or plain log lines. */
import type { BatchProgress } from './batch.js';

/**
 * Progress of a batch on stderr: a redrawn bar on a terminal (files done/total, files/s, MB/s, ETA from
 * the bytes still to read), plain log lines every few seconds otherwise, nothing with --quiet/--json.
 */
export function progressReporter(
  mode: 'bar' | 'lines' | 'off',
  write: (s: string) => void = (s) => process.stderr.write(s),
  everyMs = 2000,
): (p: BatchProgress) => void {
  let lastLine = -Infinity;
  let lastDraw = -Infinity;
  return (p: BatchProgress): void => {
    if (mode === 'off') return;
    const s = Math.max(p.elapsedMs / 1000, 1e-3);
    const filesPerS = p.done / s;
    const mbPerS = p.bytesDone / 1e6 / s;
    const left = p.bytesTotal - p.bytesDone;
    const eta = p.done >= p.total ? 0 : p.bytesDone > 0 ? left / (p.bytesDone / s) : (p.total - p.done) / Math.max(filesPerS, 1e-9);
    const text = `${p.done}/${p.total} files · ${filesPerS.toFixed(1)} files/s · ${mbPerS.toFixed(1)} MB/s · ETA ${formatSeconds(eta)}`;
    const last = p.done >= p.total;
    if (mode === 'bar') {
      if (!last && p.elapsedMs - lastDraw < 100) return; // ≤ 10 redraws a second
      lastDraw = p.elapsedMs;
      write(`\r[${bar(p.total ? p.done / p.total : 1)}] ${text}   `);
      if (last) write('\n');
    } else if (last || p.elapsedMs - lastLine >= everyMs) {
      lastLine = p.elapsedMs;
      write(`batch: ${text}\n`);
    }
  };
}

function formatSeconds(x: number): string {
  if (!Number.isFinite(x)) return '?';
  if (x < 60) return `${Math.ceil(x)} s`;
  return `${Math.floor(x / 60)} min ${Math.ceil(x % 60)} s`;
}

export function bar(x: number, width = 24): string {
  const n = Math.max(0, Math.min(width, Math.round(x * width)));
  return '#'.repeat(n) + '-'.repeat(width - n);
}
