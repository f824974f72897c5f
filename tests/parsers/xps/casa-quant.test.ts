/**
 * CasaXPS quantification reports (text), in the layout of real exports (a first line naming the .vms,
 * a blank line, the `Sample Identifier / Name / Position / … / %At Conc` header, the sample identifier
 * only on each sample's first row, summary blocks after a blank line): read by column name into an
 * `xps-quantification` record, then fitted into the SEI inorganic fraction.
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, sniffInput } from '../../../parsers/index.js';
import { casaQuantFormat } from '../../../parsers/xps/casa-quant.js';
import { fitRecord } from '../../../src/fit/index.js';
import { findColumn, type CanonicalRecord } from '../../../src/records/record.js';
import { ParseError } from '../../../src/records/errors.js';

const enc = (s: string) => new TextEncoder().encode(s);

// A depth profile of a cycled Li anode quantified per component in CasaXPS (values made up for the test).
const COMPONENTS = [
  'C:\\data\\LiCu_cycled_profile.vms\t',
  '',
  'Sample Identifier\tName\tPosition\tRaw Area\tArea/(RSF*T*MFP)\t%At Conc\t',
  'Etch Time 0 s\tC 1s (C-C)\t284.80\t3000.0\t3000.0\t30.00\t',
  '\tC 1s (C-O)\t286.50\t1000.0\t1000.0\t10.00\t',
  '\tF 1s (LiF)\t685.10\t8860.0\t2000.0\t20.00\t',
  '\tO 1s\t528.60\t2930.0\t1000.0\t10.00\t',
  '\tLi 1s\t55.20\t1704.0\t3000.0\t30.00\t',
  'Etch Time 60 s\tC 1s (C-C)\t284.80\t1000.0\t1000.0\t10.00\t',
  '\tF 1s (LiF)\t685.00\t13290.0\t3000.0\t30.00\t',
  '\tO 1s\t528.50\t5860.0\t2000.0\t20.00\t',
  '\tLi 1s x\t55.10\t1420.0\t2500.0\t25.00\t',
  '\tLi 1s #\t52.50\t852.0\t1500.0\t15.00\t',
  '',
  '',
  'Peak Area Results Compact form (Atomic Concentrations)',
  'Name\t%Conc\tSample Identifier',
  'C 1s\t40.00\tEtch Time 0 s',
].join('\r\n');

describe('casaxps-quant', () => {
  it('is detected and read by column name: rows, levels from the identifiers, regions from the names', async () => {
    const bytes = enc(COMPONENTS);
    const det = detectFormat(sniffInput('Quant_regions.txt', bytes.subarray(0, 65536), bytes.length));
    expect(det.best?.format.id).toBe('casaxps-quant');
    const [r] = await casaQuantFormat.parse({ path: 'Quant_regions.txt', bytes });
    expect(r!.kind).toBe('xps-quantification');
    expect(Array.from(findColumn(r!, 'Etch Level')!.values)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(findColumn(r!, 'Sputter Time')!.values)).toEqual([0, 0, 0, 0, 0, 60, 60, 60, 60, 60]);
    expect(findColumn(r!, 'Region')!.levels).toEqual(['C 1s', 'F 1s', 'O 1s', 'Li 1s']);
    expect(findColumn(r!, 'Peak')!.levels).toContain('Li 1s #');
    expect(Array.from(findColumn(r!, 'Atomic Percent')!.values).slice(0, 3)).toEqual([30, 10, 20]);
    expect(Array.from(findColumn(r!, 'Peak Binding Energy')!.values)[9]).toBe(52.5);
    expect(r!.meta.source).toBe('C:\\data\\LiCu_cycled_profile.vms');
    expect(r!.warnings).toEqual([]);
  });

  it('gives the SEI inorganic fraction from CasaXPS %At Conc (names, else binding-energy windows)', async () => {
    const [r] = await casaQuantFormat.parse({ path: 'q.txt', bytes: enc(COMPONENTS) });
    const [o] = fitRecord(r as CanonicalRecord, {});
    expect(o!.fitter).toBe('xps-quant-table');
    const f = (scope: string) => o!.parameters.find((p) => p.name === 'sei_inorganic_fraction' && p.scope === scope)!.value;
    // Level 0: inorganic LiF 20 + Li2O (O 1s at 528.6) 10 = 30; organic C–C 30 + C–O 10 = 40 (Li 1s excluded).
    expect(f('etch level 0 (0 s)')).toBeCloseTo(30 / 70, 12);
    // Level 1: LiF 30 + Li2O 20 = 50; C–C 10.
    expect(f('etch level 1 (60 s)')).toBeCloseTo(50 / 60, 12);
    expect(o!.quality.ok).toBe(true);
  });

  it('several samples without etch information are levels in file order, with a warning', async () => {
    const text = [
      'x.vms\t',
      '',
      'Sample Identifier\tName\tPosition\tFWHM\tRaw Area\t%At Conc\t',
      'spot A\tC 1s\t284.9\t1.2\t100\t60\t',
      '\tF 1s\t685.0\t1.7\t300\t40\t',
      'spot B\tC 1s\t284.8\t1.2\t100\t50\t',
      '\tF 1s\t685.1\t1.7\t400\t50\t',
      '',
    ].join('\n');
    const [r] = await casaQuantFormat.parse({ path: 'q.txt', bytes: enc(text) });
    expect(Array.from(findColumn(r!, 'Etch Level')!.values)).toEqual([0, 0, 1, 1]);
    expect(r!.warnings.map((w) => w.code)).toEqual(['samples-as-levels']);
  });

  it('bad input: a non-number, no %At Conc column, no rows', async () => {
    const bad = COMPONENTS.replace('20.00', '2O.00');
    await expect((async () => casaQuantFormat.parse({ path: 'q.txt', bytes: enc(bad) }))()).rejects.toMatchObject({
      code: 'bad-number',
      line: 6,
      column: '%At Conc',
      found: '2O.00',
    });
    const noAt = 'x.vms\t\n\nSample Identifier\tName\tPosition\tRaw Area\t\nA\tC 1s\t284.8\t100\t\n';
    const e = await (async () => casaQuantFormat.parse({ path: 'q.txt', bytes: enc(noAt) }))().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParseError);
    expect(e).toMatchObject({ code: 'missing-column', column: '%At Conc' });
    const empty = 'x.vms\t\n\nSample Identifier\tName\tPosition\t%At Conc\t\n\n';
    await expect((async () => casaQuantFormat.parse({ path: 'q.txt', bytes: enc(empty) }))()).rejects.toMatchObject({ code: 'no-data' });
  });
});
