/**
 * Issue #19: ZPlot/ZView `.z` files without the ZPLOT2 block (quoted headers, a comment line, bare
 * rows) and the Autolab/Eco Chemie `.dfr` VERSION8 layout (pyimpspec's parse_dfr). Hand-made files
 * in tests/fixtures/issue19; Z values are an R0 + R1‖C arc.
 */
import { describe, expect, it } from 'vitest';
import { eisFormats } from '../../../parsers/eis/index.js';
import { detectAndParse, expectLocated, firstLast, fixture, parseError } from '../issue19-helpers.js';

const fmt = (id: string) => eisFormats.find((f) => f.id === id)!;
const enc = (s: string) => new TextEncoder().encode(s);

describe('zplot-z variants', () => {
  it('quoted tab header first, no comment block: 12 points', async () => {
    const { id, records } = await detectAndParse('zview-quoted-header.z');
    expect(id).toBe('zplot-z');
    const r = records[0]!;
    expect(firstLast(r, 'Frequency')).toEqual([100000, 177.8279]);
    expect(firstLast(r, 'Real Impedance')).toEqual([10.01266, 59.38349]);
    expect(firstLast(r, 'Imaginary Impedance')).toEqual([-0.7955732, -5.517745]);
    expect(firstLast(r, 'Test Time')).toEqual([0, 22]);
    expect(r.meta.unreadColumns).toEqual(['Ampl', 'GD', 'Err', 'Range']);
  });

  it('a comment line, quoted comma header, End Comments: 10 points, comment kept', async () => {
    const { id, records } = await detectAndParse('zview-comma-header.z');
    expect(id).toBe('zplot-z');
    const r = records[0]!;
    expect(firstLast(r, 'Frequency')).toEqual([100000, 562.3413]);
    expect(firstLast(r, 'Imaginary Impedance')).toEqual([-0.7955732, -15.70574]);
    expect(r.meta.headerLines).toEqual(['Sample: Li|Li symmetric cell']);
  });

  it('bare rows in ZPlot column order (space separated, .z only): 8 points with a columns-by-position warning', async () => {
    const { id, records } = await detectAndParse('zview-bare-rows.z');
    expect(id).toBe('zplot-z');
    const r = records[0]!;
    expect(firstLast(r, 'Frequency')).toEqual([100000, 1778.279]);
    expect(firstLast(r, 'Real Impedance')).toEqual([10.01266, 32.23787]);
    expect(r.warnings.map((w) => w.code)).toContain('columns-by-position');
    // The same bytes under another extension are not claimed: rows of numbers carry no signature.
    const bytes = fixture('zview-bare-rows.z');
    const other = await detectAndParse('rows.txt', bytes).catch((e: Error) => e);
    expect(other instanceof Error || other.id !== 'zplot-z').toBe(true);
  });

  it('bad input: a text cell in the data → bad-number with file and line', async () => {
    const text = new TextDecoder().decode(fixture('zview-quoted-header.z')).replace('1.778279E+04', '1.7x8279E+04');
    const e = await parseError(() => fmt('zplot-z').parse({ path: 'q.z', bytes: enc(text) }));
    expectLocated(e, 'q.z', 'bad-number', 5); // header line 1, the 4th row
  });

  it('bad input: neither a ZPLOT2 block, a Freq(Hz) header nor ZPlot rows → bad-header at line 1', async () => {
    const e = await parseError(() => fmt('zplot-z').parse({ path: 'x.z', bytes: enc('hello\n1 2 3\n') }));
    expectLocated(e, 'x.z', 'bad-header', 1);
  });
});

describe('autolab-dfr (VERSION8)', () => {
  it('7 points, nine values each; -Im(Z) flipped', async () => {
    const { id, records } = await detectAndParse('autolab-fra.dfr');
    expect(id).toBe('autolab-dfr');
    const r = records[0]!;
    expect(firstLast(r, 'Frequency')).toEqual([100000, 3162.27766]);
    expect(firstLast(r, 'Real Impedance')).toEqual([10.0126619, 20.1054161]);
    expect(firstLast(r, 'Imaginary Impedance')).toEqual([-0.795573194, -20.0786297]);
    expect(firstLast(r, 'Voltage')).toEqual([0.0035, 0.0035]);
    expect(firstLast(r, 'Current')).toEqual([1e-9, 1e-9]);
    expect(firstLast(r, 'Test Time')).toEqual([0, 9]);
    expect(r.meta.imagSignSource).toMatchObject({ convention: 'minus-im', basis: 'format' });
    expect(r.meta.points).toBe(7);
  });

  it('bad input: a value that is not a number → bad-number with file and line', async () => {
    const lines = new TextDecoder().decode(fixture('autolab-fra.dfr')).split('\r\n');
    lines[5] = 'abc'; // line 6: the -Z'' of point 1
    const e = await parseError(() => fmt('autolab-dfr').parse({ path: 'a.dfr', bytes: enc(lines.join('\r\n')) }));
    expectLocated(e, 'a.dfr', 'bad-number', 6);
  });

  it('bad input: fewer value lines than the declared points → truncated; another version → unsupported-version', async () => {
    const lines = new TextDecoder().decode(fixture('autolab-fra.dfr')).split('\r\n');
    const cut = lines.slice(0, 3 + 9 * 3 + 4).join('\r\n');
    const e = await parseError(() => fmt('autolab-dfr').parse({ path: 'c.dfr', bytes: enc(cut) }));
    expectLocated(e, 'c.dfr', 'truncated', 34);
    const v = await parseError(() => fmt('autolab-dfr').parse({ path: 'v.dfr', bytes: enc(['VERSION7.0', ...lines.slice(1)].join('\r\n')) }));
    expectLocated(v, 'v.dfr', 'unsupported-version', 1);
  });
});
