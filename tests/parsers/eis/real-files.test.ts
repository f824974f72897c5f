/**
 * Every real EIS fixture through its reader. Expected numbers were read from the files by hand
 * (first/last data row); Zahner values were computed independently as |Z|·cos φ, |Z|·sin φ from the
 * big-endian doubles (Python struct). The sign check is the physics one: a battery/RC capacitive
 * arc has Im(Z) < 0, so most points in the lower-frequency half must come out negative.
 */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { eisFormats } from '../../../parsers/eis/index.js';
import type { FormatParser } from '../../../parsers/types.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';
import { latin1 } from '../../../parsers/text/decode.js';

interface Expect {
  file: string;
  format: string;
  n: number;
  f: [number, number];
  first: [number, number];
  last: [number, number];
  warnings?: string[];
}

const CASES: Expect[] = [
  {
    file: 'eis/gamry-dta/impedancepy__exampleDataGamry.DTA',
    format: 'gamry-dta',
    n: 72,
    f: [200015.6, 0.0158898],
    first: [825.8584, -1367.239],
    last: [17007.49, -6635.557],
  },
  // Hand-trimmed: the last four rows are space-separated and repeat the Z of row 5.
  {
    file: 'eis/gamry-dta/gamryparser__eispot_data.dta',
    format: 'gamry-dta',
    n: 10,
    f: [10000, 0.5],
    first: [224.6075, -3.767681],
    last: [226.885, -7.053867],
    warnings: ['ambiguous-date'],
  },
  {
    file: 'eis/zview-z/impedancepy__Circuit1_EIS_1.z',
    format: 'zplot-z',
    n: 48,
    f: [50000, 1],
    first: [29.036, 0.63662],
    last: [75.803, -0.16244],
    warnings: ['ambiguous-date'],
  },
  // Header says 'Data Points: 56' but only 21 rows follow. ZPlot dates (10-12-2018) do not say D/M or M/D.
  {
    file: 'eis/zview-z/impedancepy__exampleDataZPlot.z',
    format: 'zplot-z',
    n: 21,
    f: [300000, 3000],
    first: [147.77, -11.335],
    last: [613.68, -137.13],
    warnings: ['ambiguous-date', 'incomplete'],
  }, // declares 56 points, holds 21 (issue #18)
  {
    file: 'eis/autolab-txt/impedancepy__exampleDataAutolab.txt',
    format: 'autolab-z60w-txt',
    n: 41,
    f: [10000, 0.1],
    first: [0.013785863964281, 0.007191946305823],
    last: [0.0345697771923854, -0.00390292888845954],
  },
  {
    file: 'eis/versastudio-par/impedancepy__exampleDataVersaStudio.par',
    format: 'versastudio-par',
    n: 61,
    f: [100000, 0.02154435],
    first: [55.31571, 4.575431],
    last: [1516.313, -122.8279],
    warnings: ['unit-not-stated'],
  },
  {
    file: 'eis/parstat-txt/impedancepy__exampleDataParstat.txt',
    format: 'parstat-txt',
    n: 31,
    f: [10000, 10],
    first: [-0.00049816280376104, 0.0175143479976367],
    last: [0.0270946491457229, -0.00399791080333837],
    warnings: ['dc-rows-skipped'],
  },
  { file: 'eis/chi-txt/impedancepy__exampleDataCHInstruments.txt', format: 'chi-txt', n: 73, f: [99610, 0.1], first: [98.91, -2.748], last: [5685, -15860] },
  {
    file: 'eis/powersuite-txt/impedancepy__exampleDataPowersuite.txt',
    format: 'powersuite-txt',
    n: 30,
    f: [0.1, 2000000],
    first: [423929.46, -49014.063],
    last: [-470.54113, -1397.7358],
    warnings: ['unit-not-stated'],
  },
  {
    file: 'eis/maccor-eis-txt/beep__maccor_test_file_4267-66-6519.EDA0001.041',
    format: 'maccor-eis-txt',
    n: 60,
    f: [999999, 1.25892],
    first: [0.773446, -0.849201],
    last: [22.095573, -0.307756],
    warnings: ['unit-not-stated'],
  },
  // 75 stored points; the 20 start-up overlap points (1 kHz → 80 kHz) precede the 100 kHz → 0.2 Hz sweep.
  {
    file: 'eis/zahner-ism/zahner__rc-data.ism',
    format: 'zahner-ism',
    n: 55,
    f: [100000, 0.2],
    first: [165.60710138014684, -10868.178381324426],
    last: [99513834.0720253, -1933631.4253542447],
    warnings: ['overlap-points-dropped'],
  },
  {
    file: 'eis/zahner-ism/zahner__li-ion-battery.ism',
    format: 'zahner-ism',
    n: 128,
    f: [0.0005, 5000],
    first: [0.41654751569177, -0.5358501948035614],
    last: [0.02742234921417069, 0.023854695126454096],
  },
];

function fmt(id: string): FormatParser {
  return eisFormats.find((f) => f.id === id)!;
}

function col(r: ParsedRecord, name: string): Float64Array {
  return r.columns.find((c) => c.name === name)!.values as Float64Array;
}

function close(a: number, b: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
}

function sniff(p: FormatParser, name: string, bytes: Uint8Array): number {
  const head = bytes.subarray(0, 65536);
  const r = p.sniff({ name, head, headText: latin1(head), size: bytes.length });
  return typeof r === 'number' ? r : r.confidence;
}

describe.skipIf(!HAVE_REAL_DATA)('EIS readers on real files', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.n} points, ends and sign`, async () => {
      const bytes = readReal(c.file);
      const name = c.file.split('/').pop()!;
      const p = fmt(c.format);
      // Content sniffing picks this reader among all EIS readers.
      const scores = eisFormats.map((f) => [f.id, sniff(f, name, bytes)] as const).sort((a, b) => b[1] - a[1]);
      expect(scores[0]![0]).toBe(c.format);
      expect(scores[0]![1]).toBeGreaterThanOrEqual(0.5);

      const recs = await p.parse({ path: c.file, bytes });
      expect(recs).toHaveLength(1);
      const r = recs[0]!;
      expect(r.kind).toBe('eis');
      expect(r.columns.slice(0, 3).map((x) => `${x.name}/${x.unit}`)).toEqual(['Frequency/Hz', 'Real Impedance/ohm', 'Imaginary Impedance/ohm']);
      const f = col(r, 'Frequency');
      const re = col(r, 'Real Impedance');
      const im = col(r, 'Imaginary Impedance');
      expect(f.length).toBe(c.n);
      close(f[0]!, c.f[0]);
      close(f[c.n - 1]!, c.f[1]);
      close(re[0]!, c.first[0]);
      close(im[0]!, c.first[1]);
      close(re[c.n - 1]!, c.last[0]);
      close(im[c.n - 1]!, c.last[1]);
      // Sign: all these fixtures store Im(Z) itself; the capacitive part must be negative.
      const sorted = [...f].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      let neg = 0;
      let tot = 0;
      for (let i = 0; i < f.length; i++)
        if (f[i]! <= median) {
          tot++;
          if (im[i]! < 0) neg++;
        }
      expect(neg / tot).toBeGreaterThan(0.8);
      expect(r.meta.imagSignSource).toMatchObject({ convention: 'im', basis: 'format' });
      expect(r.meta.spectrumIndex).toBe(0);
      expect(r.warnings.map((w) => w.code).sort()).toEqual([...(c.warnings ?? [])].sort());
    });
  }

  it('Parstat: the 781 DC rows (Frequency = 0) are skipped with their count', () => {
    const r = fmt('parstat-txt').parse({ path: 'p.txt', bytes: readReal('eis/parstat-txt/impedancepy__exampleDataParstat.txt') }) as ParsedRecord[];
    const w = r[0]!.warnings.find((x) => x.code === 'dc-rows-skipped')!;
    expect(w.rows).toBe(781);
    expect(w.message).toContain('781');
  });

  it('Zahner rc-data.ism looks like a parallel RC (φ → −90° at high f, real at low f)', () => {
    const r = (fmt('zahner-ism').parse({ path: 'rc.ism', bytes: readReal('eis/zahner-ism/zahner__rc-data.ism') }) as ParsedRecord[])[0]!;
    const f = col(r, 'Frequency');
    const re = col(r, 'Real Impedance');
    const im = col(r, 'Imaginary Impedance');
    // High frequency: capacitive, C = −1/(ω·Im) ≈ 146 pF.
    const c = -1 / (2 * Math.PI * f[0]! * im[0]!);
    expect(c).toBeGreaterThan(100e-12);
    expect(c).toBeLessThan(200e-12);
    expect(Math.abs(im[0]! / re[0]!)).toBeGreaterThan(50);
    // Low frequency: resistive, R ≈ 100 MΩ.
    const n = f.length - 1;
    expect(re[n]! / 1e6).toBeGreaterThan(95);
    expect(re[n]! / 1e6).toBeLessThan(105);
    expect(Math.abs(im[n]! / re[n]!)).toBeLessThan(0.05);
    // Every point below the real axis.
    expect(Array.from(im).every((x) => x < 0)).toBe(true);
    expect(r.meta.startTime).toBe('2024-07-16T09:32:45');
    expect(r.meta.title).toBe('RC HIZ');
    expect(r.meta.dcPotential).toBe(0.9995);
  });

  it('Gamry metadata: instrument, Framework version, start time, DC potential', () => {
    const r = (fmt('gamry-dta').parse({ path: 'g.DTA', bytes: readReal('eis/gamry-dta/impedancepy__exampleDataGamry.DTA') }) as ParsedRecord[])[0]!;
    expect(r.meta).toMatchObject({
      instrument: 'Gamry REF3000-34128',
      softwareVersion: '7.05',
      startTime: '2018-04-23T16:43:15',
      dcPotential: -0.05,
      technique: 'EISPOT',
    });
    expect(r.columns.map((c) => c.name)).toEqual(['Frequency', 'Real Impedance', 'Imaginary Impedance', 'Test Time', 'Voltage', 'Current']);
  });

  it('Gamry CV file is recognised as Gamry but refused as not impedance, naming TAG and tables', () => {
    const bytes = readReal('eis/gamry-dta/gamryparser__cv_data.dta');
    expect(sniff(fmt('gamry-dta'), 'cv_data.dta', bytes)).toBeGreaterThanOrEqual(0.5);
    let err: unknown;
    try {
      fmt('gamry-dta').parse({ path: 'cv_data.dta', bytes });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect(pe.code).toBe('not-this-kind');
    expect(pe.line).toBe(20);
    expect(pe.message).toContain("TAG 'CV'");
    expect(pe.message).toContain('CURVE1, CURVE2, CURVE3, CURVE4, CURVE5');
  });
});
