/** report.md: the same content as the HTML, for lab notebooks. Pure: document in, text out. */
import type { CampaignReport } from './types.js';
import { filesInReportOrder } from './html-files.js';
import { escapeMd as e, fmt, parameterValueText } from './format.js';

export function renderMarkdown(r: CampaignReport): string {
  const L: string[] = [];
  const mp = r.manifestProblems ?? [];
  L.push(
    `# Interphase report — ${e(r.campaign.name)}${mp.length ? ` (built from a manifest with ${mp.length} problem${mp.length === 1 ? '' : 's'})` : ''}`,
    '',
  );
  if (mp.length) {
    L.push(
      `> **The manifest has ${mp.length} problem${mp.length === 1 ? '' : 's'}.** Each entry named is left out until fixed; every valid cell is used (${r.cells.length} cells here).${r.lastGoodReport ? ` The last report built without problems is kept in \`${r.lastGoodReport}\`.` : ''}`,
      '>',
    );
    for (const p of mp) L.push(`> - ${e(p)}`);
    L.push('');
  }
  L.push(
    `Generated ${r.generatedAt} by Interphase ${r.interphase.version}. Campaign folder \`${r.campaign.folder}\`; manifest ${r.campaign.manifest ? `\`${r.campaign.manifest}\`` : 'none'}.`,
    '',
  );
  const other = r.problems.filter((p) => !mp.includes(p));
  if (other.length) {
    L.push('## Problems', '', ...other.map((p) => `- ${e(p)}`), '');
  }
  const states = Object.entries(r.pathStates ?? {}).filter(([, n]) => n);
  if (states.length) L.push(`Every path in the folder, in one state: ${states.map(([k, n]) => `${n} ${k}`).join(', ')}.`, '');
  for (const f of r.failures ?? []) L.push(`- **failed now**: ${e(f.message.startsWith(f.path) ? f.message : `${f.path}: ${f.message}`)}`);
  if (r.failures?.length) L.push('');
  const notRead = (r.paths ?? []).filter((p) => ['ignored', 'temporary', 'symlink-not-followed', 'unreadable', 'pending', 'source removed'].includes(p.state));
  if (notRead.length) L.push('Not read:', '', ...notRead.map((p) => `- ${e(p.path)} — ${p.state}${p.detail ? `: ${e(p.detail)}` : ''}`), '');
  for (const c of r.coverage?.emptyCells ?? []) L.push(`- cell ${e(c.cell)} has no files: it claims ${e(c.rule)}${c.hint ? `; ${e(c.hint)}` : ''}`);
  for (const u of r.coverage?.unclaimed ?? [])
    L.push(`- no cell claims ${e(u.path)}: ${e(u.reason)}; the pattern \`${u.pattern}\`${u.cell ? ` in cell ${e(u.cell)}'s files` : ''} would claim it`);
  if (r.coverage?.emptyCells.length || r.coverage?.unclaimed.length) L.push('');
  const n = (s: string): number => r.files.filter((f) => f.status === s).length;
  L.push(
    `Files: ${r.files.length} — ${n('parsed')} parsed, ${n('failed')} unreadable (failed), ${n('duplicate')} duplicates, ${n('sidecar')} companion files (metadata sidecars attached to their data file).`,
    '',
  );
  L.push('## Pipeline stages', '', '| stage | status | detail |', '|---|---|---|');
  for (const s of r.stages) L.push(`| ${e(s.name)} | ${s.status} | ${e(s.detail)} |`);
  if (r.settings?.length) {
    L.push(
      '',
      '## Settings',
      '',
      "Analysis settings in force: the default unless the manifest's `analysis:` sets it; overrides apply only to the group, cell or files they name.",
      '',
    );
    L.push('| section | key | value | unit | source | read by |', '|---|---|---|---|---|---|');
    for (const s of r.settings)
      L.push(`| ${s.section} | \`${s.key}\` | ${e(s.valueText)} | ${e(s.unit === '1' ? '' : s.unit)} | ${e(s.source)} | ${e(s.readBy)} |`);
  }
  L.push('', '## Cells', '', '| cell | group | poling | ferroelectric | cell type | rest h | files |', '|---|---|---|---|---|---|---|');
  for (const c of r.cells)
    L.push(`| ${e(c.id)} | ${e(c.group)} | ${c.poling} | ${e(c.ferroelectric ?? '—')} | ${c.cellType ?? '—'} | ${fmt(c.restHours ?? null)} | ${c.fileCount} |`);
  L.push(
    '',
    '## Hypotheses',
    '',
    ...(r.ferroelectricClaim ? [`**${e(r.ferroelectricClaim)}**`, ''] : []),
    '| id | claim | verdict | reason |',
    '|---|---|---|---|',
  );
  for (const h of r.hypotheses) L.push(`| ${h.id} | ${e(h.claim)} | **${h.verdict}** | ${e(h.reason)} |`);
  L.push('', '## Parameters per cell', '');
  if (r.parameters.length === 0) L.push('No fitted parameters yet (see stages above).');
  else {
    L.push('| cell | group | parameter | value | unit | n | fitter | fit ok | source files |', '|---|---|---|---|---|---|---|---|---|');
    for (const p of r.parameters)
      L.push(
        `| ${e(p.cell || (p.file ? '(per file)' : '—'))} | ${e(p.group)} | ${e(p.name)}${p.censored ? ' (censored)' : ''} | ${e(parameterValueText(p))} | ${e(p.unit)} | ${p.n} | ${e(p.fitter)} | ${p.fitOk ? 'yes' : 'NO'} | ${e((p.sourceFiles ?? p.sources).join(' '))} |`,
      );
  }
  if (r.impedanceHistory?.length) {
    L.push(
      '',
      "## Impedance spectra in each cell's history",
      '',
      '| cell | spectrum | measured at | cycles before | hours at rest | R_SEI (Ω) | CPE α |',
      '|---|---|---|---|---|---|---|',
    );
    for (const x of r.impedanceHistory)
      L.push(
        `| ${e(x.cell)} | ${e(x.path)} | ${x.measuredAt ?? '—'} | ${fmt(x.cyclesBefore)} | ${fmt(x.restHours, 3)} | ${fmt(x.rSei)} | ${fmt(x.alpha, 3)} |`,
      );
  }
  L.push('', '## Files', '', '| file | status | format | kind | cell | records | rows | warnings / error |', '|---|---|---|---|---|---|---|---|');
  for (const f of filesInReportOrder(r.files)) {
    const note = f.error
      ? `${f.error.type}: ${f.error.message}`
      : f.duplicateOf
        ? `same bytes as ${f.duplicateOf}`
        : [
            ...(f.status === 'sidecar' && f.companionOf ? [`companion of ${f.companionOf}`] : []),
            ...(f.companions?.length ? [`companion files: ${f.companions.join(', ')}`] : []),
            ...f.warnings.map((w) => w.message),
          ].join('; ');
    L.push(`| ${e(f.path)} | ${f.status} | ${f.format ?? '—'} | ${f.kind ?? '—'} | ${f.cell ?? '—'} | ${f.records} | ${f.rows} | ${e(note)} |`);
  }
  L.push('', '## Provenance', '', '| file | sha256 | parser | version |', '|---|---|---|---|');
  for (const f of r.files) L.push(`| ${e(f.path)} | \`${f.sha256 ?? '—'}\` | ${f.parser ?? '—'} | ${f.parserVersion ?? '—'} |`);
  L.push('');
  return L.join('\n');
}
