/**
 * Vega-Lite spec → inline SVG, headless: vega-lite compiles the spec, a vega View with the 'none'
 * renderer runs the dataflow, and `toSVG()` writes the scenegraph as SVG text. No browser, no canvas,
 * no network: data must be inline (`data.values`) and the loader refuses every URL, so a plot can
 * never fetch a font, image or data file. The SVG gets `max-width:100%;height:auto` so it shrinks
 * with the page.
 */
import type { Loader } from 'vega';
import type { TopLevelSpec } from 'vega-lite';

/** A loader that refuses everything: report plots are built from inline data only. */
const OFFLINE_LOADER = {
  load: async (uri: string): Promise<string> => {
    throw new Error(`report plots are offline: refusing to load '${uri}'`);
  },
  sanitize: async (uri: string): Promise<{ href: string }> => {
    throw new Error(`report plots are offline: refusing to load '${uri}'`);
  },
  http: async (uri: string): Promise<string> => {
    throw new Error(`report plots are offline: refusing to fetch '${uri}'`);
  },
  file: async (path: string): Promise<string> => {
    throw new Error(`report plots are offline: refusing to read '${path}'`);
  },
};

/**
 * Load vega and vega-lite now (≈0.5 s) rather than at the first figure that is not in the cache: a
 * watcher does this once it is idle, so its first refresh does not pay for it.
 */
export async function preloadRenderer(): Promise<void> {
  await Promise.all([import('vega'), import('vega-lite')]);
  // One small figure through compile → parse → SVG, so the first real one runs on compiled code.
  await renderSvg({
    data: {
      values: [
        { x: 1, y: 2 },
        { x: 2, y: 1 },
      ],
    },
    mark: 'line',
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
  } as TopLevelSpec);
}

/** Render a Vega-Lite spec to a self-contained SVG string (no scripts, no external references). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: a report whose figures all come from the store's cache never loads them.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader: OFFLINE_LOADER as unknown as Loader,
    logLevel: vega.Error,
  });
  try {
    const svg = await view.toSVG();
    return responsive(roundGeometry(svg));
  } finally {
    view.finalize();
  }
}

/** Geometry to 2 decimals (1/100 px): Vega writes full float precision into `d` and `transform`. */
export function roundGeometry(svg: string): string {
  return svg.replace(/ (d|transform|points)="([^"]*)"/g, (_m, attr: string, v: string) => ` ${attr}="${v.replace(/(\d+\.\d{2})\d+/g, '$1')}"`);
}

/** Let the SVG scale down with its container (keeps the intrinsic width/height as the maximum). */
export function responsive(svg: string): string {
  return svg.replace(/^<svg\b/, '<svg style="max-width:100%;height:auto"');
}
