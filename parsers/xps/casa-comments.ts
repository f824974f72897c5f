/**
 * CasaXPS stores its processing (quantification regions and fitted components) as `CASA region` /
 * `CASA comp` lines in VAMAS block comments. We keep them in metadata so a previous analysis can be
 * compared with ours; we do not re-evaluate them.
 */
export interface CasaRegion {
  readonly name: string;
  /** Background type as written, e.g. `Shirley`, `U 3 Tougaard`, `Linear`. */
  readonly background: string;
  readonly start: number;
  readonly end: number;
  readonly rsf: number;
}

export interface CasaComponent {
  readonly name: string;
  /** Line shape as written, e.g. `GL(30)`, `SGL(30)`, `LF(0.54,10,80,100,6)`, `LA(1.1,2.4,5)`. */
  readonly lineshape: string;
  readonly area?: number;
  readonly fwhm?: number;
  /**
   * As CasaXPS writes it into a VAMAS file: a **kinetic** energy in eV (VAMAS abscissae are kinetic),
   * not the binding energy the region is plotted in. `positionScale` says so; see `bindingEnergyEv`.
   */
  readonly position?: number;
  /** What `position` is on: always 'kinetic energy / eV' for CasaXPS components in VAMAS. */
  readonly positionScale?: 'kinetic energy / eV';
  /** The component's binding energy, hν − position (eV), when the block states the excitation energy. */
  readonly bindingEnergyEv?: number;
  readonly rsf?: number;
}

export interface CasaBlockAnalysis {
  readonly regions: CasaRegion[];
  readonly components: CasaComponent[];
  /** `CASA ...` lines of other kinds (kept verbatim so nothing is silently lost). */
  readonly other: string[];
}

const TEXT = /\(\*(.*?)\*\)/g;

function keyed(rest: string, key: string): number | undefined {
  const m = new RegExp(`\\b${key}\\s+(\\S+)`).exec(rest);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isFinite(v) ? v : undefined;
}

export function parseCasaComments(lines: readonly string[], excitationEnergyEv?: number): CasaBlockAnalysis | undefined {
  const regions: CasaRegion[] = [];
  const components: CasaComponent[] = [];
  const other: string[] = [];
  for (const raw of lines) {
    const l = raw.trim();
    if (!l.startsWith('CASA ')) continue;
    const texts = [...l.matchAll(TEXT)].map((m) => m[1]!);
    if (l.startsWith('CASA region')) {
      const afterBg = l
        .slice(l.indexOf('*)', l.indexOf('*)') + 2) + 2)
        .trim()
        .split(/\s+/)
        .map(Number);
      regions.push({ name: texts[0] ?? '', background: texts[1] ?? '', start: afterBg[0]!, end: afterBg[1]!, rsf: afterBg[2]! });
    } else if (l.startsWith('CASA comp')) {
      const position = keyed(l, 'Position');
      components.push({
        name: texts[0] ?? '',
        lineshape: texts[1] ?? '',
        area: keyed(l, 'Area'),
        fwhm: keyed(l, 'MFWHM'),
        position,
        rsf: keyed(l, 'RSF'),
        ...(position !== undefined ? { positionScale: 'kinetic energy / eV' as const } : {}),
        ...(position !== undefined && excitationEnergyEv !== undefined && Number.isFinite(excitationEnergyEv)
          ? { bindingEnergyEv: Math.round((excitationEnergyEv - position) * 1e6) / 1e6 }
          : {}),
      });
    } else other.push(l);
  }
  return regions.length || components.length || other.length ? { regions, components, other } : undefined;
}
