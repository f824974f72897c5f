/**
 * report.html: one self-contained file (inline CSS, inline SVG, no scripts from a CDN) that opens
 * offline. Pure: document in, HTML out. Every number comes from the CampaignReport.
 */
import type { CampaignReport } from './types.js';
import { filesSectionHtml, manifestBanner, sourcesHtml, titleNote } from './html-files.js';
import { escapeHtml as h, fmt, parameterValueText } from './format.js';
import { BOOT, FIGURE_CSS, figureHtml, jsonScript, vegaBundle, type ReportFigure } from './interactive.js';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#fafbfc}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.meta{color:#5a6577;font-size:13px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px;margin:6px 0}
th,td{border:1px solid #e3e7ee;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f4f8;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.v-supported{color:#0a7a3b;font-weight:600}.v-refuted{color:#b3261e;font-weight:600}.v-inconclusive{color:#9a6700;font-weight:600}
.v-not-available,.v-not-testable{color:#6b7280}
.s-failed{color:#b3261e}.s-parsed{color:#0a7a3b}.s-duplicate{color:#6b7280}.s-sidecar{color:#3b5b8a}
.na{color:#6b7280;font-style:italic}
code{font-size:12px;word-break:break-all}
.scroll{overflow-x:auto}
figure.plot{margin:8px 0 18px;overflow-x:auto} figure.plot figcaption{color:#5a6577;font-size:12px;max-width:900px}
@media (max-width:800px){main{padding:10px}td,th{padding:3px 4px}}
${FIGURE_CSS}`;

function cls(s: string): string {
  return s.replace(/\s+/g, '-');
}

/** What a page inlines besides vega and vega-embed. */
export interface PageScriptOptions {
  /** The vega-lite bundle too (`reportVegaLite` in src/settings.ts). @default false */
  readonly vegaLite?: boolean;
}

export interface RenderHtmlOptions extends PageScriptOptions {
  /**
   * Interactive figures (campaign level, each with its static SVG): drawn by vega-embed in the page, the
   * static SVG kept for print and for a browser without scripts. When given, `plots` is not used.
   */
  readonly figures?: readonly ReportFigure[];
  /** Link every cell to its page `cells/<file>` (file name from `cellPageName`). */
  readonly cellPages?: boolean;
}

/** File name of a cell's page in `cells/`: the id with anything outside [A-Za-z0-9._-] replaced by `_`. */
export function cellPageName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
  return `${safe}.html`;
}

function figuresHtml(figures: readonly ReportFigure[], headingTag: 'h2' | 'h3'): string[] {
  const parts = figures.map(
    (f, i) => `<${headingTag}>${h(f.title)}</${headingTag}>${figureHtml(f, i, f.caption ? `<figcaption>${h(f.caption)}</figcaption>` : '')}`,
  );
  return [
    ...parts,
    jsonScript(
      'ip-specs',
      figures.map((f) => f.spec),
    ),
  ];
}

/** The page's scripts: the inlined vega and vega-embed bundles (see `vegaBundle`) and the boot script. */
function scriptsHtml(o: PageScriptOptions): string {
  return `${vegaBundle(o.vegaLite ?? false)}\n<script>${BOOT}</script>`;
}

export function renderHtml(r: CampaignReport, plots: Readonly<Record<string, string>> = {}, o: RenderHtmlOptions = {}): string {
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<title>Interphase — ${h(r.campaign.name)}</title><style>${CSS}</style></head><body><main>`);
  parts.push(`<h1>Interphase report — ${h(r.campaign.name)}${titleNote(r)}</h1>`);
  parts.push(manifestBanner(r));
  parts.push(
    `<div class="meta">Generated ${h(r.generatedAt)} · Interphase ${h(r.interphase.version)} · folder <code>${h(r.campaign.folder)}</code> · manifest ${r.campaign.manifest ? `<code>${h(r.campaign.manifest)}</code>` : 'none'}</div>`,
  );
  const parsed = r.files.filter((f) => f.status === 'parsed').length;
  const failed = r.files.filter((f) => f.status === 'failed').length;
  const sidecars = r.files.filter((f) => f.status === 'sidecar').length;
  parts.push(
    `<p>${r.cells.length} cells in ${new Set(r.cells.map((c) => c.group)).size} groups · ${r.files.length} files: ${parsed} parsed, ${failed} unreadable (failed)${failed ? ' (see Files; copies with reasons are in quarantine/)' : ''}${sidecars ? `, ${sidecars} companion file${sidecars === 1 ? '' : 's'} (metadata sidecars, attached to their data file)` : ''}.</p>`,
  );
  parts.push(
    `<p>Tables: <a href="tables.xlsx">tables.xlsx</a> · <a href="parameters.csv">parameters.csv</a> · <a href="cycles.csv">cycles.csv</a> · <a href="report.json">report.json</a> · <a href="report.md">report.md</a></p>`,
  );
  const otherProblems = r.problems.filter((p) => !(r.manifestProblems ?? []).includes(p)); // manifest ones are in the banner
  if (otherProblems.length) parts.push(`<h2>Problems</h2><ul>${otherProblems.map((p) => `<li>${h(p)}</li>`).join('')}</ul>`);

  parts.push(
    `<h2 id="hypotheses">Hypotheses</h2>${r.ferroelectricClaim ? `<p class="fe-claim"><strong>${h(r.ferroelectricClaim)}</strong></p>` : ''}<div class="scroll"><table><tr><th>id</th><th>claim</th><th>verdict</th><th>reason</th></tr>`,
  );
  for (const x of r.hypotheses)
    parts.push(`<tr><td>${x.id}</td><td>${h(x.claim)}</td><td class="v-${cls(x.verdict)}">${x.verdict}</td><td>${h(x.reason)}</td></tr>`);
  parts.push(`</table></div>`);

  if (o.figures) {
    if (o.figures.length) parts.push(...figuresHtml(o.figures, 'h2'));
    if (o.cellPages && r.cells.length)
      parts.push(
        `<p>Per-cell plots (impedance, P–E loops, ToF-SIMS maps, XPS profiles, model replay, cycling) are on each cell's page: ${r.cells.map((c) => `<a href="cells/${h(cellPageName(c.id))}">${h(c.id)}</a>`).join(' · ')}.</p>`,
      );
  } else for (const [title, svg] of Object.entries(plots)) parts.push(`<h2>${h(title)}</h2><figure class="plot">${svg}</figure>`);

  parts.push(`<h2 id="stages">Pipeline stages</h2><table><tr><th>stage</th><th>status</th><th>detail</th></tr>`);
  for (const s of r.stages)
    parts.push(`<tr><td>${h(s.name)}</td><td class="${s.status === 'done' ? 's-parsed' : 'na'}">${s.status}</td><td>${h(s.detail)}</td></tr>`);
  parts.push(`</table>`);

  if (r.settings?.length) {
    // Every analysis setting in force and where it came from (default / analysis / override #k).
    parts.push(
      `<h2 id="settings">Settings</h2><p>Analysis settings in force: the default unless the manifest's <code>analysis:</code> sets it; overrides apply only to the group, cell or files they name (docs/analysis-options.md).</p>`,
    );
    parts.push(`<div class="scroll"><table><tr><th>section</th><th>key</th><th>value</th><th>unit</th><th>source</th><th>read by</th></tr>`);
    for (const s of r.settings)
      parts.push(
        `<tr><td>${h(s.section)}</td><td><code>${h(s.key)}</code></td><td>${h(s.valueText)}</td><td>${h(s.unit === '1' ? '' : s.unit)}</td><td>${h(s.source)}</td><td>${h(s.readBy)}</td></tr>`,
      );
    parts.push(`</table></div>`);
  }

  parts.push(
    `<h2 id="cells">Cells</h2><div class="scroll"><table><tr><th>cell</th><th>group</th><th>poling</th><th>ferroelectric</th><th>anion</th><th>electrolyte</th><th>cell type</th><th>rest (h)</th><th>j (mA/cm²)</th><th>files</th></tr>`,
  );
  for (const c of r.cells) {
    const id = o.cellPages ? `<a href="cells/${h(cellPageName(c.id))}">${h(c.id)}</a>` : h(c.id);
    parts.push(
      `<tr><td>${id}</td><td>${h(c.group)}</td><td>${c.poling}</td><td>${h(c.ferroelectric ?? '—')}</td><td>${h(c.preadsorbedAnion ?? '—')}</td><td>${h(c.electrolyte ?? '—')}</td><td>${h(c.cellType ?? '—')}</td><td class="num">${fmt(c.restHours ?? null)}</td><td class="num">${fmt(c.currentDensityMaCm2 ?? null)}</td><td class="num">${c.fileCount}</td></tr>`,
    );
  }
  parts.push(`</table></div>`);

  parts.push(`<h2 id="parameters">Parameters per cell</h2>`);
  if (r.parameters.length === 0) parts.push(`<p class="na">No fitted parameters yet: see the stages above for what is not available.</p>`);
  else {
    parts.push(
      `<div class="scroll"><table><tr><th>cell</th><th>group</th><th>parameter</th><th>value</th><th>unit</th><th>n</th><th>fitter</th><th>fit ok</th><th>sources</th></tr>`,
    );
    for (const p of r.parameters) {
      parts.push(
        `<tr><td>${h(p.cell || (p.file ? '(per file)' : '—'))}</td><td>${h(p.group)}</td><td>${h(p.name)}${p.censored ? ' <em>(censored)</em>' : ''}</td><td class="num">${h(parameterValueText(p))}</td><td>${h(p.unit)}</td><td class="num">${p.n}</td><td>${h(p.fitter)}</td><td>${p.fitOk ? 'yes' : '<b>no</b>'}</td><td>${sourcesHtml(p)}</td></tr>`,
      );
    }
    parts.push(`</table></div>`);
  }

  if (r.impedanceHistory?.length) {
    parts.push(
      `<h2 id="impedance-history">Impedance spectra in each cell's history</h2><div class="scroll"><table><tr><th>cell</th><th>spectrum</th><th>measured at</th><th>cycles before</th><th>hours at rest</th><th>R_SEI (Ω)</th><th>CPE α</th></tr>`,
    );
    for (const x of r.impedanceHistory)
      parts.push(
        `<tr><td>${h(x.cell)}</td><td><code>${h(x.path)}</code></td><td>${h(x.measuredAt ?? '—')}</td><td class="num">${fmt(x.cyclesBefore)}</td><td class="num">${fmt(x.restHours, 3)}</td><td class="num">${fmt(x.rSei)}</td><td class="num">${fmt(x.alpha, 3)}</td></tr>`,
      );
    parts.push(`</table></div>`);
  }

  parts.push(filesSectionHtml(r));

  parts.push(`<h2 id="provenance">Provenance</h2><div class="scroll"><table><tr><th>file</th><th>SHA-256</th><th>parser</th><th>version</th></tr>`);
  for (const f of r.files)
    parts.push(
      `<tr><td><code>${h(f.path)}</code></td><td><code>${h(f.sha256 ?? '—')}</code></td><td>${h(f.parser ?? '—')}</td><td>${h(f.parserVersion ?? '—')}</td></tr>`,
    );
  parts.push(`</table></div>`);
  if (r.fits.length) {
    parts.push(
      `<h2 id="fits">Fits</h2><div class="scroll"><table><tr><th>record</th><th>file</th><th>fitter</th><th>ok</th><th>metrics</th><th>messages</th></tr>`,
    );
    for (const f of r.fits) {
      parts.push(
        `<tr><td><code>${h(f.recordId)}</code></td><td><code>${h(f.path)}</code></td><td>${h(f.fitter)} ${h(f.fitterVersion)}</td><td>${f.ok ? 'yes' : '<b>no</b>'}</td><td>${Object.entries(
          f.metrics,
        )
          .map(([k, v]) => `${h(k)}=${fmt(v)}`)
          .join(', ')}</td><td>${f.messages.map(h).join('<br>')}</td></tr>`,
      );
    }
    parts.push(`</table></div>`);
  }
  parts.push(`</main>`);
  if (o.figures?.length) parts.push(scriptsHtml(o));
  parts.push(`</body></html>`);
  return parts.join('\n');
}

/**
 * cells/<id>.html: one cell's manifest facts, its plots (interactive; printed as the SVG the page drew),
 * its parameters and its files. Opens offline like report.html; links back to it.
 */
export function renderCellHtml(r: CampaignReport, cellId: string, figures: readonly ReportFigure[], o: PageScriptOptions = {}): string {
  const c = r.cells.find((x) => x.id === cellId);
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  parts.push(`<title>${h(cellId)} — Interphase — ${h(r.campaign.name)}</title><style>${CSS}</style></head><body><main>`);
  parts.push(`<p class="meta"><a href="../report.html">← ${h(r.campaign.name)} report</a></p>`);
  parts.push(`<h1>Cell ${h(cellId)}${c ? ` — ${h(c.group)}` : ''}</h1>`);
  parts.push(`<div class="meta">Generated ${h(r.generatedAt)} · Interphase ${h(r.interphase.version)}</div>`);
  if (c) {
    const facts: [string, string][] = [
      ['group', c.group],
      ['poling', c.poling],
      ['ferroelectric', c.ferroelectric ?? '—'],
      ['poling direction', c.polingDirection ?? '—'],
      ['pre-adsorbed anion', c.preadsorbedAnion ?? '—'],
      ['electrolyte', c.electrolyte ?? '—'],
      ['cell type', c.cellType ?? '—'],
      ['rest (h)', fmt(c.restHours ?? null)],
      ['rest position', c.restPosition ?? '—'],
      ['j (mA/cm²)', fmt(c.currentDensityMaCm2 ?? null)],
      ['areal capacity (mAh/cm²)', fmt(c.arealCapacityMahCm2 ?? null)],
      ['electrode area (cm²)', fmt(c.electrodeAreaCm2 ?? null)],
      ['film thickness (nm)', fmt(c.filmThicknessNm ?? null)],
      ['batch', c.batch ?? '—'],
      ['cycler', c.cycler ?? '—'],
      ['files', String(c.fileCount)],
      ...(c.notes ? [['notes', c.notes] as [string, string]] : []),
    ];
    parts.push(
      `<h2 id="facts">Manifest</h2><div class="scroll"><table>${facts.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table></div>`,
    );
  }
  parts.push(
    `<noscript><p class="na">The plots on this page are drawn by the inline scripts; the numbers are in the tables below and in report.json, and report.html has static campaign plots.</p></noscript>`,
  );
  if (figures.length) parts.push(...figuresHtml(figures, 'h2'));
  else parts.push(`<p class="na">No per-cell plots: no data of this cell has a plot.</p>`);
  const params = r.parameters.filter((p) => p.cell === cellId);
  parts.push(`<h2 id="parameters">Parameters</h2>`);
  if (!params.length) parts.push(`<p class="na">No fitted parameters for this cell.</p>`);
  else {
    parts.push(`<div class="scroll"><table><tr><th>parameter</th><th>value</th><th>unit</th><th>n</th><th>fitter</th><th>fit ok</th><th>sources</th></tr>`);
    for (const p of params)
      parts.push(
        `<tr><td>${h(p.name)}${p.censored ? ' <em>(censored)</em>' : ''}</td><td class="num">${h(parameterValueText(p))}</td><td>${h(p.unit)}</td><td class="num">${p.n}</td><td>${h(p.fitter)}</td><td>${p.fitOk ? 'yes' : '<b>no</b>'}</td><td>${sourcesHtml(p)}</td></tr>`,
      );
    parts.push(`</table></div>`);
  }
  const files = r.files.filter((f) => f.cell === cellId);
  if (files.length) {
    parts.push(
      `<h2 id="files">Files</h2><div class="scroll"><table><tr><th>file</th><th>status</th><th>format</th><th>kind</th><th>records</th><th>rows</th><th>SHA-256</th></tr>`,
    );
    for (const f of files)
      parts.push(
        `<tr><td><code>${h(f.path)}</code></td><td class="s-${f.status}">${f.status}</td><td>${h(f.format ?? '—')}</td><td>${h(f.kind ?? '—')}</td><td class="num">${f.records}</td><td class="num">${f.rows}</td><td><code>${h(f.sha256 ?? '—')}</code></td></tr>`,
      );
    parts.push(`</table></div>`);
  }
  parts.push(`</main>`);
  if (figures.length) parts.push(scriptsHtml(o));
  parts.push(`</body></html>`);
  return parts.join('\n');
}
