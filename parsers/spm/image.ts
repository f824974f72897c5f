/**
 * The canonical scanning-probe image record ('pfm-image'), shared by the .gwy and ASCII matrix readers:
 * columns `Column`, `Row` (pixel indices, row-major: Row 0 is the first row written) and one Float64
 * column per channel; meta `width` (xres), `height` (yres), `xreal_m`, `yreal_m` (physical size in m
 * when the file gives it), `channels` (titles as written) and `units`. Channel names: a title saying
 * phase → `Phase`, amplitude / magnitude → `Amplitude`, height / topography → `Height`, else the title.
 * Phase in rad is converted to deg here, once; deg and V (lock-in output) are kept as written
 * (MECHANISMS §8.3: read the unit, never assume it).
 */
import type { Column, ParsedRecord, ParseWarning } from '../../src/records/record.js';

/** A sampled image: pixel counts, physical size and offsets, units, values row-major. */
export interface ImageGrid {
  readonly xres: number;
  readonly yres: number;
  readonly xreal: number;
  readonly yreal: number;
  readonly xoff: number;
  readonly yoff: number;
  readonly unitXY: string;
  readonly unitZ: string;
  readonly data: Float64Array;
}

export interface ImageChannel extends ImageGrid {
  readonly id: number;
  readonly title: string;
}

export function canonicalChannelName(title: string): string {
  const t = title.toLowerCase();
  if (/phase|\bphi\b|φ/.test(t)) return 'Phase';
  if (/amp|magnitude|\bmag\b|\br\b/.test(t)) return 'Amplitude';
  if (/height|topo|\bz\b/.test(t)) return 'Height';
  return title.trim() || 'Channel';
}

/** Unit as the record keeps it: rad → deg (values converted by the caller's factor), degree spellings → deg. */
export function canonicalUnit(u: string): { unit: string; factor: number } {
  const s = u.trim();
  if (/^(deg|degree|degrees|°)$/i.test(s)) return { unit: 'deg', factor: 1 };
  if (/^(rad|radian|radians)$/i.test(s)) return { unit: 'deg', factor: 180 / Math.PI };
  return { unit: s, factor: 1 };
}

const LENGTH: Record<string, number> = { m: 1, mm: 1e-3, um: 1e-6, µm: 1e-6, μm: 1e-6, nm: 1e-9, pm: 1e-12 };
/** Metres per unit of a lateral length unit, or undefined. */
export function metresPer(unit: string): number | undefined {
  return LENGTH[unit.trim()];
}

export function buildImageRecord(channels: readonly ImageChannel[], meta: Record<string, unknown>, warnings: ParseWarning[]): ParsedRecord[] {
  const grids = new Map<string, ImageChannel[]>();
  for (const c of channels) {
    const k = `${c.xres}x${c.yres}`;
    if (!grids.has(k)) grids.set(k, []);
    grids.get(k)!.push(c);
  }
  const out: ParsedRecord[] = [];
  for (const chs of grids.values()) {
    const W = chs[0]!.xres;
    const H = chs[0]!.yres;
    const n = W * H;
    const col = new Int32Array(n);
    const row = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      col[i] = i % W;
      row[i] = Math.floor(i / W);
    }
    const columns: Column[] = [
      { name: 'Column', unit: '1', values: col },
      { name: 'Row', unit: '1', values: row },
    ];
    const used = new Set<string>(['Column', 'Row']);
    const units: string[] = [];
    for (const c of chs) {
      let name = canonicalChannelName(c.title);
      for (let k = 2; used.has(name); k++) name = `${canonicalChannelName(c.title)} #${k}`;
      used.add(name);
      const { unit, factor } = canonicalUnit(c.unitZ);
      if (factor !== 1) warnings.push({ code: 'unit-converted', message: `${c.title}: ${c.unitZ} converted to ${unit}` });
      units.push(unit);
      columns.push({ name, unit, values: factor === 1 ? c.data : Float64Array.from(c.data, (x) => x * factor) });
    }
    const xy = chs[0]!;
    const toM = metresPer(xy.unitXY || 'm') ?? NaN;
    out.push({
      kind: 'pfm-image',
      meta: {
        ...meta,
        width: W,
        height: H,
        ...(Number.isFinite(xy.xreal * toM) ? { xreal_m: xy.xreal * toM, yreal_m: xy.yreal * toM } : {}),
        ...(xy.xoff || xy.yoff ? { xoff_m: xy.xoff * toM, yoff_m: xy.yoff * toM } : {}),
        channels: chs.map((c) => c.title),
        units,
      },
      columns,
      warnings: [...warnings],
    });
  }
  return out;
}
