/**
 * Metadata companion files ("sidecars"): small files an instrument writes beside a data file to
 * describe it (channel, schedule, start time, settings). They hold no data of their own, so the
 * pipeline does not parse them into records: it reads their fields and attaches them to the record
 * meta of their data file (`meta.sidecar = { file, rule, fields }`), and stores the companion itself
 * with status `sidecar` — never failed, never quarantined.
 *
 * The rules are data: one row per companion kind, naming the pair by suffix (`<stem><companionSuffix>`
 * belongs to `<stem><dataSuffix>`, same folder, case-insensitive) and a content check, so a file that
 * merely has the name is not swallowed. Add a row here for another instrument; nothing else changes.
 * What was checked for each row is in docs/pipelines.md ("Companion files").
 */
import { posix } from 'node:path';
import { decodeText, latin1 } from './text/decode.js';
import { splitFields } from './text/table.js';
import { isArbinMetadataHeader } from './cycler/arbin-csv.js';

/** Plain JSON field values. */
export type CompanionFields = Record<string, string | number | boolean | null | readonly string[] | Record<string, string>>;

export interface CompanionRule {
  /** Stable id, stored with the companion (`files.format`). */
  readonly id: string;
  readonly version: string;
  readonly title: string;
  /** The companion's name is `<stem>` + this (matched case-insensitively). */
  readonly companionSuffix: string;
  /** The data file's name is `<stem>` + one of these, in order of preference. */
  readonly dataSuffixes: readonly string[];
  /** Content check on the file's first bytes (latin-1): true when it really is this companion. */
  readonly looksLike: (headText: string) => boolean;
  /** The companion's fields: the named ones (testId, channel, startTime, schedule …) and `raw`. */
  readonly fields: (text: string) => CompanionFields;
}

function firstLine(text: string): string {
  const s = text.replace(/^\uFEFF|^\xef\xbb\xbf/, '');
  const i = s.search(/[\r\n]/);
  return i < 0 ? s : s.slice(0, i);
}

/** Unix seconds → ISO 8601 (UTC); 0 and non-numbers mean "not set". */
function unixIso(v: string | undefined): string | null {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : null;
}

function numOr(v: string | undefined): number | string | null {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/**
 * Arbin channel metadata as TRI's BEEP writes it beside each channel CSV (`<name>_Metadata.csv`): one
 * header row (`,test_id,device_id,iv_ch_id,first_start_datetime,…,schedule_file_name,…`) and one row.
 * Times are Unix seconds; `iv_ch_id` is Arbin's 0-based channel index (CH8 in the name is 7).
 */
function arbinMetadataFields(text: string): CompanionFields {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitFields(firstLine(lines[0] ?? ''), ',').map((h) => h.trim());
  const values = splitFields(lines[1] ?? '', ',');
  const raw: Record<string, string> = {};
  header.forEach((h, i) => {
    if (h) raw[h] = (values[i] ?? '').trim();
  });
  return {
    testId: numOr(raw.test_id),
    device: raw.device_id ?? null,
    channel: numOr(raw.iv_ch_id),
    startTime: unixIso(raw.first_start_datetime),
    lastResumeTime: unixIso(raw.last_resume_datetime),
    lastEndTime: unixIso(raw.last_end_datetime),
    resumedTimes: numOr(raw.resumed_times),
    schedule: raw.schedule_file_name || null,
    scheduleVersion: raw.schedule_version || null,
    itemId: raw.item_id || null,
    databases: raw.databases
      ? raw.databases
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    raw,
  };
}

/**
 * BioLogic EC-Lab / BT-Lab settings file (`.mps`) saved beside the `.mpr` (and an exported `.mpt`):
 * `EC-LAB SETTING FILE`, `Number of linked techniques : n`, `key : value` lines (Filename, Device,
 * Electrode material …), then `Technique : k` blocks whose next line names the technique.
 */
function biologicMpsFields(text: string): CompanionFields {
  const lines = text.split(/\r?\n/);
  const raw: Record<string, string> = {};
  const techniques: string[] = [];
  let software: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!.trim();
    const t = /^Technique\s*:\s*\d+/i.exec(l);
    if (t) {
      const name = lines[i + 1]?.trim();
      if (name) techniques.push(name);
      continue;
    }
    if (techniques.length) continue; // technique parameter tables: kept out of the fields
    if (!software && /^(EC|BT)-Lab for windows/i.test(l)) software = l;
    const kv = /^([^:\t]+?)\s*:\s*(.*)$/.exec(l);
    if (kv && !(kv[1]! in raw)) raw[kv[1]!] = kv[2]!.trim();
  }
  const n = Number(raw['Number of linked techniques']);
  return {
    software: firstLine(text).trim().split(/\s+/)[0] ?? null,
    softwareVersion: software,
    settingsFile: raw.Filename ?? null,
    device: raw.Device ?? null,
    linkedTechniques: Number.isFinite(n) ? n : null,
    techniques,
    electrodeMaterial: raw['Electrode material'] || null,
    comments: raw.Comments || null,
    raw,
  };
}

export const COMPANION_RULES: readonly CompanionRule[] = [
  {
    id: 'arbin-metadata-csv',
    version: '1.0.0',
    title: 'Arbin channel metadata CSV (BEEP `_Metadata.csv`)',
    companionSuffix: '_Metadata.csv',
    dataSuffixes: ['.csv'],
    looksLike: (head) => isArbinMetadataHeader(firstLine(head)),
    fields: arbinMetadataFields,
  },
  {
    id: 'biologic-mps',
    version: '1.0.0',
    title: 'BioLogic EC-Lab / BT-Lab settings file (`.mps`)',
    companionSuffix: '.mps',
    dataSuffixes: ['.mpr', '.mpt'],
    looksLike: (head) => /^(EC|BT)-LAB SETTING FILE\b/i.test(firstLine(head).trim()),
    fields: biologicMpsFields,
  },
];

function stemOf(name: string, suffix: string): string | null {
  return name.length > suffix.length && name.toLowerCase().endsWith(suffix.toLowerCase()) ? name.slice(0, name.length - suffix.length) : null;
}

export interface CompanionMatch {
  readonly rule: CompanionRule;
  /** Paths (same folder as the companion, '/'-separated) its data file may have, preferred first. */
  readonly dataPaths: readonly string[];
}

/**
 * Is this file a companion? By content first (the rule's check on the head), then its data file from
 * the name; a companion whose name does not follow the pattern gets no data path (stored with a warning).
 */
export function matchCompanion(path: string, head: Uint8Array, rules: readonly CompanionRule[] = COMPANION_RULES): CompanionMatch | null {
  const headText = latin1(head.subarray(0, 4096));
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  for (const rule of rules) {
    if (!rule.looksLike(headText)) continue;
    const stem = stemOf(name, rule.companionSuffix);
    const dataPaths = stem === null ? [] : rule.dataSuffixes.map((s) => (dir === '.' ? '' : `${dir}/`) + stem + s);
    return { rule, dataPaths };
  }
  return null;
}

/** Read a companion's fields (never throws: a field it cannot read is null). */
export function readCompanion(rule: CompanionRule, bytes: Uint8Array): CompanionFields {
  return rule.fields(decodeText(bytes).text);
}

/** The companion paths a data file may have (for attaching a companion stored before its data file). */
export function companionPathsFor(dataPath: string, rules: readonly CompanionRule[] = COMPANION_RULES): string[] {
  const dir = posix.dirname(dataPath);
  const name = posix.basename(dataPath);
  const out: string[] = [];
  for (const rule of rules) {
    for (const s of rule.dataSuffixes) {
      const stem = stemOf(name, s);
      if (stem !== null) out.push((dir === '.' ? '' : `${dir}/`) + stem + rule.companionSuffix);
    }
  }
  return out;
}

/** What is attached to the data file's record meta. */
export interface SidecarMeta {
  readonly file: string;
  readonly rule: string;
  readonly fields: CompanionFields;
}
