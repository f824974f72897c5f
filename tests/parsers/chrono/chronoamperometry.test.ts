/**
 * Chronoamperometry readers (issue #20 §2): the EC-Lab CA text export and the Gamry CHRONOA .DTA, on
 * hand-made files in the documented layouts (tests/fixtures/transference, written by
 * fixtures/virtual-lab/writers/chronoamperometry.ts; no public CA file of either instrument is in
 * shared/real-data). The .mpr path is checked on a real file whose technique byte is set to CA.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat, sniffInput } from '../../../parsers/index.js';
import { parseMpt } from '../../../parsers/biologic/mpt.js';
import { parseMpr, sniffMpr } from '../../../parsers/biologic/mpr.js';
import { parseGamryChronoa } from '../../../parsers/eis/gamry-chronoa.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';

const DIR = join(__dirname, '../../fixtures/transference');
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, f)));
const col = (r: ParsedRecord, n: string): Float64Array => r.columns.find((c) => c.name === n)!.values as Float64Array;
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const caught = (f: () => unknown): ParseError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
};

describe('EC-Lab CA text export (.mpt)', () => {
  const b = bytes('eclab-ca-lili.mpt');
  it('is detected as biologic-mpt with the chronoamperometry kind', () => {
    const d = detectFormat(sniffInput('eclab-ca-lili.mpt', b, b.length));
    expect(d.best?.format.id).toBe('biologic-mpt');
    expect(d.best?.kind).toBe('chronoamperometry');
  });
  it('one record: 366 rows, time / voltage / current (mA → A), Ns as Step Index, first and last values', () => {
    const recs = parseMpt('eclab-ca-lili.mpt', b);
    expect(recs).toHaveLength(1);
    const r = recs[0]!;
    expect(r.kind).toBe('chronoamperometry');
    expect(r.columns.slice(0, 3).map((c) => `${c.name} / ${c.unit}`)).toEqual(['Test Time / s', 'Voltage / V', 'Current / A']);
    const t = col(r, 'Test Time');
    expect(t).toHaveLength(366);
    expect(t[0]).toBe(0);
    expect(t[365]).toBe(3660);
    expect(col(r, 'Voltage')[0]).toBe(0);
    expect(col(r, 'Voltage')[365]).toBe(0.01);
    expect(col(r, 'Current')[6]).toBeCloseTo(9.090909091e-5, 15); // first row of the step: I/mA 9.090909091e-2
    expect(col(r, 'Current')[365]).toBeCloseTo(6.896551759e-5, 15);
    expect(col(r, 'Step Index')[5]).toBe(0);
    expect(col(r, 'Step Index')[6]).toBe(1);
    expect(r.meta).toMatchObject({ technique: 'CA', startTime: '2026-11-25T10:00:00.000' });
  });
  it('reads the step settings: Ei = 10 mV vs. Eoc on Ns 1 (the largest |Ei|), both steps listed', () => {
    const r = parseMpt('x.mpt', b)[0]!;
    expect(r.meta.caStep).toMatchObject({ potentialV: 0.01, reference: 'open-circuit', ns: 1 });
    expect(r.meta.caSteps).toEqual([
      { ns: 0, potentialV: 0, vs: 'Eoc', durationS: 60 },
      { ns: 1, potentialV: 0.01, vs: 'Eoc', durationS: 3600 },
    ]);
  });
  it('a step set vs. Ectrl gives no caStep and says why', () => {
    const text = Buffer.from(b)
      .toString('latin1')
      .replace(/vs\.(\s+)Eoc(\s+)Eoc/, 'vs.$1Eoc$2Ectrl');
    const r = parseMpt('x.mpt', enc(text))[0]!;
    expect(r.meta.caStep).toBeUndefined();
    expect(r.warnings.map((w) => w.code)).toContain('ca-step-reference');
  });
  it('bad input: time running backwards, a header without rows', () => {
    const text = Buffer.from(b).toString('latin1');
    const lines = text.split('\r\n');
    const at = lines.findIndex((l) => l.startsWith('mode\t')) + 3;
    const f = lines[at]!.split('\t');
    f[7] = '5.0e+0';
    lines[at] = f.join('\t');
    const e = caught(() => parseMpt('back.mpt', enc(lines.join('\r\n'))));
    expect(e.code).toBe('invalid');
    expect(e.message).toMatch(/time runs backwards/);
    const header = lines.slice(0, lines.findIndex((l) => l.startsWith('mode\t')) + 1).join('\r\n') + '\r\n';
    expect(caught(() => parseMpt('empty.mpt', enc(header))).code).toBe('no-data');
  });
});

describe('Gamry CHRONOA .DTA', () => {
  const b = bytes('gamry-chronoa-lili.DTA');
  it('is detected as gamry-chronoa (not the EIS reader)', () => {
    const d = detectFormat(sniffInput('gamry-chronoa-lili.DTA', b, b.length));
    expect(d.best?.format.id).toBe('gamry-chronoa');
    expect(d.best?.kind).toBe('chronoamperometry');
  });
  it('one record: 362 rows of T / Vf / Im, first and last values, step settings', () => {
    const recs = parseGamryChronoa({ path: 'g.DTA', bytes: b });
    expect(recs).toHaveLength(1);
    const r = recs[0]!;
    expect(r.kind).toBe('chronoamperometry');
    const t = col(r, 'Test Time');
    expect(t).toHaveLength(362);
    expect([t[0], t[1], t[2], t[361]]).toEqual([0, 5, 15, 1810]);
    expect(col(r, 'Voltage')[2]).toBe(0.005);
    expect(col(r, 'Current')[2]).toBe(7.352941176e-5);
    expect(col(r, 'Current')[361]).toBe(5.109503303e-5);
    expect(r.columns.map((c) => c.name)).toEqual(['Test Time', 'Voltage', 'Current', 'Pt', 'Vu', 'Sig', 'Ach', 'IERange']);
    expect(r.meta).toMatchObject({ technique: 'CHRONOA', startTime: '2026-11-25T12:00:00', samplePeriodS: 5 });
    expect(r.meta.caStep).toMatchObject({ potentialV: 0.005, reference: 'open-circuit', startS: 10, endS: 1810, preStepV: 0 });
    expect(r.warnings).toEqual([]);
  });
  it('bad input: typed errors with the line', () => {
    const text = Buffer.from(b).toString('latin1');
    const noCurve = text.slice(0, text.indexOf('CURVE\tTABLE'));
    expect(caught(() => parseGamryChronoa({ path: 'a.DTA', bytes: enc(noCurve) })).code).toBe('no-data');
    const lines = text.split('\r\n');
    const at = lines.findIndex((l) => l.startsWith('\t#\ts')) + 4;
    lines[at] = lines[at]!.replace(/\t[0-9.]+E[-+]\d{3}\t0\.00000E\+000/, '\t1.2.3\t0.00000E+000');
    const e = caught(() => parseGamryChronoa({ path: 'b.DTA', bytes: enc(lines.join('\r\n')) }));
    expect(e.code).toBe('bad-number');
    expect(e.line).toBe(at + 1);
    const eis = text.replace('TAG\tCHRONOA', 'TAG\tEISPOT');
    expect(caught(() => parseGamryChronoa({ path: 'c.DTA', bytes: enc(eis) })).code).toBe('not-this-kind');
    const badUnit = text.replace('\t#\ts\tV vs. Ref.\tA', '\t#\ts\tV vs. Ref.\tmA');
    expect(caught(() => parseGamryChronoa({ path: 'd.DTA', bytes: enc(badUnit) })).code).toBe('bad-header');
    const oneRow = lines.slice(0, lines.findIndex((l) => l.startsWith('\t#\ts')) + 2).join('\r\n');
    expect(caught(() => parseGamryChronoa({ path: 'e.DTA', bytes: enc(oneRow) })).code).toBe('no-data');
  });
  it('a declared row count above the rows read is `incomplete` (issue #18); below, a row-count-mismatch warning', () => {
    const text = Buffer.from(b).toString('latin1').replace('CURVE\tTABLE\t362', 'CURVE\tTABLE\t400');
    const r = parseGamryChronoa({ path: 'f.DTA', bytes: enc(text) })[0]!;
    expect(r.warnings.map((w) => w.code)).toContain('incomplete');
    expect(r.meta.incomplete).toEqual({ declared: 400, read: 362, unit: 'rows', source: 'CURVE TABLE header' });
    const fewer = Buffer.from(b).toString('latin1').replace('CURVE\tTABLE\t362', 'CURVE\tTABLE\t300');
    const r2 = parseGamryChronoa({ path: 'g.DTA', bytes: enc(fewer) })[0]!;
    expect(r2.warnings.map((w) => w.code)).toContain('row-count-mismatch');
    expect(r2.meta.incomplete).toBeUndefined();
  });
});

describe.skipIf(!HAVE_REAL_DATA)('EC-Lab .mpr with the CA technique byte', () => {
  it('a CP file relabelled CA (technique 0x19 → 0x18) gives one chronoamperometry record with the same rows', () => {
    const orig = readReal('cycler/biologic-mpr/yadg__cp.mpr');
    const cp = parseMpr('cp.mpr', orig);
    const b = orig.slice();
    const s = sniffMpr(sniffInput('cp.mpr', b, b.length));
    expect(s.kind).toBe('cycler');
    // the settings module's first data byte: find it as sniffMpr does, by the 0x19 after the module header
    const at = b.indexOf(0x19, 'BIO-LOGIC MODULAR FILE'.length);
    b[at] = 0x18;
    expect(sniffMpr(sniffInput('ca.mpr', b, b.length)).kind).toBe('chronoamperometry');
    const recs = parseMpr('ca.mpr', b);
    expect(recs).toHaveLength(1);
    expect(recs[0]!.kind).toBe('chronoamperometry');
    expect(recs[0]!.meta.technique).toBe('CA');
    expect(col(recs[0]!, 'Test Time')).toEqual(col(cp[0]!, 'Test Time'));
    expect(col(recs[0]!, 'Current')).toEqual(col(cp[0]!, 'Current'));
  });
});
