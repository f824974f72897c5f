/**
 * Interactive report plots (issue #21 §2): the same Vega-Lite specs the static SVG is rendered from,
 * drawn in the page by vega-embed, with
 *  - tooltips on every point-like mark (the encoded fields — cell / group / spectrum, cycle, value — plus
 *    `cell`, `cycle`, `n` when the data rows carry them); lines get an invisible point layer so hovering a
 *    line names the nearest point, not the first one;
 *  - legend toggles: a point selection on the colour field bound to the legend (click a legend entry to
 *    keep that series, shift-click for more, double-click the plot to reset); the others fade;
 *  - zoom and pan: an interval selection bound to the x/y scales of every view with two quantitative
 *    position fields (wheel zooms, drag pans, double-click resets).
 *
 * The page stays self-contained: the built browser bundles of vega, vega-lite and vega-embed are read
 * from node_modules and inlined once per page (no `<script src>`), the specs travel as inline JSON,
 * and the loader given to vega-embed refuses every URL.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

/** One figure as the report pages carry it. */
export interface ReportFigure {
  readonly title: string;
  /** Cell the figure belongs to (drawn on cells/<id>.html), null for campaign-level figures. */
  readonly cell: string | null;
  /**
   * What the page draws: the Vega-Lite spec with tooltips, legend toggles and zoom added, compiled to
   * Vega in Node (so the page needs neither the vega-lite bundle nor a compile step at load).
   */
  readonly spec: TopLevelSpec | VegaSpec;
  readonly caption: string;
  /** Static SVG (print and no-script fallback); only campaign-level figures of report.html carry it. */
  readonly svg?: string;
}

const POINTLIKE = new Set(['point', 'circle', 'square', 'tick', 'rect', 'bar']);
/** Row fields worth a tooltip line even when not encoded, with their titles. */
const EXTRA_FIELDS: Readonly<Record<string, string>> = { cell: 'cell', cycle: 'Cycle', f: 'Frequency / Hz', n: 'n' };
/** Lines with more rows than this get no invisible hover points (the page would carry too many nodes). */
const MAX_HOVER_POINTS = 4000;

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Copy of a spec's structure; inline data rows are shared, not copied (the decorations never change them). */
function cloneShape<T>(x: T): T {
  if (Array.isArray(x)) return x.map((v) => cloneShape(v)) as T;
  if (!x || typeof x !== 'object') return x;
  const o: Obj = {};
  for (const [k, v] of Object.entries(x as Obj)) o[k] = k === 'values' && Array.isArray(v) ? v : cloneShape(v);
  return o as T;
}
const markType = (m: unknown): string => (typeof m === 'string' ? m : (((m as Obj | undefined)?.type as string) ?? ''));

/** The first string title any encoding of the spec gives each field (a layer without titles borrows them). */
function fieldTitles(node: unknown, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(node)) for (const x of node) fieldTitles(x, out);
  else if (node && typeof node === 'object') {
    const o = node as Obj;
    if (typeof o.field === 'string' && typeof o.title === 'string' && !out.has(o.field)) out.set(o.field, o.title);
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'config') fieldTitles(v, out);
  }
  return out;
}

let titles = new Map<string, string>();

function title(def: Obj, field: string): string {
  return typeof def.title === 'string' ? def.title : (titles.get(field) ?? EXTRA_FIELDS[field] ?? field);
}

function tooltipFor(enc: Obj, data: Obj[] | null, transforms: boolean): Obj[] {
  const out: Obj[] = [];
  const seen = new Set<string>();
  const add = (d: Obj): void => {
    if (seen.has(d.field)) return;
    seen.add(d.field);
    out.push(d);
  };
  for (const ch of ['color', 'strokeDash', 'shape', 'detail', 'x', 'x2', 'y', 'y2']) {
    const def = enc[ch] as Obj | undefined;
    if (!def || typeof def.field !== 'string' || def.aggregate || def.bin || def.timeUnit) continue;
    const type = def.type ?? (ch === 'x2' || ch === 'y2' ? (enc[ch[0]!]?.type ?? 'quantitative') : 'nominal');
    add({ field: def.field, type, title: title(def, def.field), ...(type === 'quantitative' ? { format: '.6~g' } : {}) });
  }
  // Fields every row carries that the encoding does not show (the cell of a group's point, n of a mean).
  const row = data?.[0];
  if (row && !transforms) {
    for (const f of Object.keys(EXTRA_FIELDS)) {
      if (!(f in row)) continue;
      const q = typeof row[f] === 'number';
      add({ field: f, type: q ? 'quantitative' : 'nominal', title: title({}, f), ...(q ? { format: '.6~g' } : {}) });
    }
  }
  return out;
}

interface Ctx {
  legendParams: Map<string, string>;
  zoomCount: number;
  hoverPoints: number;
}

interface Inherited {
  enc: Obj;
  data: Obj[] | null;
  transforms: boolean;
}

function inheritFrom(node: Obj, up: Inherited): Inherited {
  const values = node.data?.values;
  const t = Array.isArray(node.transform) ? node.transform.some((x: Obj) => !('filter' in x) && !('calculate' in x)) : false;
  return {
    enc: { ...up.enc, ...(node.encoding ?? {}) },
    data: Array.isArray(values) ? (values as Obj[]) : up.data,
    transforms: up.transforms || t,
  };
}

function isZoomable(unit: Obj, enc: Obj): boolean {
  const t = markType(unit.mark);
  if (t === 'rect' || t === 'bar' || t === 'text' || t === 'rule') return false;
  return ['x', 'y'].every((c) => enc[c] && typeof enc[c].field === 'string' && enc[c].type === 'quantitative' && !enc[c].bin && !enc[c].aggregate);
}

function addParam(unit: Obj, p: Obj): void {
  unit.params = [...(unit.params ?? []), p];
}

/** Legend toggle: a faded channel per mark family so mark-level opacities (and invisible hover points) survive. */
function fadeChannel(type: string): { channel: string; on: (mark: Obj) => number; off: number } {
  if (type === 'line') return { channel: 'strokeOpacity', on: () => 1, off: 0.12 };
  if (type === 'area') return { channel: 'fillOpacity', on: () => 1, off: 0.15 };
  return { channel: 'opacity', on: (m) => (typeof m.opacity === 'number' ? m.opacity : 1), off: 0.1 };
}

/** Decorate one unit spec in place; returns an extra sibling (the hover points of a line) or null. */
function decorateUnit(unit: Obj, up: Inherited, ctx: Ctx, parentHasLegendScope: boolean): Obj | null {
  const inh = inheritFrom(unit, up);
  const enc = inh.enc;
  const type = markType(unit.mark);
  const mark: Obj = typeof unit.mark === 'string' ? { type: unit.mark } : unit.mark;
  // legend toggle on a nominal colour field
  const color = enc.color as Obj | undefined;
  if (
    parentHasLegendScope &&
    color &&
    typeof color.field === 'string' &&
    (color.type === 'nominal' || color.type === 'ordinal') &&
    color.legend !== null &&
    type !== 'text'
  ) {
    let name = ctx.legendParams.get(color.field);
    if (!name) {
      name = `legend_${ctx.legendParams.size + 1}`;
      ctx.legendParams.set(color.field, name);
      addParam(unit, { name, select: { type: 'point', fields: [color.field], on: 'click', clear: 'dblclick' }, bind: 'legend' });
    }
    const f = fadeChannel(type);
    unit.encoding ??= {};
    if (!unit.encoding[f.channel] && !enc[f.channel]) unit.encoding[f.channel] = { condition: { param: name, value: f.on(mark), empty: true }, value: f.off };
  }
  if (enc.tooltip !== undefined || type === 'text' || type === 'rule' || type === 'area') return null;
  const tip = tooltipFor(enc, inh.data, inh.transforms);
  if (!tip.length) return null;
  if (POINTLIKE.has(type) || (type === 'line' && mark.point && mark.point !== 'transparent')) {
    unit.encoding ??= {};
    unit.encoding.tooltip = tip;
    return null;
  }
  if (type === 'line') {
    const n = inh.data?.length ?? 0;
    if (n === 0 || ctx.hoverPoints + n > MAX_HOVER_POINTS) return null;
    ctx.hoverPoints += n;
    const hover: Obj = {
      mark: { type: 'point', filled: true, size: 50, opacity: 0, ...(mark.clip ? { clip: true } : {}) },
      encoding: { ...clone(unit.encoding ?? {}), tooltip: tip },
    };
    delete hover.encoding.strokeOpacity;
    delete hover.encoding.strokeDash;
    delete hover.encoding.order;
    if (unit.data) hover.data = unit.data;
    if (unit.transform) hover.transform = clone(unit.transform);
    return hover;
  }
  return null;
}

/** Walk a view (unit, layer or concat) and decorate it; `up` carries inherited encoding and data. */
function decorateView(node: Obj, up: Inherited, ctx: Ctx): void {
  for (const key of ['vconcat', 'hconcat', 'concat'] as const) {
    if (Array.isArray(node[key])) {
      const inh = inheritFrom(node, up);
      for (const child of node[key] as Obj[]) decorateView(child, inh, ctx);
      return;
    }
  }
  if (node.facet || node.repeat || node.spec) return; // not used by the report builders: left as is
  if (node.mark !== undefined) {
    // A lone unit: make it a one-layer view so its hover points can sit beside it.
    const unit: Obj = { mark: node.mark };
    for (const k of ['encoding', 'transform', 'params', 'name'])
      if (node[k] !== undefined) {
        unit[k] = node[k];
        delete node[k];
      }
    delete node.mark;
    node.layer = [unit];
  }
  if (!Array.isArray(node.layer)) return;
  const inh = inheritFrom(node, up);
  const layer: Obj[] = [];
  let zoomed = false;
  for (const child of node.layer as Obj[]) {
    if (child.layer) {
      decorateView(child, inh, ctx);
      layer.push(child);
      continue;
    }
    const childInh = inheritFrom(child, inh);
    if (!zoomed && isZoomable(child, childInh.enc)) {
      addParam(child, { name: `zoom_${++ctx.zoomCount}`, select: { type: 'interval', encodings: ['x', 'y'] }, bind: 'scales' });
      zoomed = true;
      if (typeof child.mark === 'object') child.mark.clip = true;
      else child.mark = { type: child.mark, clip: true };
    }
    const extra = decorateUnit(child, inh, ctx, true);
    layer.push(child);
    if (extra) layer.push(extra);
  }
  if (zoomed)
    for (const c of layer)
      if (c.mark && !c.layer) {
        if (typeof c.mark === 'string') c.mark = { type: c.mark };
        c.mark.clip = true;
      }
  node.layer = layer;
}

export interface InteractiveOptions {
  /** Check the decorated spec compiles and parses (vega-lite + vega in Node); fall back when it does not. @default true */
  readonly validate?: boolean;
}

let validator: ((spec: TopLevelSpec) => VegaSpec) | null = null;
/** Spec shapes (the spec without its data values) whose compiled Vega already parsed: a 96-cell report parses each figure family once, not 96 times. */
const parsedShapes = new Set<string>();
const SHAPE_SKIP = new Set(['values', 'title', 'text', 'subtitle', 'domain']);

async function loadValidator(): Promise<(spec: TopLevelSpec) => VegaSpec> {
  if (validator) return validator;
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  validator = (spec) => {
    // Compile the spec with its inline data moved out (named datasets, empty), then put the rows into the
    // compiled Vega data: vega-lite deep-copies and walks inline values, and a Bode figure carries thousands.
    const datasets = new Map<string, unknown[]>();
    const lean = withoutValues(spec, datasets) as Obj;
    lean.datasets = Object.fromEntries([...datasets.keys()].map((k) => [k, []]));
    const compiled = vl.compile(lean as TopLevelSpec).spec;
    for (const d of compiled.data ?? []) {
      const rows = datasets.get(d.name);
      if (rows && 'values' in d) (d as Obj).values = rows;
    }
    const shape = JSON.stringify(spec, (k, v) => (SHAPE_SKIP.has(k) ? undefined : typeof v === 'number' ? 0 : v));
    if (!parsedShapes.has(shape)) {
      vega.parse(compiled);
      if (parsedShapes.size > 1000) parsedShapes.clear();
      parsedShapes.add(shape);
    }
    return compiled;
  };
  return validator;
}

/**
 * A structural copy of a spec whose inline `data.values` are replaced by named datasets (rows kept by
 * reference in `out`; the same rows array used by two views — Bode's panels — becomes one dataset).
 */
function withoutValues(node: unknown, out: Map<string, unknown[]>, names = new Map<unknown[], string>()): unknown {
  if (Array.isArray(node)) return node.map((x) => withoutValues(x, out, names));
  if (!node || typeof node !== 'object') return node;
  const o: Obj = {};
  for (const [k, v] of Object.entries(node as Obj)) {
    if (k === 'data' && v && typeof v === 'object' && Array.isArray((v as Obj).values) && Object.keys(v as Obj).length === 1) {
      const rows = (v as Obj).values as unknown[];
      let name = names.get(rows);
      if (!name) {
        name = `ip_data_${out.size}`;
        out.set(name, rows);
        names.set(rows, name);
      }
      o.data = { name };
    } else if (k === 'config' || k === 'datasets') o[k] = v;
    else o[k] = withoutValues(v, out, names);
  }
  return o;
}

/**
 * The figure as the page draws it: the decorated spec (`interactiveSpec`) compiled to Vega — the same
 * compile that checked it — so the page neither loads vega-lite nor compiles at load.
 */
export async function pageSpec(spec: TopLevelSpec): Promise<VegaSpec> {
  return (await decorate(spec, true)).vega!;
}

/** The spec with tooltips, legend toggles and zoom; when a decoration does not compile, fewer (never a broken spec). */
export async function interactiveSpec(spec: TopLevelSpec, o: InteractiveOptions = {}): Promise<TopLevelSpec> {
  return (await decorate(spec, o.validate !== false)).lite;
}

async function decorate(spec: TopLevelSpec, validate: boolean): Promise<{ lite: TopLevelSpec; vega: VegaSpec | null }> {
  const check = validate ? await loadValidator() : null;
  const attempts: ((s: Obj) => void)[] = [
    (s) => {
      titles = fieldTitles(s);
      decorateView(s, { enc: {}, data: null, transforms: false }, { legendParams: new Map(), zoomCount: 0, hoverPoints: 0 });
    },
  ];
  for (const step of attempts) {
    try {
      const s = cloneShape(spec) as Obj;
      step(s);
      return { lite: s as TopLevelSpec, vega: check ? check(s as TopLevelSpec) : null };
    } catch {
      /* try the next, plainer decoration */
    }
  }
  return { lite: spec, vega: check ? check(spec) : null };
}

// ── the page's scripts ──────────────────────────────────────────────────────────────────────────

/** The inlined bundles, by whether vega-lite is among them. */
const bundleCache = new Map<boolean, string>();

/** Path of a package's built browser bundle, found beside the file its `exports` resolve to. */
function bundlePath(pkg: string, file: string): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve(pkg)), file);
}

/** `<script>` text must not contain `</script` (or `<!--`): escape them without changing the JS. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The bundles as inline `<script>` elements, read once per process: vega and vega-embed (the specs are
 * compiled from Vega-Lite to Vega in Node, so the page does not parse the 0.25 MB vega-lite bundle:
 * `withLite` inlines it too, e.g. to embed Vega-Lite specs by hand — `reportVegaLite` in src/settings.ts,
 * INTERPHASE_REPORT_VEGA_LITE=1).
 */
export function vegaBundle(withLite = false): string {
  const cached = bundleCache.get(withLite);
  if (cached !== undefined) return cached;
  const files = [
    bundlePath('vega', 'vega.min.js'),
    ...(withLite ? [bundlePath('vega-lite', 'vega-lite.min.js')] : []),
    bundlePath('vega-embed', 'vega-embed.min.js'),
  ];
  const bundle = files.map((f) => `<script>${scriptSafe(readFileSync(f, 'utf8')).replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '')}</script>`).join('\n');
  bundleCache.set(withLite, bundle);
  return bundle;
}

/** Inline JSON in a `<script type="application/json">`: `<`, U+2028/2029 escaped. */
export function jsonScript(id: string, value: unknown): string {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${id}">${json}</script>`;
}

/**
 * Boot script: every `figure.plot[data-spec]` gets its spec embedded in its `.ip-live` box (SVG renderer,
 * tooltips, no action menu, a loader that refuses every URL). A figure whose plot rendered gets the class
 * `is-live` (its static SVG, if any, is then hidden on screen); one that failed keeps its static SVG and
 * gets `live-failed` with the reason in `data-error` (no console noise). `window.interphasePlots` resolves
 * when all figures are done, with the vega views.
 */
export const BOOT = `(function(){
var el=document.getElementById('ip-specs');if(!el||typeof vegaEmbed!=='function')return;
var specs=JSON.parse(el.textContent);
var refuse=function(u){return Promise.reject(new Error('report plots are offline: refusing '+u));};
var loader={load:refuse,sanitize:refuse,http:refuse,file:refuse};
var views=[];
var jobs=Array.prototype.map.call(document.querySelectorAll('figure.plot[data-spec]'),function(fig){
var box=fig.querySelector('.ip-live');var spec=specs[+fig.getAttribute('data-spec')];
if(!box||!spec)return Promise.resolve();
return vegaEmbed(box,spec,{renderer:'svg',actions:false,tooltip:{theme:'light'},loader:loader,logLevel:0}).then(function(r){views.push(r.view);fig.classList.add('is-live');},function(e){fig.classList.add('live-failed');fig.setAttribute('data-error',String(e&&e.message||e));box.textContent='';});
});
window.interphasePlots=Promise.all(jobs).then(function(){document.documentElement.classList.add('plots-done');return views;});
})();`;

/** CSS of the interactive figures: static SVG hidden on screen once the live plot drew; print shows the static SVG. */
export const FIGURE_CSS = `
figure.plot .ip-live{max-width:100%;overflow-x:auto}
figure.plot.is-live .ip-static{display:none}
figure.plot .ip-hint{color:#5a6577;font-size:11px;margin:2px 0 0}
figure.plot:not(.is-live) .ip-hint{display:none}
#vg-tooltip-element{font:12px system-ui,sans-serif}
@media print{figure.plot .ip-live,figure.plot .ip-hint{display:none!important}figure.plot .ip-static{display:block!important}}
`;

export const HINT =
  'Hover a point for its values; click a legend entry to keep that series (shift-click for more); wheel zooms, drag pans, double-click resets.';

/** The `<figure>` of one interactive plot (`index` into the page's spec list). */
export function figureHtml(f: Pick<ReportFigure, 'svg'>, index: number, captionHtml: string): string {
  const fallback = f.svg ? `<div class="ip-static">${f.svg}</div>` : '';
  return `<figure class="plot" data-spec="${index}"><div class="ip-live"></div>${fallback}<p class="ip-hint">${HINT}</p>${captionHtml}</figure>`;
}
