/**
 * ASCII matrix exports of SPM images (Gwyddion "ASCII data matrix" export and the like): optional
 * `#` comment header lines, then yres rows of xres numbers separated by whitespace, commas or
 * semicolons. Header lines read (Gwyddion's informational header): `# Channel: <title>`,
 * `# Width: <number> <unit>`, `# Height: <number> <unit>`, `# Value units: <unit>`; a comment line
 * with no key is kept in meta.header. Without a header the channel title comes from the file name
 * (a name containing "phase" / "amplitude") and the unit from `options.unit` (a manifest `formats:`
 * entry); an image whose phase unit is not stated is read but the PFM fitter will not guess it.
 * A bare numeric matrix is claimed only when the file name says PFM or phase (a bare matrix is also a
 * ToF-SIMS ion image export); with the header it is claimed outright.
 */
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParsedRecord, ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { buildImageRecord, metresPer } from './image.js';

const KEY = /^#\s*(channel|width|height|value units|units?)\s*:\s*(.*)$/i;
const NUMERIC_LINE = /^[\s\d.,;eE+\-naNNAinfINF]+$/;

function sniff(s: SniffInput): number {
  const lines = s.headText.split(/\r?\n/, 64);
  let keys = 0;
  let channel = false;
  let data = 0;
  let widths: number[] = [];
  for (const l of lines) {
    const t = l.trim();
    if (!t) continue;
    if (t.startsWith('#')) {
      const m = KEY.exec(t);
      if (m) {
        keys++;
        if (/channel/i.test(m[1]!)) channel = true;
      }
      continue;
    }
    if (!NUMERIC_LINE.test(t)) return 0;
    widths.push(t.split(/[\s,;]+/).length);
    if (++data >= 16) break;
  }
  widths = widths.slice(0, -1); // the last line of the sniff window may be cut
  if (!data || (widths.length && !widths.every((w) => w === widths[0]))) return 0;
  if (channel && keys >= 2) return 0.92;
  if (/pfm|phase/i.test(s.name) && data >= 4 && (widths[0] ?? 0) >= 4) return 0.65;
  return 0;
}

function parse(input: ParseInput): ParsedRecord[] {
  const text = decodeText(input.bytes).text;
  const lines = text.split(/\r?\n/);
  const warnings: ParseWarning[] = [];
  const header: string[] = [];
  let title: string | undefined;
  let unitZ = typeof input.options?.unit === 'string' ? input.options.unit : '';
  let width: [number, string] | undefined;
  let height: [number, string] | undefined;
  const rows: Float64Array[] = [];
  let xres = -1;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (!t) continue;
    if (t.startsWith('#')) {
      if (rows.length) continue;
      const m = KEY.exec(t);
      if (!m) {
        header.push(t.replace(/^#\s*/, ''));
        continue;
      }
      const key = m[1]!.toLowerCase();
      const val = m[2]!.trim();
      if (key === 'channel') title = val;
      else if (key === 'width' || key === 'height') {
        const mm = /^([+-]?\d*\.?\d+(?:[eE][+-]?\d+)?)\s*(\S*)$/.exec(val);
        if (mm) key === 'width' ? (width = [Number(mm[1]), mm[2]!]) : (height = [Number(mm[1]), mm[2]!]);
        else warnings.push({ code: 'bad-header', message: `${m[1]}: '${val}' is not a number with a unit`, line: i + 1 });
      } else unitZ = val;
      continue;
    }
    const fields = t.split(/[\s,;]+/);
    const row = new Float64Array(fields.length);
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j]!;
      const v = /^nan$/i.test(f) ? NaN : Number(f);
      if (Number.isNaN(v) && !/^nan$/i.test(f))
        throw new ParseError({
          file: input.path,
          code: 'bad-number',
          line: i + 1,
          message: `text in the matrix (row ${rows.length + 1}, column ${j + 1})`,
          expected: 'a number',
          found: f.slice(0, 40),
        });
      row[j] = v;
    }
    if (xres < 0) xres = row.length;
    else if (row.length !== xres)
      throw new ParseError({
        file: input.path,
        code: 'ragged-row',
        line: i + 1,
        message: `row ${rows.length + 1} has ${row.length} values, the first row ${xres}`,
        expected: String(xres),
        found: String(row.length),
      });
    rows.push(row);
  }
  if (!rows.length) throw new ParseError({ file: input.path, code: 'no-data', message: 'no matrix rows' });
  const yres = rows.length;
  const data = new Float64Array(xres * yres);
  rows.forEach((r, j) => data.set(r, j * xres));
  if (!title) {
    const n = input.path.toLowerCase();
    title = /phase/.test(n) ? 'Phase' : /amp/.test(n) ? 'Amplitude' : /height|topo/.test(n) ? 'Height' : 'Channel';
  }
  if (!unitZ) warnings.push({ code: 'unit-missing', message: `no value unit stated for '${title}' (header '# Value units:' or formats options { unit })` });
  const size = (s: [number, string] | undefined): number => (s ? s[0] * (metresPer(s[1] || 'm') ?? NaN) : NaN);
  if ((width && !Number.isFinite(size(width))) || (height && !Number.isFinite(size(height))))
    warnings.push({ code: 'unit-unknown', message: `lateral unit '${width?.[1] ?? height?.[1]}' not understood; physical size left out` });
  return buildImageRecord(
    [{ id: 0, title, xres, yres, xreal: size(width), yreal: size(height), xoff: 0, yoff: 0, unitXY: 'm', unitZ, data }],
    { technique: 'scanning probe image (ASCII matrix)', ...(header.length ? { header } : {}) },
    warnings,
  );
}

export const spmAsciiMatrix: FormatParser = {
  id: 'spm-ascii-matrix',
  family: 'spm',
  kind: 'pfm-image',
  title: 'SPM / PFM image as an ASCII matrix (Gwyddion ASCII export with # Channel / # Width / # Value units header)',
  version: '1.0.0',
  extensions: ['.txt', '.asc', '.dat', '.csv'],
  sniff,
  parse,
};
