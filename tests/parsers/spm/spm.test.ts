/**
 * SPM image readers: a Gwyddion .gwy built byte by byte from the documented layout
 * (https://gwyddion.net/documentation/user-guide-en/gwyfile-format.html; MECHANISMS §8) and the
 * writer's files parse to known sizes and values; ASCII matrix exports with and without Gwyddion's
 * header; detection through the registry; typed errors on broken files. No public PFM .gwy with a
 * clear licence was found in this pass: the files are hand-made in the documented layout.
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, sniffInput } from '../../../parsers/index.js';
import { gwyddionGwy, readGwyTree, writeGwy } from '../../../parsers/spm/gwy.js';
import { spmAsciiMatrix } from '../../../parsers/spm/ascii-matrix.js';
import { ParseError } from '../../../src/records/errors.js';
import type { ParsedRecord } from '../../../src/records/record.js';

/** Byte-level builder, independent of the module's writer. */
function bytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const arrs = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrs.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const a of arrs) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}
const u32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};
const i32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
};
const f64 = (v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return b;
};
const Z = [0];
const obj = (type: string, body: Uint8Array) => bytes(type, Z, u32(body.length), body);

function handMadeGwy(): Uint8Array {
  // GwyDataField 3 × 2 (xres 3, yres 2), 2 µm × 1 µm, phase in deg
  const unit = (s: string) => obj('GwySIUnit', bytes('unitstr', Z, 's', s, Z));
  const field = obj(
    'GwyDataField',
    bytes(
      'xres',
      Z,
      'i',
      i32(3),
      'yres',
      Z,
      'i',
      i32(2),
      'xreal',
      Z,
      'd',
      f64(2e-6),
      'yreal',
      Z,
      'd',
      f64(1e-6),
      'si_unit_xy',
      Z,
      'o',
      unit('m'),
      'si_unit_z',
      Z,
      'o',
      unit('deg'),
      'data',
      Z,
      'D',
      u32(6),
      f64(10),
      f64(20),
      f64(30),
      f64(190),
      f64(200),
      f64(210),
    ),
  );
  const container = obj(
    'GwyContainer',
    bytes('/0/data', Z, 'o', field, '/0/data/title', Z, 's', 'Phase', Z, '/filename', Z, 's', 'x.gwy', Z, '/0/show', Z, 'b', [1]),
  );
  return bytes('GWYP', container);
}

const parse = async (f: typeof gwyddionGwy, b: Uint8Array, path = 'x'): Promise<ParsedRecord[]> => f.parse({ path, bytes: b });

describe('Gwyddion .gwy', () => {
  it('a hand-built file (GWYP, container, data field) parses to its size, units and values', async () => {
    const b = handMadeGwy();
    const tree = readGwyTree(b);
    expect(tree.type).toBe('GwyContainer');
    expect(tree.components.get('/0/data/title')).toBe('Phase');
    const [r] = await parse(gwyddionGwy, b, 'hand.gwy');
    expect(r!.kind).toBe('pfm-image');
    expect(r!.meta).toMatchObject({ width: 3, height: 2, xreal_m: 2e-6, yreal_m: 1e-6, channels: ['Phase'], units: ['deg'] });
    const ph = r!.columns.find((c) => c.name === 'Phase')!;
    expect(ph.unit).toBe('deg');
    expect(Array.from(ph.values)).toEqual([10, 20, 30, 190, 200, 210]);
    expect(Array.from(r!.columns.find((c) => c.name === 'Row')!.values)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(r!.columns.find((c) => c.name === 'Column')!.values)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('the writer round-trips several channels; rad is converted to deg once', async () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i / 10);
    const b = writeGwy([
      { title: 'Height', xres: 4, yres: 3, xreal: 5e-6, yreal: 3.75e-6, unitZ: 'm', data: Float64Array.from(data, (x) => x * 1e-9) },
      { title: 'PFM Phase', xres: 4, yres: 3, xreal: 5e-6, yreal: 3.75e-6, unitZ: 'rad', data },
      { title: 'PFM Amplitude', xres: 4, yres: 3, xreal: 5e-6, yreal: 3.75e-6, unitZ: 'V', data },
    ]);
    const recs = await parse(gwyddionGwy, b);
    expect(recs).toHaveLength(1);
    const r = recs[0]!;
    expect(r.columns.map((c) => `${c.name} / ${c.unit}`)).toEqual(['Column / 1', 'Row / 1', 'Height / m', 'Phase / deg', 'Amplitude / V']);
    expect(r.columns[3]!.values[5]).toBeCloseTo((0.5 * 180) / Math.PI, 12);
    expect(r.warnings.some((w) => w.code === 'unit-converted')).toBe(true);
  });

  it('is detected from content (not the extension) and broken files give typed errors', async () => {
    const b = handMadeGwy();
    expect(detectFormat(sniffInput('scan.bin', b, b.length)).best?.format.id).toBe('gwyddion-gwy');
    await expect(parse(gwyddionGwy, b.subarray(0, b.length - 9))).rejects.toBeInstanceOf(ParseError);
    await expect(parse(gwyddionGwy, bytes('GWYQ', b.subarray(4)))).rejects.toMatchObject({ code: 'bad-magic' });
    // data length ≠ xres·yres
    const bad = writeGwy([{ title: 'Phase', xres: 4, yres: 4, xreal: 1, yreal: 1, unitZ: 'deg', data: new Float64Array(15) }]);
    await expect(parse(gwyddionGwy, bad)).rejects.toMatchObject({ code: 'invalid' });
    // a container without images
    await expect(parse(gwyddionGwy, bytes('GWYP', obj('GwyContainer', bytes('/filename', Z, 's', 'a', Z))))).rejects.toMatchObject({ code: 'no-data' });
  });
});

describe('ASCII matrix export', () => {
  const gwyAscii = '# Channel: Phase\n# Width: 2.000 µm\n# Height: 1.000 µm\n# Value units: deg\n10\t20\t30\n190\t200\t210\n';
  it('Gwyddion ASCII export with its header: size, physical size, unit, values', async () => {
    const b = new TextEncoder().encode(gwyAscii);
    expect(detectFormat(sniffInput('sample.txt', b, b.length)).best?.format.id).toBe('spm-ascii-matrix');
    const [r] = await parse(spmAsciiMatrix, b);
    expect(r!.meta).toMatchObject({ width: 3, height: 2, channels: ['Phase'], units: ['deg'] });
    expect(r!.meta.xreal_m as number).toBeCloseTo(2e-6, 15);
    expect(Array.from(r!.columns.find((c) => c.name === 'Phase')!.values)).toEqual([10, 20, 30, 190, 200, 210]);
  });
  it('a bare matrix is claimed only when the name says PFM/phase; its unit comes from options', async () => {
    const rows = Array.from({ length: 8 }, (_, j) => Array.from({ length: 8 }, (_, i) => (i < 4 ? 30 : 210) + j).join(' ')).join('\n');
    const b = new TextEncoder().encode(rows);
    expect(detectFormat(sniffInput('P01_pfm_phase.txt', b, b.length)).best?.format.id).toBe('spm-ascii-matrix');
    expect(detectFormat(sniffInput('data.txt', b, b.length)).best?.format.id).not.toBe('spm-ascii-matrix');
    const [r] = (await spmAsciiMatrix.parse({ path: 'P01_pfm_phase.txt', bytes: b, options: { unit: 'deg' } })) as ParsedRecord[];
    expect(r!.columns.find((c) => c.name === 'Phase')!.unit).toBe('deg');
    const [u] = (await spmAsciiMatrix.parse({ path: 'P01_pfm_phase.txt', bytes: b })) as ParsedRecord[];
    expect(u!.warnings.some((w) => w.code === 'unit-missing')).toBe(true);
  });
  it('ragged rows and text give typed errors with the line', async () => {
    await expect(parse(spmAsciiMatrix, new TextEncoder().encode('# Channel: Phase\n1 2 3\n4 5\n'))).rejects.toMatchObject({ code: 'ragged-row', line: 3 });
    await expect(parse(spmAsciiMatrix, new TextEncoder().encode('# Channel: Phase\n1 2 3\n4 x 6\n'))).rejects.toMatchObject({ code: 'bad-number', line: 3 });
  });
});
