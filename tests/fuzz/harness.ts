/**
 * The fuzz harness shared by `tests/fuzz/*.test.ts` (a fixed-seed sample in `npm test`) and
 * `bench/fuzz.ts` (the long seeded run, `npm run fuzz`). No vitest import here: the bench compiles it.
 *
 *   seeds     every real instrument file under shared/real-data (read in place, never copied) plus a
 *             few synthetic files for formats without real data (written here, in memory);
 *   plans     a mutation plan is plain JSON (seed index + 1–3 operations, each with its own integer
 *             seed), drawn by fast-check, so a failing plan is printed and replayed exactly;
 *   oracle    each mutated input goes to the parser that detects the original (direct `parse`) AND
 *             through `parseBytes` (detection); the outcome must be valid records or a ParseError,
 *             in under 2 s per MB (2 s minimum), with output bounded by the input size.
 */
import fc from 'fast-check';
import * as XLSX from 'xlsx';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS, detectFormat, sniffInput } from '../../parsers/index.js';
import { writeGwy } from '../../parsers/spm/gwy.js';
import type { FormatParser } from '../../parsers/types.js';
import { ParseError } from '../../src/records/errors.js';
import { parseBytes } from '../../src/io/load.js';
import { RECORD_KINDS, type ParsedRecord } from '../../src/records/record.js';
import { writeArbinCsv } from '../../fixtures/virtual-lab/writers/arbin-csv.js';
import { writeGamryDta } from '../../fixtures/virtual-lab/writers/gamry-dta.js';
import { syntheticNdaFiles, writeLegacyNdax } from '../../fixtures/neware-binary/writer.js';
import { vibrationalSeeds } from './vibrational-seeds.js';
import { mulberry32 } from '../../src/stats/rng.js';

// ---------------------------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------------------------

/** The repository root: the first ancestor of this module holding package.json (works from tests/ and dist/tests/). */
function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'parsers'))) return d;
    d = dirname(d);
  }
  return process.cwd();
}

export const REAL_DATA = process.env.INTERPHASE_REAL_DATA ?? resolve(repoRoot(), '../shared/real-data');
export const HAVE_REAL_DATA = existsSync(REAL_DATA);

export interface Seed {
  /** `real:<family/format/file>` or `synthetic:<name>`. */
  readonly id: string;
  /** Base name handed to sniffing (extension hint). */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Parser that detects the original (or that the seed is written for); null = detection path only. */
  readonly format: FormatParser | null;
  /** Parser options (generic CSV column map); also passed to parseBytes with formatId. */
  readonly options?: Record<string, unknown>;
}

function walk(d: string): string[] {
  return readdirSync(d).flatMap((e) => {
    const p = join(d, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Real files, read in place. Empty when shared/real-data is absent (callers skip with a message). */
export function realSeeds(): Seed[] {
  if (!HAVE_REAL_DATA) return [];
  return walk(REAL_DATA)
    .filter((p) => basename(p) !== 'SOURCES.md')
    .sort()
    .map((p) => {
      const bytes = new Uint8Array(readFileSync(p));
      const d = detectFormat(sniffInput(basename(p), bytes, bytes.length));
      return { id: `real:${p.slice(REAL_DATA.length + 1)}`, name: basename(p), bytes, format: d.best?.format ?? null };
    });
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const fmt = (id: string): FormatParser => {
  const f = FORMATS.find((x) => x.id === id);
  if (!f) throw new Error(`harness: no format '${id}'`);
  return f;
};

/** Small synthetic files: the virtual-lab writers and the formats with no real sample. */
export function syntheticSeeds(): Seed[] {
  const n = 40;
  const t = Float64Array.from({ length: n }, (_, i) => i * 30);
  const cyc = {
    time: t,
    voltage: Float64Array.from(t, (_, i) => 3.4 + 0.3 * Math.sin(i / 5)),
    current: Float64Array.from(t, (_, i) => (Math.floor(i / 10) % 2 ? -1e-3 : 1e-3)),
    cycle: Int32Array.from(t, (_, i) => 1 + Math.floor(i / 20)),
    step: Int32Array.from(t, (_, i) => 1 + Math.floor(i / 10)),
    startUnix: 1_780_000_000,
  };
  const freq = Float64Array.from({ length: 30 }, (_, i) => 1e5 * 10 ** (-i / 5));
  const zre = Float64Array.from(freq, (f) => 10 + 40 / (1 + (2 * Math.PI * f * 40 * 1e-5) ** 2));
  const zim = Float64Array.from(freq, (f) => (-40 * (2 * Math.PI * f * 40 * 1e-5)) / (1 + (2 * Math.PI * f * 40 * 1e-5) ** 2));
  const eisCsv =
    ["Frequency (Hz),Z' (ohm),Z'' (ohm)", ...Array.from(freq, (f, i) => `${f.toPrecision(6)},${zre[i]!.toPrecision(6)},${(-zim[i]!).toPrecision(6)}`)].join(
      '\n',
    ) + '\n';
  const peCsv =
    [
      'E (kV/cm),P (uC/cm2)',
      ...Array.from({ length: 60 }, (_, i) => {
        const e = 100 * Math.sin((2 * Math.PI * i) / 60);
        return `${e.toFixed(3)},${(20 * Math.tanh((e - 30 * Math.sign(Math.cos((2 * Math.PI * i) / 60))) / 20)).toFixed(4)}`;
      }),
    ].join('\n') + '\n';
  const image = ['# ion: Li+', ...Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => (x * y) % 7).join('\t'))].join('\n') + '\n';
  const imageTable = ['x,y,counts', ...Array.from({ length: 36 }, (_, i) => `${i % 6},${Math.floor(i / 6)},${(i * 7) % 11}`)].join('\n') + '\n';
  // A Thermo Avantage spectrum sheet (layout in parsers/xps/avantage.layout.ts): parameters in H/I, the
  // point count in D7, `Binding Energy (E)` / `eV` / `Counts / s` header rows, BE falling down the sheet.
  const avGrid: unknown[][] = Array.from({ length: 16 }, () => []);
  avGrid[0]![7] = 'Acquisition Parameters :';
  avGrid[3]![7] = 'Number of Scans';
  avGrid[3]![8] = 10;
  avGrid[6]![3] = 30;
  avGrid[14]![0] = 'Binding Energy (E)';
  avGrid[15]![0] = 'eV';
  avGrid[15]![2] = 'Counts / s';
  for (let i = 0; i < 30; i++)
    avGrid.push([Math.round((690 - i * 0.2) * 10) / 10, null, Math.round(900 + 5000 * Math.exp(-(((690 - i * 0.2 - 685) / 1.2) ** 2)))]);
  const avText =
    avGrid.map((r) => Array.from({ length: 9 }, (_, c) => (r[c] === undefined || r[c] === null ? '' : String(r[c]))).join(',')).join('\r\n') + '\r\n';
  const avBook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(avBook, XLSX.utils.aoa_to_sheet(avGrid), 'F1s Scan');
  const avXlsx = new Uint8Array(XLSX.write(avBook, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  const generic = ['t,E,I', ...Array.from(t, (x, i) => `${x / 60},${cyc.voltage[i]!.toFixed(4)},${(cyc.current[i]! * 1000).toFixed(3)}`)].join('\n') + '\n';
  return [
    { id: 'synthetic:arbin.csv', name: 'C01_cycling.csv', bytes: enc(writeArbinCsv(cyc)), format: fmt('arbin-csv') },
    {
      id: 'synthetic:gamry.DTA',
      name: 'C01_eis.DTA',
      bytes: new Uint8Array(
        Buffer.from(writeGamryDta({ freq, zre, zim }, { title: 'C01', date: '11/25/2026', time: '10:00:00', areaCm2: 1.13, vdc: 0 }), 'latin1'),
      ),
      format: fmt('gamry-dta'),
    },
    { id: 'synthetic:eis.csv', name: 'spectrum.csv', bytes: enc(eisCsv), format: fmt('eis-generic-csv') },
    { id: 'synthetic:pe.csv', name: 'loop.csv', bytes: enc(peCsv), format: fmt('pe-generic-csv') },
    { id: 'synthetic:image.txt', name: 'Li+.txt', bytes: enc(image), format: fmt('sims-image-text') },
    {
      id: 'synthetic:casa-quant.txt',
      name: 'Quant_regions.txt',
      format: fmt('casaxps-quant'),
      bytes: enc(
        [
          'a.vms\t',
          '',
          'Sample Identifier\tName\tPosition\tRaw Area\tArea/(RSF*T*MFP)\t%At Conc\t',
          'Etch Time 0 s\tC 1s (C-C)\t284.80\t3000.0\t3000.0\t60.00\t',
          '\tF 1s (LiF)\t685.10\t8860.0\t2000.0\t40.00\t',
          'Etch Time 30 s\tC 1s (C-C)\t284.80\t1000.0\t1000.0\t30.00\t',
          '\tF 1s (LiF)\t685.00\t13290.0\t3000.0\t70.00\t',
          '',
          '',
        ].join('\r\n'),
      ),
    },
    { id: 'synthetic:avantage.csv', name: 'F1s Scan.csv', bytes: enc(avText), format: fmt('avantage-csv') },
    { id: 'synthetic:avantage.xlsx', name: 'LiCu.xlsx', bytes: avXlsx, format: fmt('avantage-xlsx') },
    { id: 'synthetic:image-table.csv', name: 'image.csv', bytes: enc(imageTable), format: fmt('sims-image-text') },
    {
      id: 'synthetic:generic.csv',
      name: 'generic.csv',
      bytes: enc(generic),
      format: fmt('generic-csv'),
      options: { columns: { time: { column: 't', unit: 'min' }, voltage: { column: 'E', unit: 'V' }, current: { column: 'I', unit: 'mA' } } },
    },
    ...issue19Seeds(),
    ...newareLayoutSeeds(),
    ...vibrationalSeeds(),
    ...spmSeeds(),
    ...transferenceSeeds(),
  ];
}

/** PFM images (issue #20): a two-channel .gwy (phase + amplitude) and a Gwyddion ASCII matrix export. */
function spmSeeds(): Seed[] {
  const phase = Array.from({ length: 64 }, (_, i) => (i % 8 < 3 ? 90 : 270) + (i % 5));
  const amp = Array.from({ length: 64 }, (_, i) => 1 + 0.01 * (i % 7));
  const gwy = writeGwy([
    { title: 'Phase', xres: 8, yres: 8, xreal: 2e-6, yreal: 2e-6, unitZ: 'deg', data: phase },
    { title: 'Amplitude', xres: 8, yres: 8, xreal: 2e-6, yreal: 2e-6, unitZ: 'V', data: amp },
  ]);
  const ascii =
    [
      '# Channel: Phase',
      '# Width: 2.000 µm',
      '# Height: 2.000 µm',
      '# Value units: deg',
      ...Array.from({ length: 8 }, (_, j) => phase.slice(8 * j, 8 * j + 8).join('\t')),
    ].join('\n') + '\n';
  return [
    { id: 'synthetic:pfm.gwy', name: 'P01_pfm.gwy', bytes: gwy, format: fmt('gwyddion-gwy') },
    { id: 'synthetic:pfm-ascii.txt', name: 'P01_pfm_phase.txt', bytes: new TextEncoder().encode(ascii), format: fmt('spm-ascii-matrix') },
  ];
}

/** One hand-made Neware file per .nda layout (versions 1–29, 129, 130/BTS 9.0) and per old .ndc version (2, 5). */
function newareLayoutSeeds(): Seed[] {
  return [
    ...syntheticNdaFiles().map((f) => ({ id: `synthetic:neware/${f.id}.nda`, name: `${f.id}.nda`, bytes: f.bytes, format: fmt('neware-nda') })),
    { id: 'synthetic:neware/ndc2-aux.ndax', name: 'ndc2.ndax', bytes: writeLegacyNdax(2, { auxChannels: [1] }), format: fmt('neware-ndax') },
    { id: 'synthetic:neware/ndc5.ndax', name: 'ndc5.ndax', bytes: writeLegacyNdax(5), format: fmt('neware-ndax') },
  ];
}

/** The hand-made files of the issue #19 variants (tests/fixtures/issue19), one seed each, with the format that reads it. */
const ISSUE19_SEEDS: readonly (readonly [string, string])[] = [
  ['eclab-no-settings-header.mpt', 'biologic-mpt'],
  ['eclab-selected-columns.mpt', 'biologic-mpt'],
  ['eclab-peis-no-header.mpt', 'biologic-mpt'],
  ['zview-quoted-header.z', 'zplot-z'],
  ['zview-comma-header.z', 'zplot-z'],
  ['zview-bare-rows.z', 'zplot-z'],
  ['autolab-fra.dfr', 'autolab-dfr'],
  ['phi-multipak-depth.txt', 'phi-multipak-txt'],
  ['specs-prodigy-transmission.xy', 'specs-xy'],
  ['battery-data-tools.csv', 'battery-data-tools-csv'],
  ['neware-cycle-layer.csv', 'cycle-summary-text'],
  ['neware-step-layer.csv', 'cycle-summary-text'],
];

/** The hand-made chronoamperometry files (issue #20 §2, tests/fixtures/transference): EC-Lab CA .mpt and Gamry CHRONOA .DTA. */
function transferenceSeeds(): Seed[] {
  const dir = join(repoRoot(), 'tests/fixtures/transference');
  if (!existsSync(dir)) return [];
  return (
    [
      ['eclab-ca-lili.mpt', 'biologic-mpt'],
      ['gamry-chronoa-lili.DTA', 'gamry-chronoa'],
    ] as const
  ).map(([file, id]) => ({ id: `synthetic:transference/${file}`, name: file, bytes: new Uint8Array(readFileSync(join(dir, file))), format: fmt(id) }));
}

function issue19Seeds(): Seed[] {
  const dir = join(repoRoot(), 'tests/fixtures/issue19');
  if (!existsSync(dir)) return [];
  return ISSUE19_SEEDS.map(([file, id]) => ({
    id: `synthetic:issue19/${file}`,
    name: file,
    bytes: new Uint8Array(readFileSync(join(dir, file))),
    format: fmt(id),
  }));
}

/** Seeds grouped by the parser that reads them; `null` key = detection-only seeds. */
export function seedsByFormat(seeds: readonly Seed[]): Map<string, Seed[]> {
  const m = new Map<string, Seed[]>();
  for (const s of seeds) {
    const k = s.format?.id ?? '(detection only)';
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(s);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

export const MUTATORS = [
  'truncate',
  'flip',
  'garbage-line',
  'swap-delimiters',
  'encoding',
  'big-number',
  'nan-inf',
  'tiny',
  'duplicate-header',
  'binary-int',
  'delete-lines',
  'grow-1mb',
] as const;
export type MutatorName = (typeof MUTATORS)[number];

export interface MutationOp {
  readonly m: MutatorName;
  readonly seed: number;
}
export interface Plan {
  /** Index into the parser's seed list (modulo its length). */
  readonly seed: number;
  readonly ops: readonly MutationOp[];
}

/** mulberry32: every operation draws from its own seeded stream. */
function rng(seed: number): { next: () => number; int: (n: number) => number; pick: <T>(a: readonly T[]) => T } {
  const next = mulberry32(seed);
  const int = (n: number): number => (n <= 0 ? 0 : Math.floor(next() * n));
  return { next, int, pick: (arr) => arr[int(arr.length)]! };
}

const latin1Of = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Line start offsets (after each \n), capped for speed. */
function lineStarts(s: string, cap = 20000): number[] {
  const out = [0];
  for (let i = s.indexOf('\n'); i >= 0 && out.length < cap; i = s.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

const NUMBER_RE = /[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
function numberSpans(s: string, cap = 50000): [number, number][] {
  const out: [number, number][] = [];
  NUMBER_RE.lastIndex = 0;
  const text = s.length > 400_000 ? s.slice(0, 400_000) : s;
  for (let m = NUMBER_RE.exec(text); m && out.length < cap; m = NUMBER_RE.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

function replaceSpans(s: string, spans: [number, number][], by: () => string): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (const [a, b] of spans) {
    if (a < last) continue;
    out += s.slice(last, a) + by();
    last = b;
  }
  return out + s.slice(last);
}

const BIG = [
  '1e308',
  '1.8e308',
  '1e309',
  '-1e999',
  '99999999999999999999999999999',
  '4294967296',
  '2147483648',
  '-2147483649',
  '-0',
  '1e-400',
  '9'.repeat(400),
  '0x7FFFFFFF',
  '1E+0400',
];
const NANINF = ['NaN', 'nan', 'Inf', '-Inf', 'Infinity', '-Infinity', 'inf', '1.#INF', '-1.#IND', '#N/A', '∞', 'null', '', '--', 'N/A'];
const GARBAGE = [
  () => '\u0000\u0001\u0002\u0003\u00ff\u00fe',
  () => 'garbage line, with, commas\tand\ttabs;semis',
  () => '"unbalanced quote, ' + 'x'.repeat(50),
  () => 'x'.repeat(100_000),
  () => '\r',
  () => ',,,,,,,,,,,,,,,,,,,,,,,,,',
  () => '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30',
  () => '[Data]\n[Region 1]\nBEGIN\nEND',
  () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
];

let gbkTable: Map<string, Uint8Array> | undefined;
/** Encoder for GBK built from the platform decoder (no extra package): char → 2 bytes. */
function gbkEncode(s: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const c = dec.decode(new Uint8Array([a, b]));
        if (c.length === 1 && c !== '\ufffd' && !gbkTable.has(c)) gbkTable.set(c, new Uint8Array([a, b]));
      }
    }
  }
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const g = gbkTable.get(ch);
      if (g) out.push(g[0]!, g[1]!);
      else out.push(0x3f);
    }
  }
  return new Uint8Array(out);
}
const CJK = ['电压/V', '电流/mA', '容量/mAh', '时间', '循环序号', '工步类型', '记录序号', '能量/Wh', '频率', '阻抗'];

function mutateOnce(bytes: Uint8Array, op: MutationOp): Uint8Array {
  const r = rng(op.seed);
  const len = bytes.length;
  switch (op.m) {
    case 'truncate':
      return bytes.slice(0, r.int(len + 1));
    case 'flip': {
      const out = bytes.slice();
      if (!len) return out;
      const k = 1 + r.int(16);
      // Half the flips land in the first 4 KB, where headers and binary directories live.
      for (let i = 0; i < k; i++) out[r.next() < 0.5 ? r.int(Math.min(len, 4096)) : r.int(len)]! ^= 1 + r.int(255);
      return out;
    }
    case 'garbage-line': {
      const s = latin1Of(bytes);
      const starts = lineStarts(s);
      const at = r.pick(starts);
      return bytesOf(s.slice(0, at) + r.pick(GARBAGE)() + '\n' + s.slice(at));
    }
    case 'swap-delimiters': {
      const pairs: [string, string][] = [
        [',', '\t'],
        [',', ';'],
        ['.', ','],
        ['\t', ' '],
        ['\r\n', '\n'],
        ['\n', '\r'],
        ['\t', ','],
        [' ', '\t'],
        [';', ','],
      ];
      const [a, b] = r.pick(pairs);
      const s = latin1Of(bytes);
      return bytesOf(r.next() < 0.5 ? s.split(a).join(b) : s.split(a).join('\u0000').split(b).join(a).split('\u0000').join(b));
    }
    case 'encoding': {
      const s = latin1Of(bytes);
      const which = r.int(7);
      if (which === 0) return new Uint8Array(Buffer.from(s, 'utf8')); // latin-1 read as UTF-8 and re-encoded: mojibake
      if (which === 1) return new Uint8Array(Buffer.from(new TextDecoder().decode(bytes), 'latin1')); // UTF-8 → latin-1 (lossy)
      if (which === 2) return new Uint8Array([0xff, 0xfe, ...Buffer.from(s, 'utf16le')]);
      if (which === 3) return new Uint8Array(Buffer.from(s, 'utf16le')); // UTF-16 without BOM
      if (which === 4) {
        const le = Buffer.from(s, 'utf16le');
        le.swap16();
        return new Uint8Array([0xfe, 0xff, ...le]);
      }
      if (which === 5) return new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
      // GBK: Chinese column names (as Neware/Landt write them) spliced into the first lines.
      const text = new TextDecoder('latin1').decode(bytes);
      const starts = lineStarts(text, 50);
      const at = r.pick(starts);
      const cjk = Array.from({ length: 1 + r.int(5) }, () => r.pick(CJK)).join(r.pick([',', '\t', ';']));
      return gbkEncode(text.slice(0, at) + cjk + '\n' + text.slice(at));
    }
    case 'big-number':
    case 'nan-inf': {
      const s = latin1Of(bytes);
      const spans = numberSpans(s);
      if (!spans.length) return bytes;
      const k = 1 + r.int(r.next() < 0.2 ? spans.length : 8);
      const chosen = Array.from({ length: Math.min(k, spans.length) }, () => spans[r.int(spans.length)]!);
      const pool = op.m === 'big-number' ? BIG : NANINF;
      return bytesOf(replaceSpans(s, chosen, () => r.pick(pool)));
    }
    case 'tiny':
      return r.next() < 0.3 ? new Uint8Array(0) : new Uint8Array([r.next() < 0.5 && len ? bytes[0]! : r.int(256)]);
    case 'duplicate-header': {
      const s = latin1Of(bytes);
      const starts = lineStarts(s, 60);
      const i = r.int(Math.min(starts.length, 50));
      const a = starts[i]!;
      const b = starts[i + 1] ?? s.length;
      const line = s.slice(a, b);
      if (r.next() < 0.5) {
        // the same header line again, right after or further down
        const at = r.next() < 0.5 ? b : r.pick(lineStarts(s));
        return bytesOf(s.slice(0, at) + (line.endsWith('\n') ? line : line + '\n') + s.slice(at));
      }
      // a duplicated column name within the line
      const delim = [',', '\t', ';'].find((d) => line.includes(d));
      if (!delim) return bytesOf(s.slice(0, b) + line + s.slice(b));
      const f = line.replace(/\r?\n$/, '').split(delim);
      const j = r.int(f.length);
      f.splice(r.int(f.length + 1), 0, f[j]!);
      return bytesOf(s.slice(0, a) + f.join(delim) + line.slice(line.replace(/\r?\n$/, '').length) + s.slice(b));
    }
    case 'binary-int': {
      const out = bytes.slice();
      if (len < 4) return out;
      const k = 1 + r.int(4);
      const vals = [0xffffffff, 0x7fffffff, 0x80000000, 0, 0x00100000, 0x40000000, 0xfffffffe];
      const view = new DataView(out.buffer);
      for (let i = 0; i < k; i++) {
        const at = r.next() < 0.7 ? r.int(Math.min(len - 3, 8192)) : r.int(len - 3);
        view.setUint32(at, r.pick(vals), r.next() < 0.5);
      }
      return out;
    }
    case 'delete-lines': {
      const s = latin1Of(bytes);
      const starts = lineStarts(s);
      const i = r.int(starts.length);
      const j = Math.min(starts.length, i + 1 + r.int(r.next() < 0.8 ? 3 : starts.length));
      return bytesOf(s.slice(0, starts[i]!) + s.slice(starts[j] ?? s.length));
    }
    case 'grow-1mb': {
      // Repeat a run of lines (or raw bytes) until the input is about 1 MB: super-linear code shows up here.
      const target = 1024 * 1024;
      if (len === 0) return new Uint8Array(target).fill(0x31);
      const s = latin1Of(bytes);
      const starts = lineStarts(s);
      const i = starts.length > 4 ? starts.length / 3 + r.int(starts.length / 3) : 0;
      const a = starts[Math.floor(i)]!;
      const b = Math.min(s.length, starts[Math.floor(i) + 1 + r.int(4)] ?? s.length);
      const chunk = b > a ? s.slice(a, b) : s;
      const reps = Math.max(1, Math.floor((target - len) / Math.max(1, chunk.length)));
      const tail = r.next() < 0.5;
      return bytesOf(tail ? s + chunk.repeat(reps) : s.slice(0, b) + chunk.repeat(reps) + s.slice(b));
    }
  }
}

export function applyPlan(seed: Uint8Array, plan: Plan): Uint8Array {
  let b = seed;
  for (const op of plan.ops) {
    b = mutateOnce(b, op);
    if (b.length > 3 * 1024 * 1024) b = b.slice(0, 3 * 1024 * 1024); // stacked growth stays near the 1 MB scale
  }
  return b;
}

/** fast-check arbitrary for plans. Weights: 10 per mutator, 3 for `tiny`, `growWeight` (default 3) for the slow 1 MB growth. */
export function planArb(opts: { growWeight?: number } = {}): fc.Arbitrary<Plan> {
  const gw = Math.max(0, Math.round(opts.growWeight ?? 3));
  const weighted = MUTATORS.map((m) => ({ arbitrary: fc.constant(m), weight: m === 'grow-1mb' ? gw : m === 'tiny' ? 3 : 10 }));
  const op = fc.record({ m: fc.oneof(...weighted), seed: fc.integer({ min: 0, max: 0x7fffffff }) });
  return fc.record({ seed: fc.nat({ max: 1_000_000 }), ops: fc.array(op, { minLength: 1, maxLength: 3 }) });
}

// ---------------------------------------------------------------------------------------------
// Oracle
// ---------------------------------------------------------------------------------------------

/** Columns that must not be all-NaN without a warning, per record kind (any one name from each group). */
const REQUIRED: Record<string, readonly string[]> = {
  cycler: ['Voltage', 'Current', 'Test Time'],
  eis: ['Frequency', 'Real Impedance', 'Imaginary Impedance'],
  'xps-spectrum': ['Binding Energy', 'Intensity'],
  'xps-depth-profile': ['Binding Energy', 'Intensity'],
  'sims-depth-profile': ['Sputter Time'],
  'sims-spectrum': ['Mass', 'Intensity'],
  'sims-image': ['X', 'Y'],
  'pe-loop': ['Polarization', 'Electric Field', 'Voltage'],
};

/** Problems with parser output ([] = valid). */
export function checkRecords(records: unknown, inputBytes: number): string[] {
  const p: string[] = [];
  if (!Array.isArray(records)) return [`parse returned ${typeof records}, not an array`];
  let outBytes = 0;
  records.forEach((raw, ri) => {
    const r = raw as ParsedRecord;
    const at = `record ${ri}`;
    if (!r || typeof r !== 'object') {
      p.push(`${at}: not an object`);
      return;
    }
    if (!RECORD_KINDS.includes(r.kind)) p.push(`${at}: kind '${String(r.kind)}' is not a RecordKind`);
    if (!Array.isArray(r.columns)) {
      p.push(`${at}: columns is not an array`);
      return;
    }
    if (!Array.isArray(r.warnings)) p.push(`${at}: warnings is not an array`);
    let n = -1;
    for (const c of r.columns) {
      const v = c?.values as unknown;
      if (!(v instanceof Float64Array) && !(v instanceof Int32Array)) {
        p.push(`${at}: column '${c?.name}' values are ${Object.prototype.toString.call(v)}, not Float64Array/Int32Array`);
        continue;
      }
      outBytes += v.byteLength;
      if (n < 0) n = v.length;
      else if (v.length !== n) p.push(`${at}: column '${c.name}' has ${v.length} values, the first column has ${n}`);
      if (c.levels !== undefined) {
        if (!Array.isArray(c.levels)) p.push(`${at}: column '${c.name}' levels is not an array`);
        else {
          const L = c.levels.length;
          for (let i = 0; i < v.length; i++) {
            const x = v[i]!;
            if (!Number.isInteger(x) || x < 0 || x >= L) {
              p.push(`${at}: categorical column '${c.name}' value ${x} at row ${i} does not index its ${L} levels`);
              break;
            }
          }
        }
      }
    }
    const required = REQUIRED[r.kind] ?? [];
    if (Array.isArray(r.warnings) && r.warnings.length === 0) {
      for (const c of r.columns) {
        if (!required.includes(c?.name) || !(c.values instanceof Float64Array) || c.values.length === 0) continue;
        if ((c.values as Float64Array).every((x: number) => Number.isNaN(x)))
          p.push(`${at}: required column '${c.name}' is all NaN and the record has no warning`);
      }
    }
  });
  // "never unbounded memory": output is bounded by the input (256 bytes of columns per input byte, + 16 MB).
  const cap = 256 * inputBytes + 16 * 1024 * 1024;
  if (outBytes > cap) p.push(`output columns hold ${outBytes} bytes for a ${inputBytes}-byte input (cap ${cap})`);
  return p;
}

/** Wall-clock budget: 2 s per MB of input, never below 2 s. */
export function budgetMs(bytes: number): number {
  return 2000 * Math.max(1, bytes / (1024 * 1024));
}

export type Verdict =
  | { readonly ok: true; readonly outcome: 'records' | 'parse-error'; readonly ms: number; readonly code?: string }
  | { readonly ok: false; readonly kind: 'exception' | 'invalid' | 'slow'; readonly ms: number; readonly message: string };

async function judge(run: () => unknown, inputBytes: number, wrapped: boolean): Promise<Verdict> {
  const t0 = performance.now();
  let out: unknown;
  try {
    out = await run();
  } catch (e) {
    const ms = performance.now() - t0;
    if (!(e instanceof ParseError)) {
      const err = e as Error;
      return {
        ok: false,
        kind: 'exception',
        ms,
        message: `${err?.name ?? typeof e}: ${err?.message ?? String(e)}\n${(err?.stack ?? '').split('\n').slice(1, 4).join('\n')}`,
      };
    }
    // parseBytes turns unexpected parser exceptions into ParseError 'invalid' "... parser failed unexpectedly": still a bug.
    if (wrapped && /parser failed unexpectedly/.test(e.message)) return { ok: false, kind: 'exception', ms, message: e.message };
    if (ms > budgetMs(inputBytes))
      return { ok: false, kind: 'slow', ms, message: `ParseError after ${ms.toFixed(0)} ms (budget ${budgetMs(inputBytes).toFixed(0)} ms)` };
    return { ok: true, outcome: 'parse-error', ms, code: e.code };
  }
  const ms = performance.now() - t0;
  const recs = wrapped ? (out as { records: unknown }).records : out;
  const problems = checkRecords(recs, inputBytes);
  if (problems.length) return { ok: false, kind: 'invalid', ms, message: problems.slice(0, 3).join('; ') };
  if (ms > budgetMs(inputBytes))
    return { ok: false, kind: 'slow', ms, message: `records after ${ms.toFixed(0)} ms (budget ${budgetMs(inputBytes).toFixed(0)} ms)` };
  return { ok: true, outcome: 'records', ms };
}

/** The named parser, called directly. */
export function runDirect(format: FormatParser, name: string, bytes: Uint8Array, options?: Record<string, unknown>): Promise<Verdict> {
  return judge(() => format.parse({ path: name, bytes, options }), bytes.length, false);
}

/** The detection path: parseBytes (sniff → parse → provenance). With options (generic CSV) the format is forced as a manifest override would. */
export function runDetected(name: string, bytes: Uint8Array, seed?: Pick<Seed, 'format' | 'options'>): Promise<Verdict> {
  const o = seed?.options && seed.format ? { formatId: seed.format.id, options: seed.options } : {};
  return judge(() => parseBytes(name, bytes, o), bytes.length, true);
}

export interface CaseResult {
  readonly seed: string;
  readonly plan: Plan;
  readonly bytes: number;
  readonly direct?: Verdict;
  readonly detected: Verdict;
}

/** One mutated input through both paths. */
export async function runCase(seeds: readonly Seed[], plan: Plan): Promise<CaseResult> {
  const s = seeds[plan.seed % seeds.length]!;
  const bytes = applyPlan(s.bytes, plan);
  const direct = s.format ? await runDirect(s.format, s.name, bytes, s.options) : undefined;
  const detected = await runDetected(s.name, bytes, s);
  return { seed: s.id, plan, bytes: bytes.length, direct, detected };
}

export function failures(c: CaseResult): string[] {
  const out: string[] = [];
  if (c.direct && !c.direct.ok) out.push(`direct ${c.direct.kind}: ${c.direct.message}`);
  if (!c.detected.ok) out.push(`parseBytes ${c.detected.kind}: ${c.detected.message}`);
  return out;
}

/** Fixed-seed plans for one parser (what the test sample and the bench both draw from). */
export function samplePlans(seed: number, numRuns: number, opts: { growWeight?: number } = {}): Plan[] {
  return fc.sample(planArb(opts), { seed, numRuns });
}
