import { describe, expect, it } from 'vitest';
import { EisInputError } from '../../../src/fit/eis/errors.js';
import { eisFitter } from '../../../src/fit/eis/eis-fitter.js';
import { checkSpectrum } from '../../../src/fit/eis/spectrum.js';
import { eisRecord } from './synthetic.js';

const good = { f: [1e4, 1e3, 100, 10, 1, 0.1], re: [10, 12, 30, 60, 70, 71], im: [-1, -5, -20, -15, -4, -1] };

const record = eisRecord;

const cases: [string, number[], number[], number[], string][] = [
  ['unsorted', [1e4, 1e3, 1e4 * 2, 10, 1, 0.1], good.re, good.im, 'unsorted-frequency'],
  ['repeated', [1e4, 1e3, 1e3, 10, 1, 0.1], good.re, good.im, 'repeated-frequency'],
  ['NaN point', good.f, [10, 12, NaN, 60, 70, 71], good.im, 'non-finite'],
  ['too few', good.f.slice(0, 4), good.re.slice(0, 4), good.im.slice(0, 4), 'too-few-points'],
  ['zero frequency', [1e4, 1e3, 100, 10, 1, 0], good.re, good.im, 'non-positive-frequency'],
  ['negative frequency', [-1e4, 1e3, 100, 10, 1, 0.1], good.re, good.im, 'non-positive-frequency'],
  ['length mismatch', good.f, good.re.slice(0, 5), good.im, 'length-mismatch'],
];

describe('bad input', () => {
  it.each(cases)('%s → EisInputError from checkSpectrum, and a flagged skipped fit from eisFitter', (_n, f, re, im, code) => {
    let err: unknown;
    try {
      checkSpectrum(f, re, im);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EisInputError);
    expect((err as EisInputError).code).toBe(code);
    const out = eisFitter.fit(record(f, re, im), {});
    expect(out.quality.ok).toBe(false);
    expect(out.parameters).toEqual([]);
    expect(out.quality.messages.join(' ')).toContain(code);
  });

  it('accepts ascending or descending sweeps and returns ascending order', () => {
    const s = checkSpectrum(good.f, good.re, good.im);
    expect(Array.from(s.frequency)).toEqual([...good.f].reverse());
    const t = checkSpectrum([...good.f].reverse(), [...good.re].reverse(), [...good.im].reverse());
    expect(Array.from(t.re)).toEqual(Array.from(s.re));
  });

  it('a record without impedance columns is skipped with a message', () => {
    const r = { ...record(good.f, good.re, good.im), columns: [] };
    const out = eisFitter.fit(r, {});
    expect(out.quality.ok).toBe(false);
    expect(out.quality.messages[0]).toMatch(/lacks 'Frequency'/);
  });
});
