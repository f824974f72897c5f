/** EC-Lab / BT-Lab text exports: real files, real values (read off the files with a text editor). */
import { describe, expect, it } from 'vitest';
import { HAVE_REAL_DATA, readReal } from '../../helpers/realData.js';
import { biologicMpt } from '../../../parsers/biologic/index.js';
import { parseMpt } from '../../../parsers/biologic/mpt.js';
import type { ParsedRecord } from '../../../src/records/record.js';
import { close, col, first, last, sniffOf, unitOf } from './helpers.js';

const CY = 'cycler/biologic-mpt/';
const EI = 'eis/biologic-mpt/';
const parse = (rel: string): ParsedRecord[] => parseMpt(rel, readReal(rel));

describe.skipIf(!HAVE_REAL_DATA)('biologic-mpt on real files', () => {
  it('mb.issue_95: Modulo Bat, 33 rows, header metadata, mA → A', () => {
    const [r, ...rest] = parse(CY + 'yadg__mb.issue_95.mpt');
    expect(rest).toHaveLength(0);
    expect(r!.kind).toBe('cycler');
    expect(col(r!, 'Test Time')).toHaveLength(33);
    expect(last(col(r!, 'Test Time'))).toBeCloseTo(30.00019924211665, 12);
    expect(first(col(r!, 'Voltage'))).toBe(2.3278546);
    expect(unitOf(r!, 'Current')).toBe('A');
    expect(last(col(r!, 'Current'))).toBeCloseTo(-0.064980278, 12);
    // Q charge/discharge −0.1805 mA·h at the end = discharge capacity 1.805e-4 Ah.
    expect(last(col(r!, 'Discharging Capacity'))).toBeCloseTo(1.805086487871806e-4, 15);
    expect(last(col(r!, 'Charging Energy'))).toBeCloseTo(6.477992485275269e-4, 15);
    expect(r!.meta).toMatchObject({
      technique: 'MB',
      techniqueName: 'Modulo Bat',
      instrument: 'VSP',
      deviceSerial: '1705',
      channel: '1',
      channelSerial: '35699',
      software: 'EC-Lab',
      softwareVersion: '11.43',
      startTime: '2022-12-08T14:36:53.355',
      characteristicMass: { value: 0.001, unit: 'g' },
    });
  });

  it('mb.issue_95.de (decimal comma) gives exactly the numbers of the English export', () => {
    const [en] = parse(CY + 'yadg__mb.issue_95.mpt');
    const [de] = parse(CY + 'yadg__mb.issue_95.de.mpt');
    expect(de!.meta.decimalComma).toBe(true);
    expect(en!.meta.decimalComma).toBe(false);
    expect(de!.columns.map((c) => `${c.name}/${c.unit}`)).toEqual(en!.columns.map((c) => `${c.name}/${c.unit}`));
    for (const c of en!.columns) expect(Array.from(col(de!, c.name)), c.name).toEqual(Array.from(c.values));
    expect(de!.meta.startTime).toBe(en!.meta.startTime);
    expect(de!.meta.characteristicMass).toEqual({ value: 0.001, unit: 'g' });
  });

  it('gcpl.issue_149 (decimal comma, <I>/mA): 132 rows, cycles 0..3, charge/discharge capacities as exported', () => {
    const [r] = parse(CY + 'yadg__gcpl.issue_149.mpt');
    expect(col(r!, 'Test Time')).toHaveLength(132);
    expect(first(col(r!, 'Test Time'))).toBeCloseTo(30.15299923827115, 12);
    expect(first(col(r!, 'Voltage'))).toBe(3.4228721);
    expect(Math.max(...col(r!, 'Cycle Count'))).toBe(3);
    expect(r!.meta).toMatchObject({
      technique: 'GCPL',
      instrument: 'SP-300',
      deviceSerial: '1854',
      softwareVersion: '11.50',
      startTime: '2024-01-10T11:02:29.886',
    });
    expect(unitOf(r!, 'Step Time')).toBe('s');
  });

  it('gcpl.pr_182.1: "Nb header lines : 3" (no settings block), 2533 rows, 4 cycles', () => {
    const [r] = parse(CY + 'yadg__gcpl.pr_182.1.mpt');
    expect(col(r!, 'Test Time')).toHaveLength(2533);
    expect(last(col(r!, 'Test Time'))).toBeCloseTo(302518.9476075938, 8);
    expect(first(col(r!, 'Voltage'))).toBe(2.3403094);
    expect(last(col(r!, 'Voltage'))).toBe(1.1594497);
    expect(last(col(r!, 'Cycle Count'))).toBe(4);
    expect(r!.meta.technique).toBeUndefined();
  });

  it('header-less export (first line = columns): Ecell/V as Voltage, latin-1 damaged °C repaired', () => {
    const bytes = readReal(CY + 'pyprobe__Sample_data_biologic_no_header.mpt');
    expect(biologicMpt.sniff(sniffOf('x.mpt', bytes))).toEqual({ confidence: 0.8, kind: 'cycler' });
    const [r] = parseMpt('no_header.mpt', bytes);
    expect(col(r!, 'Test Time')).toHaveLength(13);
    expect(first(col(r!, 'Test Time'))).toBeCloseTo(281672.3801174285, 8);
    expect(first(col(r!, 'Voltage'))).toBe(2.9344745);
    expect(last(col(r!, 'Voltage'))).toBe(2.9814022);
    expect(unitOf(r!, 'Ambient Temperature')).toBe('degC');
    expect(first(col(r!, 'Ambient Temperature'))).toBe(24.443432);
    expect(r!.meta.headerBlock).toBe(false);
  });

  it('BT-Lab timestamps in time/s: Unix Time kept, Test Time from the acquisition start', () => {
    const [r] = parse(CY + 'pyprobe__Sample_data_biologic_timestamped.txt');
    const t = col(r!, 'Test Time');
    expect(t).toHaveLength(8);
    expect(first(t)).toBe(0);
    expect(last(t)).toBeCloseTo(12.464, 6); // 11:38:54.171 − 11:38:41.707 (Unix-second doubles: ~1e-7 s)
    expect(first(col(r!, 'Unix Time'))).toBeCloseTo(Date.UTC(2024, 10, 20, 11, 38, 41) / 1000 + 0.707, 6);
    expect(last(col(r!, 'Current'))).toBeCloseTo(0.4499184, 10);
    expect(r!.meta).toMatchObject({
      software: 'BT-Lab',
      softwareVersion: '1.80',
      instrument: 'BCS-815',
      deviceSerial: '0433',
      channel: 'A1',
      startTime: '2024-11-20T11:38:41.707',
      absoluteTimestamps: true,
    });
  });

  it('ocv.old: 602 rows, no current column → 0 A with a warning', () => {
    const [r] = parse(CY + 'yadg__ocv.old.mpt');
    expect(col(r!, 'Voltage')).toHaveLength(602);
    expect(first(col(r!, 'Voltage'))).toBe(0.25594452);
    expect(last(col(r!, 'Test Time'))).toBeCloseTo(35999.99995540908, 8);
    expect(col(r!, 'Current').every((v) => v === 0)).toBe(true);
    expect(r!.warnings.map((w) => w.code)).toContain('implied-current');
    expect(r!.meta).toMatchObject({ technique: 'OCV', instrument: 'VMP3', channel: '13', characteristicMass: { value: 1.136, unit: 'mg' } });
  });

  it('peis: one spectrum of 32 points 200 kHz → 1 Hz, Im(Z) = −(−Im(Z))', () => {
    const bytes = readReal(EI + 'yadg__peis.mpt');
    expect(biologicMpt.sniff(sniffOf('peis.mpt', bytes))).toEqual({ confidence: 1, kind: 'eis' });
    const recs = parseMpt('peis.mpt', bytes);
    expect(recs).toHaveLength(1);
    const r = recs[0]!;
    expect(r.kind).toBe('eis');
    expect(first(col(r, 'Frequency'))).toBe(199998.14);
    expect(last(col(r, 'Frequency'))).toBe(1.0000616);
    expect(first(col(r, 'Real Impedance'))).toBe(10.512296);
    expect(first(col(r, 'Imaginary Impedance'))).toBe(-0.73047662);
    expect(last(col(r, 'Imaginary Impedance'))).toBe(-2.6962531);
    expect(r.meta).toMatchObject({ technique: 'PEIS', spectrumIndex: 0, cycleNumber: 1, points: 32 });
    expect(r.meta.sweepStartTime).toBeCloseTo(448.1567263361649, 10);
  });

  it('geis.issue_149: four sweeps of 21 points, split where the frequency jumps back up', () => {
    const recs = parse(EI + 'yadg__geis.issue_149.mpt');
    expect(recs.map((r) => col(r, 'Frequency').length)).toEqual([21, 21, 21, 21]);
    expect(recs.map((r) => r.meta.cycleNumber)).toEqual([1, 2, 3, 4]);
    expect(first(col(recs[0]!, 'Imaginary Impedance'))).toBe(2.1745603); // inductive at 200 kHz
    expect(last(col(recs[3]!, 'Frequency'))).toBe(99.968163);
    expect(last(col(recs[3]!, 'Imaginary Impedance'))).toBe(-17.565895);
  });

  it('peis.issue_225.with_ece: two labels without data are dropped with a warning', () => {
    const [r] = parse(EI + 'yadg__peis.issue_225.with_ece.mpt');
    expect(col(r!, 'Frequency')).toHaveLength(32);
    expect(r!.warnings.find((w) => w.code === 'header-extra-columns')?.message).toContain("'Ewe-Ece/V'");
    expect(last(col(r!, 'Rwe-ce'))).toBe(4276229); // the last labelled column holds the last cell
  });

  it('mb.issue_223: Modulo Bat with impedance → a cycler record of the cycling rows and 4 EIS sweeps', () => {
    const bytes = readReal(CY + 'yadg__mb.issue_223.mpt');
    expect(biologicMpt.sniff(sniffOf('mb.mpt', bytes))).toEqual({ confidence: 1, kind: 'cycler' });
    const recs = parseMpt('mb.mpt', bytes);
    expect(recs.map((r) => r.kind)).toEqual(['cycler', 'eis', 'eis', 'eis', 'eis']);
    expect(col(recs[0]!, 'Test Time')).toHaveLength(108 - 4 * 19);
    expect(recs[0]!.meta.impedancePointsInEisRecords).toBe(76);
    for (const e of recs.slice(1)) expect(first(col(e, 'Frequency'))).toBe(1000.3202);
    expect(first(col(recs[0]!, 'Voltage'))).toBe(3.6981504);
  });

  it('cp: <Ewe>/V → Voltage, (Q-Qo)/C → Net Capacity in Ah', () => {
    const [r] = parse(CY + 'yadg__cp.mpt');
    expect(col(r!, 'Voltage')).toHaveLength(121);
    expect(first(col(r!, 'Voltage'))).toBe(-3.2463198);
    expect(first(col(r!, 'Current'))).toBeCloseTo(-0.099888, 12);
    expect(unitOf(r!, 'Net Capacity')).toBe('Ah');
    expect(r!.meta).toMatchObject({ technique: 'CP', instrument: 'SP-240', softwareVersion: '11.33' });
  });
});

describe('biologic-mpt sniffing without real data', () => {
  it('does not claim an unrelated CSV', () => {
    const b = new TextEncoder().encode('Date,Time,Voltage\n1,2,3\n');
    expect(biologicMpt.sniff(sniffOf('a.csv', b))).toEqual({ confidence: 0 });
  });
  it('is sure about the EC-Lab magic', () => {
    const b = new TextEncoder().encode('EC-Lab ASCII FILE\r\nNb header lines : 5\r\n\r\nPotentio Electrochemical Impedance Spectroscopy\r\n');
    expect(biologicMpt.sniff(sniffOf('a.mpt', b))).toEqual({ confidence: 1, kind: 'eis' });
  });
  it('closeness helper sanity', () => expect(close(1, 1 + 1e-9)).toBe(true));
});
