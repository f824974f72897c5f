/**
 * The parts of report.html that tell the truth about every file and the manifest (issue #18): the
 * manifest-problem banner and title note, the folder's path states, cells without files and files no
 * cell claims, and the Files table with failures first and full, wrapped paths. Pure: document in, HTML out.
 */
import type { CampaignReport, CellParameter, FileReport } from './types.js';
import { escapeHtml as h } from './format.js';

export const FILES_CSS = `
.banner{border:2px solid #b3261e;background:#fdecea;padding:10px 14px;margin:12px 0;border-radius:4px}
.banner h2{margin:0 0 6px;border:0;color:#b3261e;font-size:16px}
.title-note{color:#b3261e;font-size:15px;font-weight:600}
table.files{table-layout:fixed}
table.files td.path,table.files th.path{width:26%}
table.files th:nth-child(2),table.files th:nth-child(3){width:8%} table.files th:nth-child(4){width:6%}
table.files th:nth-child(5){width:5%} table.files th:nth-child(6),table.files th:nth-child(7){width:7%} table.files th:nth-child(8){width:33%}
table.files td.path code,table.paths td code{white-space:normal;overflow-wrap:anywhere;word-break:break-all}
table.files td.note{overflow-wrap:anywhere}
tr.failed td{background:#fff4f3}
`;

/** Shown in the title area when the manifest has problems. */
export function titleNote(r: CampaignReport): string {
  const n = r.manifestProblems?.length ?? 0;
  return n ? ` <span class="title-note">(built from a manifest with ${n} problem${n === 1 ? '' : 's'}: see the banner)</span>` : '';
}

/** The banner at the top: every manifest problem, and where the last good report is. */
export function manifestBanner(r: CampaignReport): string {
  const probs = r.manifestProblems ?? [];
  if (!probs.length) return '';
  return (
    `<div class="banner" id="manifest-problems" role="alert"><h2>The manifest has ${probs.length} problem${probs.length === 1 ? '' : 's'}</h2>` +
    `<p>Each entry named below is left out until it is fixed; every valid cell, key and pattern is used. ${r.cells.length} cell${r.cells.length === 1 ? '' : 's'} in this report.` +
    `${r.lastGoodReport ? ` The last report built from a manifest without problems is kept: <a href="${h(r.lastGoodReport)}">${h(r.lastGoodReport)}</a>.` : ''}</p>` +
    `<ul>${probs.map((p) => `<li>${h(p)}</li>`).join('')}</ul></div>`
  );
}

/** Parameter sources as file names (record ids in the title attribute). */
export function sourcesHtml(p: CellParameter): string {
  const files = p.sourceFiles?.length ? p.sourceFiles : p.sources;
  return `<code title="${h(p.sources.join(' '))}">${h(files.join(' '))}</code>`;
}

function note(f: FileReport): string {
  if (f.error) return `<b>${h(f.error.type)}</b>: ${h(f.error.message)}${f.quarantined ? ` — copy in <code>${h(f.quarantined)}</code>` : ''}`;
  if (f.duplicateOf) return `same bytes as <code>${h(f.duplicateOf)}</code>`;
  return [
    ...(f.sourceRemoved ? ['source removed from the folder: results kept (<code>batch --prune</code> drops them)'] : []),
    ...(f.status === 'sidecar' && f.companionOf ? [`companion of <code>${h(f.companionOf)}</code>`] : []),
    ...(f.companions?.length ? [`companion file${f.companions.length === 1 ? '' : 's'}: ${f.companions.map((c) => `<code>${h(c)}</code>`).join(', ')}`] : []),
    ...f.warnings.map((w) => h(w.message)),
  ].join('<br>');
}

/** Files failed now first, then source-removed ones, then the rest (each group in path order). */
export function filesInReportOrder(files: readonly FileReport[]): FileReport[] {
  const rank = (f: FileReport): number => (f.status === 'failed' && !f.sourceRemoved ? 0 : f.sourceRemoved ? 1 : 2);
  return [...files].sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The Files section: path states, coverage, then every stored file with failures first and full paths. */
export function filesSectionHtml(r: CampaignReport): string {
  const parts: string[] = [`<style>${FILES_CSS}</style>`, `<h2 id="files">Files</h2>`];
  const states = Object.entries(r.pathStates ?? {}).filter(([, n]) => n);
  if (states.length) parts.push(`<p id="path-states">Every path in the folder, in one state: ${states.map(([k, n]) => `${n} ${h(k)}`).join(' · ')}.</p>`);
  const failures = r.failures ?? [];
  if (failures.length)
    parts.push(
      `<p class="s-failed"><b>${failures.length} file${failures.length === 1 ? '' : 's'} failed now</b> (listed first below; each is retried when its bytes change).</p>`,
    );
  const notRead = (r.paths ?? []).filter((p) => ['ignored', 'temporary', 'symlink-not-followed', 'unreadable', 'pending'].includes(p.state));
  if (notRead.length) {
    parts.push(`<h3 id="not-read">Not read</h3><div class="scroll"><table class="paths"><tr><th>path</th><th>state</th><th>why</th></tr>`);
    for (const p of notRead) parts.push(`<tr><td><code>${h(p.path)}</code></td><td>${h(p.state)}</td><td>${h(p.detail ?? '')}</td></tr>`);
    parts.push(`</table></div>`);
  }
  const cov = r.coverage;
  if (cov?.emptyCells.length) {
    parts.push(
      `<h3 id="cells-without-files">Cells without files</h3><div class="scroll"><table class="paths"><tr><th>cell</th><th>claims</th><th>hint</th></tr>`,
    );
    for (const c of cov.emptyCells) parts.push(`<tr><td>${h(c.cell)}</td><td>${h(c.rule)}</td><td>${h(c.hint ?? '')}</td></tr>`);
    parts.push(`</table></div>`);
  }
  if (cov?.unclaimed.length) {
    parts.push(
      `<h3 id="unclaimed-files">Files no cell claims</h3><div class="scroll"><table class="paths"><tr><th>file</th><th>why</th><th>pattern that would claim it</th></tr>`,
    );
    for (const u of cov.unclaimed)
      parts.push(
        `<tr><td><code>${h(u.path)}</code></td><td>${h(u.reason)}</td><td><code>${h(u.pattern)}</code>${u.cell ? ` in cell ${h(u.cell)}'s <code>files</code>` : ''}</td></tr>`,
      );
    parts.push(`</table></div>`);
  }
  parts.push(
    `<div class="scroll"><table class="files"><tr><th class="path">file</th><th>state</th><th>format</th><th>kind</th><th>cell</th><th>records</th><th>rows</th><th>warnings / error</th></tr>`,
  );
  for (const f of filesInReportOrder(r.files)) {
    const failed = f.status === 'failed' && !f.sourceRemoved;
    parts.push(
      `<tr${failed ? ' class="failed"' : ''}><td class="path"><code>${h(f.path)}</code></td><td class="s-${f.status}">${h(f.state ?? f.status)}</td><td>${h(f.format ?? '—')}</td><td>${h(f.kind ?? '—')}</td><td>${h(f.cell ?? '—')}</td><td class="num">${f.records}</td><td class="num">${f.rows}</td><td class="note">${note(f)}</td></tr>`,
    );
  }
  parts.push(`</table></div>`);
  return parts.join('\n');
}
