/**
 * Issue #16: a prior is not printed as a fit. The report prints "prior-fixed (value from …)", "input (…)"
 * and "not identifiable from these data" without a ± or CI; the store keeps the status beside each row.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { parameterValueText } from '../../src/report/format.js';
import { CampaignStore } from '../../src/store/store.js';
import type { CellParameter } from '../../src/report/types.js';
import { syntheticReport } from './synthetic.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const row = (name: string, value: number | null, stderr: number | null, status: CellParameter['status'], provenance?: string): CellParameter => ({
  cell: 'B1',
  group: 'BTO-poled',
  name,
  value,
  unit: '1',
  stderr,
  ci95: stderr === null ? null : [value! - 2 * stderr, value! + 2 * stderr],
  censored: null,
  n: 40,
  fitter: 'replay-model/M2/parabolic',
  fitOk: true,
  sources: ['abc:0'],
  status,
  ...(provenance ? { provenance } : {}),
});
const rows = [
  row('Parabolic corrosion constant [nm2.h-1]', 31.5, 1.25, 'fitted'),
  row('Initial inorganic fraction [1]', 0.4321, null, 'prior-fixed', 'median of the fitted values of 4 control cell(s) (campaign stage 2)'),
  row('Dead Li base fraction [1]', null, null, 'not identifiable', 'CE alone fixes only φ_dead + φ_SEI'),
  row('Initial polarisation retention [1]', 0.4, null, 'input', 'P₀ = Pr/Pr_ref = 8/20 µC cm⁻²'),
];

describe('parameter status in the report', () => {
  it('prints fitted values with ±, the others never', () => {
    expect(parameterValueText(rows[0]!)).toBe('31.5 ± 1.3');
    expect(parameterValueText(rows[1]!)).toBe('0.4321 — prior-fixed (value from median of the fitted values of 4 control cell(s) (campaign stage 2))');
    expect(parameterValueText(rows[2]!)).toBe('not identifiable from these data (CE alone fixes only φ_dead + φ_SEI)');
    expect(parameterValueText(rows[3]!)).toBe('0.4 — input (P₀ = Pr/Pr_ref = 8/20 µC cm⁻²)');
    // a held value that somehow arrives with a stderr still prints none
    expect(parameterValueText({ ...rows[1]!, stderr: 0.01 })).not.toMatch(/±/);
    const r = { ...syntheticReport(), parameters: rows };
    const html = renderHtml(r);
    const md = renderMarkdown(r);
    for (const doc of [html, md]) {
      expect(doc).toMatch(/not identifiable from these data/);
      expect(doc).toMatch(/0\.4321 — prior-fixed \(value from median of the fitted values of 4 control cell\(s\)/);
      expect(doc).not.toMatch(/0\.4321 ±/);
      expect(doc).toMatch(/31\.5 ± 1\.3/);
    }
  });

  it("the store keeps the status: replay rows under scope campaign, a record fitter's non-identifiable value so labelled", async () => {
    const d = mkdtempSync(join(tmpdir(), 'ip-status-'));
    dirs.push(d);
    const store = await CampaignStore.open(join(d, 'store.duckdb'));
    // a prior-fixed row that (wrongly) came with a stderr is stored without it
    await store.replaceCampaignParameters([...rows, { ...rows[1]!, cell: 'B2', stderr: 0.05, ci95: [0.3, 0.5] }]);
    await store.replaceCampaignParameters([...rows, { ...rows[1]!, cell: 'B2', stderr: 0.05, ci95: [0.3, 0.5] }]); // replaced, not appended
    const got = await store.query(`SELECT cell_id, name, value, stderr, ci_low, status, note, scope FROM parameters ORDER BY cell_id, name`);
    store.close();
    expect(got).toHaveLength(5);
    const by = (cell: string, name: string) => got.find((g) => g.cell_id === cell && g.name === name)!;
    expect(by('B1', 'Parabolic corrosion constant [nm2.h-1]')).toMatchObject({ value: 31.5, stderr: 1.25, status: 'fitted', scope: 'campaign' });
    expect(by('B1', 'Dead Li base fraction [1]')).toMatchObject({
      value: null,
      stderr: null,
      status: 'not identifiable',
      note: 'CE alone fixes only φ_dead + φ_SEI',
    });
    expect(by('B2', 'Initial inorganic fraction [1]')).toMatchObject({ value: 0.4321, stderr: null, ci_low: null, status: 'prior-fixed' });
    expect(by('B1', 'Initial polarisation retention [1]')).toMatchObject({ status: 'input' });
  });
});
