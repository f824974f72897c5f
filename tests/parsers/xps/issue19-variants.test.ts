/**
 * Issue #19: PHI MultiPak depth-profile text exports (block layout with `//Area Comment` lines and
 * comma rows, as NIMS M-DaC_XPS txt2csv_depth.py reads them) and SPECS Prodigy `.xy` with a
 * transmission-function column and scans of different lengths. Hand-made files in tests/fixtures/issue19.
 */
import { describe, expect, it } from 'vitest';
import { xpsFormats } from '../../../parsers/xps/index.js';
import { detectAndParse, expectLocated, fixture, parseError } from '../issue19-helpers.js';
import { region } from './helpers.js';

const fmt = (id: string) => xpsFormats.find((f) => f.id === id)!;
const enc = (s: string) => new TextEncoder().encode(s);

describe('phi-multipak-txt depth profile', () => {
  it('2 regions × 3 cycles → 3 etch levels; sputter times from the depth curves (min → s)', async () => {
    const { id, records } = await detectAndParse('phi-multipak-depth.txt');
    expect(id).toBe('phi-multipak-txt');
    const r = records[0]!;
    expect(r.kind).toBe('xps-depth-profile');
    expect(r.columns.find((c) => c.name === 'Intensity')!.values.length).toBe(66);
    const f0 = region(r, 'F1s', 0);
    expect(f0.be.length).toBe(11);
    expect([f0.be[0], f0.be[10]]).toEqual([683, 687]); // ascending
    expect([f0.y[0], f0.y[10]]).toEqual([503.8609, 503.8609]);
    expect(f0.t[0]).toBe(0);
    const c2 = region(r, 'C1s', 2);
    expect([c2.be[0], c2.be[10]]).toEqual([282.8, 286.8]);
    expect(Math.max(...c2.y)).toBe(1700);
    expect(c2.t[0]).toBe(90);
    expect(region(r, 'F1s', 1).t[0]).toBe(30);
    expect(r.meta.fileType).toBe('DEPTHPRO');
    expect((r.meta.depthCurves as unknown[]).length).toBe(2);
  });

  it('no depth curves: levels numbered, with etch-time-unstated', async () => {
    const text = new TextDecoder().decode(fixture('phi-multipak-depth.txt'));
    const cut = text.slice(0, text.indexOf('//Area Comment,AtomicName,'));
    const r = (await fmt('phi-multipak-txt').parse({ path: 'd.txt', bytes: enc(cut) }))[0]!;
    expect(r.kind).toBe('xps-depth-profile');
    expect(r.columns.some((c) => c.name === 'Sputter Time')).toBe(false);
    expect(r.warnings.map((w) => w.code)).toContain('etch-time-unstated');
  });

  it('bad input: a DataCount larger than the block → truncated at the first missing row', async () => {
    const text = new TextDecoder().decode(fixture('phi-multipak-depth.txt'));
    const lines = text.split('\r\n');
    const k = lines.findIndex((l) => l.startsWith('//Area Comment,RegionNo'));
    lines[k + 7] = '12'; // DataCount of the first block: 11 rows follow, then a blank line
    const e = await parseError(() => fmt('phi-multipak-txt').parse({ path: 'p.txt', bytes: enc(lines.join('\r\n')) }));
    expectLocated(e, 'p.txt', 'truncated', k + 8 + 11 + 1);
  });
});

describe('specs-xy transmission column and uneven scans', () => {
  it('intensity divided by T(E); the short scan dropped with a warning; meta says the correction was applied', async () => {
    const { id, records } = await detectAndParse('specs-prodigy-transmission.xy');
    expect(id).toBe('specs-xy');
    const r = records[0]!;
    const f = region(r, 'F1s');
    expect(f.be.length).toBe(13);
    expect([f.be[0], f.be[12]]).toEqual([682, 688]);
    expect(f.y[12]).toBeCloseTo(500.03 / 0.5, 9);
    expect(f.y[0]).toBeCloseTo(620.037 / 0.62, 9);
    const li = region(r, 'Li1s');
    expect(li.be.length).toBe(11);
    expect(li.y[10]).toBeCloseTo((500.03 / 0.5 + 600.03 / 0.5) / 2, 9); // scans 0 and 1 averaged at 58 eV
    expect(r.meta.transmissionCorrection).toMatchObject({ applied: true });
    const w = r.warnings.find((x) => x.code === 'incomplete-scans-dropped');
    expect(w?.message).toContain('scan 2: 7');
  });

  it('the real export without a transmission column says the correction was not applied', async () => {
    const text = new TextDecoder()
      .decode(fixture('specs-prodigy-transmission.xy'))
      .replace('Transmission Function:    yes', 'Transmission Function:    no')
      .replace(/^(\S+) {2}(\S+) {2}\S+$/gm, '$1  $2');
    const r = (await fmt('specs-xy').parse({ path: 's.xy', bytes: enc(text) }))[0]!;
    expect(r.meta.transmissionCorrection).toMatchObject({ applied: false });
    expect(region(r, 'F1s').y[12]).toBeCloseTo(500.03, 9);
  });

  it('bad input: a data line without the transmission value → bad-number with file and line', async () => {
    const lines = new TextDecoder().decode(fixture('specs-prodigy-transmission.xy')).split('\n');
    const k = lines.findIndex((l) => l.startsWith('688  '));
    lines[k] = '688  500.030';
    const e = await parseError(() => fmt('specs-xy').parse({ path: 't.xy', bytes: enc(lines.join('\n')) }));
    expectLocated(e, 't.xy', 'bad-number', k + 1);
  });
});
