/**
 * The live page's state, built from WatchEvents: the file feed, the cell cards, the plots (rendered
 * SVG) and the hypothesis table. Every change is a numbered message handed to `publish` (the server
 * sends it over server-sent events); `snapshot()` is the whole state with the last number, which a
 * page fetches when it (re)connects and then applies only newer messages.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { WatchEvent } from '../watch.js';
import type { FileOutcome } from '../process-file.js';
import type { CampaignReport } from '../../src/report/types.js';
import { cellCards, hypothesisRows, livePlotSpecs, type CellCard, type HypothesisRow } from './data.js';
import { readFitTables } from '../../src/report/plots/data.js';
import type { PlotSpec } from '../../src/report/plots/figure.js';

export type FeedState =
  | 'arrived'
  | 'settling'
  | 'processing'
  | 'parsed'
  | 'failed'
  | 'quarantined'
  | 'companion'
  | 'duplicate'
  | 'unchanged'
  | 'removed'
  | 'locked'
  | 'stored';

export interface FeedEntry {
  readonly time: number;
  readonly path: string;
  readonly cell: string | null;
  readonly state: FeedState;
  /** The reason of a failure, the original of a duplicate, rows parsed, … */
  readonly detail: string;
  /** A file under the output folder to link to (served at /out/<link>), e.g. the quarantine reason. */
  readonly link: string | null;
}

export interface LiveMessage {
  readonly boot: string;
  readonly seq: number;
  readonly type: 'feed' | 'cards' | 'plots' | 'hypotheses' | 'status';
  readonly data: unknown;
}

export interface LiveStatus {
  readonly campaign: string;
  readonly folder: string;
  readonly ready: boolean;
  readonly reportAt: string | null;
  readonly problems: readonly string[];
}

export interface LiveSnapshot {
  readonly boot: string;
  readonly seq: number;
  readonly status: LiveStatus;
  readonly feed: readonly FeedEntry[];
  readonly cards: readonly CellCard[];
  readonly plots: readonly { title: string; svg: string }[];
  readonly hypotheses: readonly HypothesisRow[];
}

export interface LiveStateOptions {
  readonly folder: string;
  readonly campaign: string;
  /** Output folder (updated from the report's context). */
  outDir: string;
  readonly publish: (m: LiveMessage) => void;
  readonly log?: (line: string) => void;
  /** Render a plot spec to SVG (+ caption); injected so tests need not load Vega. */
  readonly render?: (p: PlotSpec) => Promise<string>;
  /** Most feed entries kept. @default 500 */
  readonly maxFeed?: number;
}

const EMPTY_CARD = { files: 0, failed: 0, lastDataMs: null, cycles: null, ceMean: null, ceLast: null, flags: [] as string[] };

export class LiveState {
  readonly boot = randomUUID();
  private seq = 0;
  private feed: FeedEntry[] = [];
  private cards = new Map<string, CellCard>();
  /** Paths seen per cell since the last report (so a card counts a file before the report is rebuilt). */
  private liveFiles = new Map<string, Map<string, 'ok' | 'failed'>>();
  private plots: { title: string; svg: string }[] = [];
  private hypotheses: HypothesisRow[] = [];
  private status: LiveStatus;
  private rendering: Promise<void> = Promise.resolve();
  private pendingSpecs: PlotSpec[] | null = null;

  constructor(private readonly o: LiveStateOptions) {
    this.status = { campaign: o.campaign, folder: o.folder, ready: false, reportAt: null, problems: [] };
  }

  snapshot(): LiveSnapshot {
    return {
      boot: this.boot,
      seq: this.seq,
      status: this.status,
      feed: this.feed,
      cards: [...this.cards.values()],
      plots: this.plots,
      hypotheses: this.hypotheses,
    };
  }

  private send(type: LiveMessage['type'], data: unknown): void {
    this.o.publish({ boot: this.boot, seq: ++this.seq, type, data });
  }

  private addFeed(e: Omit<FeedEntry, 'time'>): void {
    const entry = { time: Date.now(), ...e };
    this.feed.unshift(entry);
    if (this.feed.length > (this.o.maxFeed ?? 500)) this.feed.length = this.o.maxFeed ?? 500;
    this.send('feed', entry);
  }

  private outLink(abs: string | null): string | null {
    if (!abs) return null;
    const rel = relative(this.o.outDir, abs);
    return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : null;
  }

  /** Handle one watcher event; a report event resolves once the store has been read. */
  async onEvent(e: WatchEvent): Promise<void> {
    if (e.type === 'file') {
      // Only changes of state: a file written in many pieces is one 'settling' line until it settles.
      const last = this.feed.find((f) => f.path === e.path);
      if (last && last.state === e.state) return;
      this.addFeed({ path: e.path, cell: e.cell, state: e.state, detail: e.state === 'settling' ? 'still being written' : '', link: null });
    } else if (e.type === 'outcome') this.onOutcome(e.outcome, e.cell);
    else if (e.type === 'ready') {
      this.status = { ...this.status, ready: true };
      this.send('status', this.status);
    } else if (e.type === 'report') await this.onReport(e.report, e.ctx.store, e.ctx.outDir);
  }

  private onOutcome(out: FileOutcome, cell: string | null): void {
    const base = { path: out.path, cell, link: null };
    switch (out.status) {
      case 'parsed':
        this.addFeed({ ...base, state: 'parsed', detail: `${out.records} record(s), ${out.rows} rows` });
        break;
      case 'failed':
        this.addFeed({ ...base, state: 'failed', detail: out.error.message });
        if (out.quarantined) {
          const link = this.outLink(`${out.quarantined}.reason.txt`);
          this.addFeed({ ...base, state: 'quarantined', detail: `copy in ${this.outLink(out.quarantined) ?? out.quarantined}`, link });
        }
        break;
      case 'sidecar':
        this.addFeed({
          ...base,
          state: 'companion',
          detail: out.of ? `companion of ${out.of}${out.missing ? ' (not here yet)' : ''}` : 'companion file, its data file is not here yet',
        });
        break;
      case 'duplicate':
        this.addFeed({ ...base, state: 'duplicate', detail: `same bytes as ${out.of}` });
        break;
      case 'skipped':
        this.addFeed({ ...base, state: 'unchanged', detail: out.why === 'same-hash' ? 'same content as stored' : 'unchanged' });
        return;
      case 'vanished':
        this.addFeed({ ...base, state: 'removed', detail: 'no longer in the folder' });
        for (const m of this.liveFiles.values()) m.delete(out.path);
        return;
      case 'locked':
        this.addFeed({ ...base, state: 'locked', detail: out.message });
        return;
    }
    if (cell) {
      const m = this.liveFiles.get(cell) ?? new Map<string, 'ok' | 'failed'>();
      m.set(out.path, out.status === 'failed' ? 'failed' : 'ok');
      this.liveFiles.set(cell, m);
      void this.touchCard(cell, out.path);
    }
  }

  /** A cell's card right after one of its files was processed (before the report is rebuilt). */
  private async touchCard(cell: string, path: string): Promise<void> {
    let mtime: number | null = null;
    try {
      mtime = (await stat(join(this.o.folder, path))).mtimeMs;
    } catch {
      /* gone */
    }
    const prev = this.cards.get(cell) ?? { id: cell, group: '', ...EMPTY_CARD };
    const seen = this.liveFiles.get(cell) ?? new Map();
    const failed = [...seen.values()].filter((v) => v === 'failed').length;
    const flags = prev.flags.filter((f) => !/unreadable file/.test(f));
    const totalFailed = Math.max(prev.failed, failed);
    if (totalFailed) flags.push(`${totalFailed} unreadable file${totalFailed > 1 ? 's' : ''}`);
    this.cards.set(cell, {
      ...prev,
      files: Math.max(prev.files, seen.size),
      failed: totalFailed,
      lastDataMs: mtime !== null ? Math.max(prev.lastDataMs ?? 0, mtime) : prev.lastDataMs,
      flags,
    });
    this.send('cards', [...this.cards.values()]);
  }

  private async onReport(report: CampaignReport, store: import('../../src/store/store.js').CampaignStore, outDir: string): Promise<void> {
    this.o.outDir = outDir;
    // Store reads happen here, inside the watcher's queue (no write in between); rendering happens after.
    let specs: PlotSpec[] = [];
    try {
      const tables = await readFitTables(store, 'cycles');
      const cards = await cellCards(report, store, tables);
      specs = await livePlotSpecs(report, store, tables);
      this.cards = new Map(cards.map((c) => [c.id, c]));
      this.liveFiles.clear();
    } catch (e) {
      this.o.log?.(`live page: cards and plots not updated: ${(e as Error)?.message ?? String(e)}`);
    }
    this.catchUpFeed(report);
    this.hypotheses = hypothesisRows(report);
    this.status = { ...this.status, campaign: report.campaign.name || this.status.campaign, reportAt: report.generatedAt, problems: report.problems };
    this.send('cards', [...this.cards.values()]);
    this.send('hypotheses', this.hypotheses);
    this.send('status', this.status);
    this.renderPlots(specs);
  }

  /** Files the feed has not seen (stored before this watcher started): one line each from the report. */
  private catchUpFeed(report: CampaignReport): void {
    const known = new Set(this.feed.map((f) => f.path));
    const missing = report.files.filter((f) => !known.has(f.path));
    for (const f of missing.slice(-200)) {
      const state: FeedState = f.status === 'failed' ? 'failed' : f.status === 'sidecar' ? 'companion' : f.status === 'duplicate' ? 'duplicate' : 'stored';
      const detail =
        f.status === 'failed'
          ? (f.error?.message ?? 'unreadable')
          : f.status === 'duplicate'
            ? `same bytes as ${f.duplicateOf}`
            : f.status === 'sidecar'
              ? `companion of ${f.companionOf ?? '(no data file yet)'}`
              : `${f.records} record(s), ${f.rows} rows (in the store)`;
      this.addFeed({ path: f.path, cell: f.cell, state, detail, link: f.quarantined ? this.outLink(`${f.quarantined}.reason.txt`) : null });
    }
  }

  /** Render the latest specs; a burst of reports renders once more at the end, not once each. */
  private renderPlots(specs: PlotSpec[]): void {
    const first = this.pendingSpecs === null;
    this.pendingSpecs = specs;
    if (!first) return;
    this.rendering = this.rendering.then(async () => {
      while (this.pendingSpecs) {
        const todo = this.pendingSpecs;
        const render = this.o.render ?? (await import('../../src/report/plots/figure.js')).renderFigure;
        const plots: { title: string; svg: string }[] = [];
        for (const p of todo) {
          try {
            plots.push({ title: p.title, svg: await render(p) });
          } catch (e) {
            this.o.log?.(`live page: plot '${p.title}' not rendered: ${(e as Error)?.message ?? String(e)}`);
          }
        }
        if (this.pendingSpecs === todo) this.pendingSpecs = null;
        this.plots = plots;
        this.send('plots', plots);
      }
    });
  }

  /** Resolves when the plots of the last report are rendered. */
  async settled(): Promise<void> {
    await this.rendering;
  }
}
