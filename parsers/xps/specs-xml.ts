/**
 * SPECS SpecsLab 2 / Prodigy CORBA-XML serialisation (`.xml`, "XMLSerializer2"): a generic tree of
 * `<struct>`, `<sequence>`, `<string>`, `<double>`… elements named by `name`/`type_name` attributes.
 * We walk RegionGroup → RegionData → (RegionDef, detectors, cycles → scans → counts).
 *
 * Counts are stored per multichannel-detector (MCD) channel, interleaved, over
 * `values_per_curve + mcd_head + mcd_tail` analyser steps. Channel d at step j sees
 * KE = KE0 + (j − head)·δ + shift_d·E_pass, so the value at nominal KE_i = KE0 + i·δ sits at the
 * fractional step j = i + head − shift_d·E_pass/δ; we interpolate linearly there and sum channels and
 * scans (counts). The fixture's head 8 / tail 7 with shifts −0.074…+0.082 × 50 eV / 0.5 eV
 * (−7.4…+8.2 steps) only fit inside the recorded steps with this sign.
 * Security: entity processing is off and the input size is capped before parsing.
 */
import { lazyRequire } from '../../src/records/lazy.js';

/** fast-xml-parser is loaded when a file of this format is parsed, not when the registry is imported. */
const xmlParser = lazyRequire<typeof import('fast-xml-parser')>('fast-xml-parser');
import type { FormatParser, ParseInput, SniffInput } from '../types.js';
import type { ParseWarning } from '../../src/records/record.js';
import { ParseError } from '../../src/records/errors.js';
import { decodeText } from '../text/decode.js';
import { parseNumber } from '../text/numbers.js';
import { buildXpsRecord, sourceLabel, type XpsSpectrumIn } from './assemble.js';

/** Larger files are refused rather than parsed into a DOM (the fixture is 92 KB; real ones ≤ tens of MB). */
export const SPECS_XML_MAX_BYTES = 256 * 1024 * 1024;

export function sniffSpecsXml(input: SniffInput): number {
  const t = input.headText;
  if (!/^\s*(<\?xml[^>]*>\s*)?<!--\s*CORBA XML document created by XMLSerializer/.test(t) && !/IDL:specs\.de\/Serializer/.test(t)) return 0;
  return /IDL:specs\.de\/Serializer\/RegionGroup/.test(t) ? 0.96 : 0.7;
}

type XNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function tagOf(n: XNode): string {
  for (const k of Object.keys(n)) if (k !== ':@') return k;
  return '';
}
function kids(n: XNode): XNode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? (v as XNode[]) : [];
}
function attr(n: XNode, a: string): string | undefined {
  return n[':@']?.[`@_${a}`];
}
function text(n: XNode): string {
  return kids(n)
    .map((c) => (typeof c['#text'] === 'string' || typeof c['#text'] === 'number' ? String(c['#text']) : ''))
    .join('');
}
function child(n: XNode, name: string): XNode | undefined {
  return kids(n).find((c) => attr(c, 'name') === name);
}
function numChild(n: XNode, name: string): number | undefined {
  const c = child(n, name);
  if (!c) return undefined;
  const v = parseNumber(text(c));
  return Number.isFinite(v) ? v : undefined;
}
function findAll(n: XNode, pred: (x: XNode) => boolean, out: XNode[] = []): XNode[] {
  if (pred(n)) out.push(n);
  for (const c of kids(n)) if (tagOf(c) !== '#text') findAll(c, pred, out);
  return out;
}

export function parseSpecsXml(input: ParseInput) {
  const { path, bytes } = input;
  if (bytes.length > SPECS_XML_MAX_BYTES)
    throw new ParseError({
      file: path,
      code: 'too-large',
      message: 'SPECS XML larger than the parser limit',
      expected: `≤ ${SPECS_XML_MAX_BYTES} bytes`,
      found: String(bytes.length),
    });
  const xml = decodeText(bytes).text;
  let tree: XNode[];
  try {
    const { XMLParser } = xmlParser();
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      preserveOrder: true,
      processEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
    });
    tree = parser.parse(xml) as XNode[];
  } catch (e) {
    throw new ParseError({
      file: path,
      code: 'invalid',
      message: `not well-formed XML: ${(e as Error).message}`,
      expected: 'SPECS CORBA-XML',
      found: xml.slice(0, 60),
    });
  }
  const root: XNode = { root: tree };
  const groups = findAll(root, (x) => tagOf(x) === 'struct' && attr(x, 'type_name') === 'RegionGroup');
  if (groups.length === 0)
    throw new ParseError({ file: path, code: 'bad-header', message: 'no RegionGroup struct', expected: "struct type_name='RegionGroup'", found: 'none' });
  const warnings: ParseWarning[] = [];
  const spectra: XpsSpectrumIn[] = [];
  const metaRegions: Record<string, unknown>[] = [];
  for (const g of groups) {
    const gname = text(child(g, 'name') ?? { x: [] });
    const regions = findAll(g, (x) => tagOf(x) === 'struct' && attr(x, 'type_name') === 'RegionData');
    for (const r of regions) {
      const name = text(child(r, 'name') ?? { x: [] });
      const def = child(r, 'region');
      if (!def)
        throw new ParseError({ file: path, code: 'bad-header', message: `region '${name}': no RegionDef`, expected: "struct name='region'", found: 'none' });
      const n = numChild(def, 'values_per_curve') ?? 0;
      const curves = numChild(def, 'curves_per_scan') ?? 1;
      const delta = numChild(def, 'scan_delta') ?? NaN;
      const ke0 = (numChild(def, 'kinetic_energy') ?? NaN) + (numChild(def, 'kinetic_energy_base') ?? 0);
      const hv = numChild(def, 'excitation_energy');
      const ep = numChild(def, 'pass_energy') ?? NaN;
      const head = numChild(r, 'mcd_head') ?? 0;
      const tail = numChild(r, 'mcd_tail') ?? 0;
      const det = findAll(child(r, 'analyzer_info') ?? { x: [] }, (x) => tagOf(x) === 'struct' && attr(x, 'type_name') === 'Detector');
      const shifts = det.map((d) => numChild(d, 'shift') ?? 0);
      const nDet = Math.max(1, shifts.length);
      if (curves !== 1) warnings.push({ code: 'curves-summed', message: `region '${name}': ${curves} curves per scan are summed` });
      const steps = n * curves + head + tail;
      // Sizes come from the file: every value must be a count the file can actually hold (fuzz regression).
      if (![n, curves, head, tail].every((v) => Number.isSafeInteger(v) && v >= 0) || !(steps * nDet <= bytes.length)) {
        throw new ParseError({
          file: path,
          code: 'bad-header',
          message: `region '${name}': impossible region size`,
          expected: `non-negative integers with (values·curves + head + tail) × channels ≤ ${bytes.length}`,
          found: `values ${n}, curves ${curves}, head ${head}, tail ${tail}, channels ${nDet}`,
        });
      }
      const cycles = findAll(r, (x) => tagOf(x) === 'struct' && attr(x, 'type_name') === 'Cycle');
      if (cycles.length > 1)
        warnings.push({
          code: 'cycle-as-etch-level',
          message: `region '${name}': ${cycles.length} cycles read as successive etch levels (the file does not say whether sputtering happened between them)`,
        });
      const statedScans = numChild(def, 'num_scans');
      let storedScans = 0;
      cycles.forEach((cy, ci) => {
        const sum = new Float64Array(n);
        const scans = findAll(cy, (x) => tagOf(x) === 'sequence' && attr(x, 'name') === 'counts');
        storedScans += scans.length;
        for (const sc of scans) {
          // The sequence holds one <ulong type_name="Counts"> element whose text is all the values.
          const vals = [text(sc), ...kids(sc).map(text)].join(' ').trim().split(/\s+/).filter(Boolean).map(Number);
          const stated = Number(attr(sc, 'length'));
          if (vals.length !== stated || vals.length !== steps * nDet) {
            throw new ParseError({
              file: path,
              code: 'truncated',
              message: `region '${name}' cycle ${ci}: counts sequence has ${vals.length} values`,
              expected: `${steps * nDet} (= (values ${n}·curves ${curves} + head ${head} + tail ${tail}) × ${nDet} channels; length attribute ${stated})`,
              found: String(vals.length),
            });
          }
          for (let d = 0; d < nDet; d++) {
            const off = shifts.length ? (shifts[d]! * ep) / delta : 0;
            for (let i = 0; i < n; i++) {
              let j = i + head - off;
              if (j < 0) j = 0;
              if (j > steps - 1) j = steps - 1;
              const j0 = Math.floor(j);
              const j1 = Math.min(steps - 1, j0 + 1);
              const w = j - j0;
              sum[i]! += (1 - w) * vals[j0 * nDet + d]! + w * vals[j1 * nDet + d]!;
            }
          }
        }
        const ke = new Float64Array(n);
        for (let i = 0; i < n; i++) ke[i] = ke0 + i * delta;
        spectra.push({
          region: groups.length > 1 ? `${gname}: ${name}` : name,
          etchLevel: cycles.length > 1 ? ci : 0,
          energy: ke,
          intensity: sum,
          axis: 'kinetic',
          excitationEnergyEv: hv,
        });
      });
      if (statedScans !== undefined && storedScans !== statedScans * cycles.length) {
        warnings.push({
          code: 'scans-missing',
          message: `region '${name}': ${storedScans} scans stored, the region definition asks for ${statedScans} per cycle (acquisition stopped early?); the stored scans are summed`,
        });
      }
      metaRegions.push({
        name,
        group: gname,
        scanMode: text(child(child(def, 'scan_mode') ?? { x: [] }, 'name') ?? { x: [] }),
        passEnergyEv: ep,
        dwellTimeS: numChild(def, 'dwell_time'),
        scans: numChild(def, 'num_scans'),
        stepEv: delta,
        workFunctionEv: numChild(def, 'effective_workfunction'),
        mcdChannels: shifts.length,
        analyser: text(child(child(r, 'analyzer_info') ?? { x: [] }, 'name') ?? { x: [] }),
        sourceName: text(child(child(r, 'source_info') ?? { x: [] }, 'name') ?? { x: [] }),
      });
    }
  }
  const header = /CORBA XML document created by (XMLSerializer2? [\d.]+)[^,]*, from (SL [^\s]+)/.exec(xml.slice(0, 400));
  const hv0 = spectra[0]?.excitationEnergyEv;
  const pe = [...new Set(metaRegions.map((m) => m.passEnergyEv))];
  const meta: Record<string, unknown> = {
    instrument: metaRegions[0]?.analyser,
    software: header ? 'SpecsLab' : undefined,
    softwareVersion: header?.[2],
    serializer: header?.[1],
    source: sourceLabel(undefined, hv0),
    excitationEnergyEv: hv0,
    passEnergyEv: pe.length === 1 ? pe[0] : pe,
    regionSettings: metaRegions,
    mcdResampling: 'channels interpolated to the nominal energy grid (j = i + head − shift·Epass/δ) and summed',
  };
  for (const k of Object.keys(meta)) if (meta[k] === undefined) delete meta[k];
  return [buildXpsRecord({ path, spectra, meta, warnings, intensityUnit: 'counts' })];
}

export const specsXmlFormat: FormatParser = {
  id: 'specs-xml',
  family: 'xps',
  kind: 'xps-spectrum',
  title: 'SPECS SpecsLab CORBA-XML serialisation (.xml)',
  version: '1.0.0',
  extensions: ['.xml'],
  sniff: sniffSpecsXml,
  parse: parseSpecsXml,
};
