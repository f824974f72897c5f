/**
 * A small synthetic campaign for the report tests: a store with cycler fit tables, impedance spectra
 * fitted by the real impedance fitter, a ToF-SIMS image fitted by the real sims fitter and P–E loops,
 * plus the CampaignReport a pipeline would build for it. All numbers are generated here.
 */
import { createHash } from 'node:crypto';
import { type CampaignStore, recordId } from '../../src/store/store.js';
import type { CanonicalRecord, Column, RecordKind } from '../../src/records/record.js';
import type { FitOutcome } from '../../src/fit/types.js';
import type { CampaignReport, CellParameter } from '../../src/report/types.js';
import { parseCircuit } from '../../src/fit/eis/circuit.js';
import { simulate } from '../../src/fit/eis/evaluate.js';
import { fitEisRecord } from '../../src/fit/eis/eis-fitter.js';
import { createSimsFitter } from '../../src/fit/sims/fitter.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const col = (name: string, unit: string, values: Float64Array | Int32Array): Column => ({ name, unit, values });

export const CELLS = [
  { id: 'A1', group: 'control', restHours: 0 },
  { id: 'A2', group: 'control', restHours: 24 },
  { id: 'B1', group: 'BTO-poled', restHours: 24 },
] as const;

function record(path: string, kind: RecordKind, columns: Column[], meta: Record<string, unknown> = {}, index = 0): CanonicalRecord {
  return {
    kind,
    format: 'synthetic',
    meta,
    warnings: [],
    columns,
    provenance: { path, size: 1, sha256: sha(path), parser: 'synthetic', parserVersion: '1', recordIndex: index },
  };
}

async function put(
  store: CampaignStore,
  path: string,
  cell: string,
  kind: RecordKind,
  records: CanonicalRecord[],
  outcomes: (FitOutcome | null)[],
): Promise<void> {
  const h = sha(path);
  await store.replaceParsed(
    {
      path,
      sha256: h,
      size: 1,
      mtimeMs: 1,
      format: 'synthetic',
      parserVersion: '1',
      kind,
      cellId: cell,
      records: records.length,
      rows: records[0]?.columns[0]?.values.length ?? 0,
      warnings: [],
    },
    records,
    outcomes.flatMap((o, i) => (o ? [{ recordId: recordId(h, i), cellId: cell, outcome: o }] : [])),
  );
}

/** Cycles: A1/A2 fade slowly, B1 faster; 5 cycles so the Int32 column has an odd byte count / 8. */
export function cycleOutcome(cell: string, k: number): FitOutcome {
  const n = 5;
  const cyc = Float64Array.from({ length: n }, (_, i) => i + 1);
  const dis = cyc.map((c) => 0.002 * (1 - k * 0.01 * c));
  const chg = dis.map((d) => d / 0.98);
  const ce = dis.map((d, i) => d / chg[i]!);
  return {
    fitter: 'cycles',
    fitterVersion: '0.1.0',
    parameters: [{ name: 'ce_mean', value: 0.98, unit: '1' }],
    tables: {
      cycles: [
        col('Cycle Count', '1', cyc),
        col('Charging Capacity', 'Ah', chg),
        col('Discharging Capacity', 'Ah', dis),
        col('Coulombic Efficiency', '1', ce),
        col('Complete', '1', new Int32Array(n).fill(1)),
      ],
    },
    quality: { ok: true, metrics: { cycles: n }, messages: [`synthetic ${cell}`] },
  };
}

export const TRUE_EIS = [5, 40, 1e-5, 0.9, 80, 1e-3, 0.85];

export function eisRecord(path: string, rSei: number, index = 0, meta: Record<string, unknown> = {}): CanonicalRecord {
  const f = Float64Array.from({ length: 45 }, (_, i) => 1e5 * 10 ** ((-6 * i) / 44));
  const p = [...TRUE_EIS];
  p[1] = rSei;
  const z = simulate(parseCircuit('R0-p(R1,CPE1)-p(R2,CPE2)'), p, f);
  return record(path, 'eis', [col('Frequency', 'Hz', f), col('Real Impedance', 'ohm', z.re), col('Imaginary Impedance', 'ohm', z.im)], meta, index);
}

export function simsImageRecord(path: string, W = 32, H = 32): CanonicalRecord {
  const I = new Float64Array(W * H);
  const O = new Float64Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      I[y * W + x] = x < W / 2 ? 40 : 80 + ((x * 7 + y * 13) % 5);
      O[y * W + x] = 60 + ((x * 3 + y * 5) % 7);
    }
  return record(path, 'sims-image', [col('LiF2-', 'counts', I), col('C2H-', 'counts', O)], { width: W, height: H, slices: 1, ions: ['LiF2-', 'C2H-'] });
}

export function peRecord(path: string, pr: number): CanonicalRecord {
  const n = 400;
  const t = Float64Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / (n - 1));
  return record(path, 'pe-loop', [
    col('Time', 's', t),
    col(
      'Electric Field',
      'kV/cm',
      t.map((v) => 150 * Math.sin(v)),
    ),
    col(
      'Polarization',
      'uC/cm2',
      t.map((v) => pr * Math.tanh(3 * Math.sin(v - 0.4))),
    ),
  ]);
}

/** Fill a store with every kind of data the plots read. */
export async function fillStore(store: CampaignStore): Promise<void> {
  for (const [k, c] of CELLS.entries()) {
    const path = `${c.id}/cycling.csv`;
    await put(
      store,
      path,
      c.id,
      'cycler',
      [record(path, 'cycler', [col('Test Time', 's', Float64Array.from([0, 1, 2])), col('Voltage', 'V', Float64Array.from([3, 3.1, 3.2]))])],
      [cycleOutcome(c.id, c.group === 'control' ? 1 + k * 0.2 : 3)],
    );
    const eisPath = `${c.id}/eis.mpt`;
    const recs = [eisRecord(eisPath, 30 + 10 * k, 0, { cycle: 1 }), eisRecord(eisPath, 45 + 10 * k, 1, { cycle: 10 })];
    await put(
      store,
      eisPath,
      c.id,
      'eis',
      recs,
      recs.map((r) => fitEisRecord(r, { electrodeAreaCm2: 1.13 })),
    );
  }
  const img = simsImageRecord('B1/sims_image.txt');
  await put(store, 'B1/sims_image.txt', 'B1', 'sims-image', [img], [createSimsFitter({ permutations: 19 }).fit(img, {})]);
  await put(store, 'B1/pe_pristine.dat', 'B1', 'pe-loop', [peRecord('B1/pe_pristine.dat', 20)], [null]);
  await put(store, 'B1/pe_cycled.dat', 'B1', 'pe-loop', [peRecord('B1/pe_cycled.dat', 14)], [null]);
}

export function syntheticReport(): CampaignReport {
  const life: CellParameter[] = CELLS.map((c, k) => ({
    cell: c.id,
    group: c.group,
    name: 'cycle_life_80',
    value: [120, 180, 300][k]!,
    unit: 'cycles',
    stderr: null,
    ci95: null,
    censored: k === 2,
    n: 1,
    fitter: 'cycles',
    fitOk: true,
    sources: [`${sha(`${c.id}/cycling.csv`).slice(0, 16)}:0`],
  }));
  const ce: CellParameter[] = CELLS.map((c) => ({
    cell: c.id,
    group: c.group,
    name: 'ce_mean',
    value: 0.98,
    unit: '1',
    stderr: 0.001,
    ci95: [0.978, 0.982],
    censored: null,
    n: 1,
    fitter: 'cycles',
    fitOk: true,
    sources: ['x:0'],
  }));
  return {
    schemaVersion: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    interphase: { version: '0.1.0' },
    campaign: { name: 'synthetic <test> campaign', folder: '/tmp/synthetic', manifest: null },
    cells: CELLS.map((c) => ({ id: c.id, group: c.group, poling: c.group === 'control' ? 'none' : 'poled', restHours: c.restHours, files: [], fileCount: 2 })),
    files: [],
    stages: [{ name: 'detect + parse', status: 'done', detail: 'synthetic' }],
    parameters: [...ce, ...life],
    fits: [],
    hypotheses: [{ id: 'H1', claim: 'poled layers extend cycle life', verdict: 'inconclusive', reason: 'synthetic' }],
    problems: [],
  };
}
