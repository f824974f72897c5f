#!/usr/bin/env node
/**
 * The `interphase` command. Exit codes: 0 ok, 1 some input failed (the rest was still processed),
 * 2 usage error. JSON shapes are a contract other tools rely on (README "CLI").
 */
import { Command, CommanderError } from 'commander';
import { stat, writeFile } from 'node:fs/promises';
import { resolve, join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
// Start-up path (issue #17 §3): only commander and a few small modules load here. Everything a command
// needs — parsers, DuckDB, report, queue, watcher — is imported inside its action with `await import()`,
// so `--version`, `formats`, `detect` and `parse` never load DuckDB, SheetJS, Vega, BullMQ/ioredis or
// chokidar (tests/cli/startup-imports.test.ts checks it).
import type { LoadedInPieces } from '../../src/io/load.js';
import type { CompanionFields, CompanionMatch } from '../../parsers/companions.js';
import type { runBatch } from '../batch.js';
import { ParseError } from '../../src/records/errors.js';
import { ManifestError, UsageError } from '../../src/records/errors.js';
import { columnLabel, rowCount } from '../../src/records/record.js';
import { jsonLine, parseErrorJson, recordsToCsv } from './output.js';
import { VERSION } from '../../src/version.js';
import { settingsFromEnv, type RuntimeSettings } from '../../src/settings.js';

/**
 * The runtime settings (src/settings.ts): built from the environment in `main` — this is the one place
 * that reads it — with the flags of a command folded in where they set the same thing (`--workers`).
 */
let settings: RuntimeSettings;

let exitCode = 0;
const fail = (code: number): void => {
  exitCode = Math.max(exitCode, code);
};

const program = new Command();
program
  .name('interphase')
  .description('Li-metal battery interface pipeline: instrument exports in, fitted SEI/FD parameters and hypothesis verdicts out.')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('detect')
  .description('Tell the format of each file from its content (the extension is only a hint).')
  .argument('<file...>', 'files to inspect')
  .option('--json', 'one JSON object per line: {"file","format","kind","confidence"}')
  .action(async (files: string[], opts: { json?: boolean }) => {
    const { detectFile } = await import('../../src/io/load.js');
    for (const f of files) {
      try {
        const d = await detectFile(f);
        const row = d.best
          ? { file: f, format: d.best.format.id, kind: d.best.kind, confidence: round(d.best.confidence) }
          : { file: f, format: null, kind: null, confidence: round(d.candidates[0]?.confidence ?? 0), reason: d.reason };
        if (!d.best) fail(1);
        console.log(
          opts.json
            ? jsonLine(row)
            : `${f}: ${row.format ?? 'unrecognised'}${row.kind ? ` (${row.kind}, confidence ${row.confidence})` : ` — ${'reason' in row ? row.reason : ''}`}`,
        );
      } catch (e) {
        fail(1);
        const row = { file: f, format: null, kind: null, confidence: 0, reason: (e as Error).message };
        console.log(opts.json ? jsonLine(row) : `${f}: cannot read: ${row.reason}`);
      }
    }
  });

program
  .command('parse')
  .description('Parse one file into canonical records and summarise them (or write the columns as CSV).')
  .argument('<file>', 'instrument file')
  .option('--json', 'print one JSON object (see README "CLI")')
  .option('--format <id>', 'force a format id instead of detecting it (see `interphase formats`)')
  .option('--out <csv>', 'write the columns to this CSV file')
  .action(async (file: string, opts: { json?: boolean; format?: string; out?: string }) => {
    const warm = warmUpFor(file);
    try {
      // A metadata companion (an Arbin _Metadata.csv, an EC-Lab .mps): its fields, and the data file it describes.
      const companion = opts.format ? null : await companionOf(file);
      if (companion) {
        const out = {
          ok: true,
          file,
          companion: companion.rule.id,
          title: companion.rule.title,
          dataFiles: companion.dataPaths,
          fields: companion.fields,
          records: 0,
        };
        if (opts.json) console.log(jsonLine(out));
        else {
          console.log(
            `${file}: ${companion.rule.title} — a companion file, no records; batch and watch attach its fields to ${companion.dataPaths.join(' or ') || '(no data file named)'}`,
          );
          for (const [k, v] of Object.entries(companion.fields)) if (k !== 'raw') console.log(`  ${k}: ${JSON.stringify(v)}`);
        }
        return;
      }
      const { loadFile } = await import('../../src/io/load.js');
      const loaded = await loadFile(file, { formatId: opts.format, settings });
      const first = loaded.records[0]!;
      const out = {
        ok: true,
        file,
        format: loaded.format.id,
        kind: first.kind,
        records: loaded.records.length,
        rows: loaded.records.reduce((s, r) => s + rowCount(r), 0),
        columns: first.columns.map((c) => ({ name: c.name, unit: c.unit })),
        meta: first.meta,
        warnings: loaded.records.flatMap((r) => r.warnings),
        sha256: loaded.sha256,
        parser: { id: loaded.format.id, version: loaded.format.version },
        ...('analysis' in loaded ? { readInPieces: true, cycles: (loaded as LoadedInPieces).analysis.summary.cycles } : {}),
      };
      if (opts.out && first.meta.readInPieces !== undefined) {
        throw new ParseError({
          file,
          code: 'too-large',
          message: 'this file was read in pieces (too large to hold), so its columns cannot be written to one CSV; its per-cycle table is in the batch store',
        });
      }
      if (opts.out) await writeFile(opts.out, recordsToCsv(loaded.records));
      if (opts.json) console.log(jsonLine(out));
      else {
        console.log(`${file}: ${loaded.format.title} → ${out.records} ${first.kind} record(s), ${out.rows} rows`);
        if ('analysis' in loaded)
          console.log(`  read in pieces (bounded memory): ${String(first.meta.readInPieces)}; ${(loaded as LoadedInPieces).analysis.summary.cycles} cycles`);
        else console.log(`  columns: ${first.columns.map(columnLabel).join(', ')}`);
        for (const w of out.warnings) console.log(`  warning: ${w.message}`);
        if (opts.out) console.log(`  written: ${opts.out}`);
      }
    } catch (e) {
      fail(1);
      const j = parseErrorJson(file, e);
      if (opts.json) console.log(jsonLine(j));
      else console.error((j.error as { message: string }).message);
    } finally {
      (await warm)();
    }
  });

program
  .command('formats')
  .description('List the supported formats.')
  .option('--json', 'JSON lines')
  .action(async (opts: { json?: boolean }) => {
    const { FORMATS } = await import('../../parsers/index.js');
    for (const f of FORMATS) {
      console.log(
        opts.json
          ? jsonLine({ id: f.id, family: f.family, kind: f.kind, title: f.title, version: f.version, extensions: f.extensions })
          : `${f.id.padEnd(24)} ${f.family.padEnd(8)} ${f.title}`,
      );
    }
  });

/** Size from which tables are scanned on two threads (PARALLEL_MIN_BYTES in parsers/text/parallel-scan.ts). */
const TWO_THREAD_BYTES = 24 * 1024 * 1024;

/**
 * For a large file, start its SHA-256 (part of the output) on another thread and boot the second
 * scanning thread while the parsers are still loading (the load takes the hash over; the scan finds
 * its thread ready). Changes no output; any problem with the file is reported by the parse itself.
 * Resolves to a function that stops a hash the load did not take over (a file read whole or refused).
 */
async function warmUpFor(file: string): Promise<() => void> {
  try {
    if ((await stat(file)).size < TWO_THREAD_BYTES) return () => {};
    const { startHashAside, cancelEarlyHashes } = await import('../../src/io/hash-aside.js');
    startHashAside(file);
    (await import('../../parsers/text/parallel-scan.js')).warmScanHelper();
    return cancelEarlyHashes;
  } catch {
    return () => {}; // the parse reports it
  }
}

async function companionOf(file: string): Promise<(CompanionMatch & { fields: CompanionFields }) | null> {
  const [{ readHead, readFileBytes }, { matchCompanion, readCompanion }] = await Promise.all([
    import('../../src/io/load.js'),
    import('../../parsers/companions.js'),
  ]);
  const { head } = await readHead(file);
  const m = matchCompanion(file.replace(/\\/g, '/'), head);
  return m ? { ...m, fields: readCompanion(m.rule, await readFileBytes(file, settings.maxFileBytes)) } : null;
}

interface CampaignOpts {
  out?: string;
  json?: boolean;
  force?: boolean;
  quiet?: boolean;
  workers?: string;
  queue?: string;
  prune?: boolean;
}

type RunSummary = Awaited<ReturnType<typeof runBatch>>['summary'];

/**
 * What every batch / report run prints (issue #18): the files failed now (from the store, named every
 * run, not only when read), the paths not read and why, cells without files and files no cell claims
 * (with the pattern that would claim each), and the manifest's problems until they are fixed. To stderr,
 * so `--quiet` still shows them; `--json` carries them instead.
 */
function printRunProblems(summary: RunSummary): void {
  const say = (l: string): void => console.error(l);
  if (summary.failures.length) {
    say(`failed now (${summary.failures.length}, from the store; each is retried when its bytes change):`);
    for (const f of summary.failures) say(`  ${f.message.startsWith(f.path) ? f.message : `${f.path}: ${f.message}`}`);
  }
  const notRead = summary.notRead.filter((p) => p.state !== 'source removed');
  if (notRead.length) {
    say(`not read (${notRead.length}):`);
    for (const p of notRead) say(`  ${p.path} — ${p.state}${p.detail ? `: ${p.detail}` : ''}`);
  }
  const cut = summary.incomplete ?? [];
  if (cut.length) {
    say(`incomplete (${cut.length}; parsed, but the file holds less than its header declares — fits flagged):`);
    for (const f of cut) say(`  ${f.path} — ${f.read} of ${f.declared} declared ${f.unit}`);
  }
  const removed = summary.notRead.filter((p) => p.state === 'source removed');
  if (removed.length) say(`source removed (${removed.length}; results kept, --prune drops them): ${removed.map((p) => p.path).join(', ')}`);
  const cov = summary.coverage;
  if (cov?.emptyCells.length) {
    say(`cells without files (${cov.emptyCells.length}):`);
    for (const c of cov.emptyCells) say(`  ${c.cell} — claims ${c.rule}${c.hint ? `; ${c.hint}` : ''}`);
  }
  if (cov?.unclaimed.length) {
    say(`files no cell claims (${cov.unclaimed.length}):`);
    for (const u of cov.unclaimed)
      say(`  ${u.path} — ${u.reason}; the pattern '${u.pattern}'${u.cell ? ` in cell ${u.cell}'s files` : " in a cell's files"} would claim it`);
  }
  if (summary.manifestProblems.length) {
    say(`MANIFEST PROBLEMS (${summary.manifestProblems.length}) — each entry named is left out until fixed; every valid cell is used:`);
    for (const p of summary.manifestProblems) say(`  ${p}`);
  }
}

async function batchCommand(dir: string, opts: CampaignOpts): Promise<void> {
  const chatty = !opts.quiet && !opts.json;
  const [{ progressReporter }, { runBatch }] = await Promise.all([import('../progress.js'), import('../batch.js')]);
  const progress = progressReporter(!chatty ? 'off' : process.stderr.isTTY ? 'bar' : 'lines');
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    workers = Number(opts.workers);
    if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers must be a whole number ≥ 0, not '${opts.workers}'`);
  }
  const runner = opts.queue ? await (await import('../queue.js')).queueRunner(opts.queue) : undefined;
  let summary: Awaited<ReturnType<typeof runBatch>>['summary'];
  try {
    ({ summary } = await runBatch(dir, {
      outDir: opts.out,
      force: opts.force,
      prune: opts.prune,
      settings: withWorkers(settings, workers),
      runner,
      log: (l) => {
        if (chatty) console.error(l);
      },
      onProgress: (_done, _total, _o, p) => progress(p),
    }));
  } finally {
    await runner?.close();
  }
  if (summary.files.failed > 0 || summary.problems.length > 0) fail(1);
  if (opts.json) {
    console.log(
      jsonLine({
        cells: summary.cells,
        files: summary.files,
        parameters: summary.parameters,
        hypotheses: summary.hypotheses,
        report: summary.report,
        problems: summary.problems,
        failures: summary.failures,
        manifestProblems: summary.manifestProblems,
        states: summary.states,
        notRead: summary.notRead,
        coverage: summary.coverage,
        incomplete: summary.incomplete ?? [],
      }),
    );
  } else {
    printRunSummary(summary, opts.quiet ?? false);
  }
}

function printRunSummary(summary: RunSummary, quiet: boolean): void {
  if (!quiet) {
    const f = summary.files;
    console.log(
      `${summary.cells} cells · parsed ${f.parsed}, failed ${f.failed} (unreadable), companion files ${f.sidecars}, unchanged ${f.skipped}, duplicates ${f.duplicates}, quarantined ${f.quarantined}${f.locked ? `, locked ${f.locked}` : ''}`,
    );
    const states = Object.entries(summary.states ?? {})
      .filter(([, n]) => n)
      .map(([k, n]) => `${n} ${k}`);
    console.log(`paths: ${states.join(', ') || 'none'}`);
  }
  printRunProblems(summary);
  if (!quiet) console.log(`report: ${summary.report}`);
}

program
  .command('batch')
  .description('Process a campaign folder: parse every new or changed file, fit, store, and write the report.')
  .argument('<campaign-dir>', 'folder with campaign.yaml (or .json/.xlsx) and the instrument files')
  .option('--out <dir>', 'output folder (default out/<campaign folder name>)')
  .option('--json', 'print the run summary as one JSON object')
  .option('--force', 're-parse every file even if unchanged')
  .option('--prune', 'forget files that left the folder (their results and quarantine copies); by default they are kept, marked "source removed"')
  .option('--quiet', 'print nothing but errors')
  .option('--workers <n>', 'worker threads for parsing and fitting (default: one per core; 0 = in this thread)')
  .option('--queue <redis-url>', 'hand parse/fit units to `interphase worker` processes through this Redis queue (e.g. redis://lab-server:6379)')
  .action(batchCommand);

program
  .command('worker')
  .description('Run parse/fit work units from a Redis queue for `interphase batch --queue` (the campaign folder must be visible at the same path).')
  .requiredOption('--queue <redis-url>', 'e.g. redis://lab-server:6379')
  .option('--concurrency <n>', 'units at a time', '1')
  .action(async (opts: { queue: string; concurrency: string }) => {
    const n = Number(opts.concurrency);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--concurrency must be a whole number ≥ 1, not '${opts.concurrency}'`);
    const { startQueueWorker } = await import('../../pipelines/queue.js');
    const w = startQueueWorker(opts.queue, n, settings);
    console.error(`worker: taking units from ${opts.queue} (Ctrl-C to stop)`);
    await new Promise<void>((r) => {
      process.once('SIGINT', () => r());
      process.once('SIGTERM', () => r());
    });
    await w.close();
  });

program
  .command('report')
  .description('Bring the store up to date (unchanged files are not read) and rewrite report.html/.md/.json.')
  .argument('<campaign-dir>')
  .option('--out <dir>', 'output folder (default out/<campaign folder name>)')
  .option('--prune', 'forget files that left the folder (their results and quarantine copies)')
  .action(async (dir: string, opts: CampaignOpts) => {
    const { runReport } = await import('../../pipelines/batch.js');
    let summary;
    try {
      ({ summary } = await runReport(dir, { outDir: opts.out, prune: opts.prune, settings }));
    } catch (e) {
      // A running watcher holds the store and keeps the report current itself: point at it.
      const { defaultOutDir } = await import('../context.js');
      const html = join(opts.out ? resolve(opts.out) : defaultOutDir(dir), 'report.html');
      if ((e as Error)?.name !== 'StoreInUseError' || !existsSync(html)) throw e;
      console.log(`a running watcher holds the store and keeps the report current: ${html} (written ${statSync(html).mtime.toISOString()}); nothing rebuilt`);
      return;
    }
    if (summary.failures.length > 0 || summary.manifestProblems.length > 0) fail(1);
    printRunSummary(summary, false);
  });

program
  .command('export')
  .description(
    'Write the store tables (files, records, fits, parameters, verdicts) as Parquet or CSV, or every cycler record as Battery Data Format CSV with its metadata JSON (bdf).',
  )
  .argument('<campaign-dir>')
  .option('--format <fmt>', 'parquet, csv or bdf', 'parquet')
  .option('--out <dir>', 'output folder of the campaign (default out/<campaign folder name>)')
  .action(async (dir: string, opts: { format: string; out?: string }) => {
    if (opts.format !== 'parquet' && opts.format !== 'csv' && opts.format !== 'bdf')
      throw new UsageError(`--format must be parquet, csv or bdf, not '${opts.format}'`);
    const { openCampaign } = await import('../../pipelines/campaign.js');
    const { ctx } = await openCampaign(dir, { outDir: opts.out, settings, readSnapshotIfInUse: true });
    if (ctx.snapshotAt) console.error(`interphase: a running watcher holds the store; exporting its snapshot of ${ctx.snapshotAt.toISOString()}`);
    try {
      if (opts.format === 'bdf') {
        // export/bdf/<cell>__<file>.bdf.csv + .metadata.json per cycler record (pipelines/export-bdf.ts)
        const { exportBdf } = await import('../export-bdf.js');
        const r = await exportBdf(ctx, join(ctx.outDir, 'export', 'bdf'));
        for (const w of r.written) console.log(`${w.csv}\n${w.metadata}`);
        for (const s of r.skipped) console.error(`${s.path}: not exported: ${s.reason}`);
        if (r.skipped.length) fail(1);
        return;
      }
      const paths = await ctx.store.exportTables(join(ctx.outDir, 'export'), opts.format);
      for (const p of paths) console.log(p);
    } finally {
      ctx.store.close();
    }
  });

program
  .command('watch')
  .description('Watch an instrument export folder: process files as they settle, refresh the report.')
  .argument('<folder>', 'folder the instruments write into')
  .option('--campaign <dir>', 'folder holding campaign.yaml, if not the watched folder')
  .option('--out <dir>', 'output folder (default out/<folder name>)')
  .option('--settle <ms>', 'a file must keep its size and mtime this long before it is read', '1000')
  .option('--debounce <ms>', 'quiet time after the last processed file before the report is rebuilt', '300')
  .option('--workers <n>', 'worker threads for the start-up catch-up (default: one per core; 0 = in this thread)')
  .option('--prune', 'forget files that leave the folder (results and quarantine copies) instead of keeping them as "source removed"')
  .option(
    '--serve <[host:]port>',
    'also serve a live page (file feed, cell cards, plots, hypotheses) at http://127.0.0.1:<port>/; another host binds that interface (visible to the network)',
  )
  .action(
    async (folder: string, opts: { campaign?: string; out?: string; settle: string; debounce: string; workers?: string; serve?: string; prune?: boolean }) => {
      const ms = (v: string, name: string): number => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of milliseconds ≥ 0, not '${v}'`);
        return n;
      };
      const workers = opts.workers === undefined ? undefined : ms(opts.workers, '--workers');
      const watchOpts = {
        manifestDir: opts.campaign,
        outDir: opts.out,
        prune: opts.prune,
        settleMs: ms(opts.settle, '--settle'),
        debounceMs: ms(opts.debounce, '--debounce'),
        settings: withWorkers(settings, workers),
        log: (l: string) => console.error(l),
        onReport: (p: string) => console.error(`report refreshed: ${p}`),
      };
      let h: { ready: Promise<void>; close(): Promise<void> };
      if (opts.serve !== undefined) {
        // The live page (issue #21): its server loads only when asked for.
        const { parseServeAddress, startServedWatch } = await import('../serve.js');
        const served = await startServedWatch(folder, watchOpts, parseServeAddress(opts.serve));
        console.error(`live page: ${served.server.url}`);
        h = { ready: served.watch.ready, close: () => served.close() };
      } else {
        const { startWatch } = await import('../watch.js');
        h = startWatch(folder, watchOpts);
      }
      await h.ready;
      console.error(`watching ${resolve(folder)} (Ctrl-C to stop)`);
      await new Promise<void>((r) => {
        process.once('SIGINT', () => r());
        process.once('SIGTERM', () => r());
      });
      await h.close();
    },
  );

program
  .command('demo')
  .description('Build a demo campaign from fixtures/ (two or more groups of cells) and run batch on it.')
  .option('--out <dir>', 'output folder', 'out/demo')
  .option('--json', 'print the run summary as one JSON object')
  .action(async (opts: { out: string; json?: boolean }) => {
    const out = resolve(opts.out);
    const { buildDemoCampaign } = await import('../../fixtures/virtual-lab/demo.js');
    const campaign = await buildDemoCampaign(join(out, 'campaign'));
    if (!opts.json) console.error(`demo campaign written to ${campaign}`);
    await batchCommand(campaign, { out, json: opts.json });
  });

program
  .command('fit')
  .description("Fit one file with its kind's fitter: parameters with unit, stderr, 95 % CI and fit quality (χ², KK residual, converged, identifiable).")
  .argument('<file>', 'instrument file')
  .option('--json', 'print one JSON object {ok, file, format, kind, fits: [{scope, fitter, model, parameters, quality, messages}]}')
  .option('--csv', 'print parameters (and quality:* rows) as CSV')
  .option('--plot <svg>', 'draw the fit over the data into this SVG file')
  .option('--format <id>', 'force a format id instead of detecting it')
  .option('--circuit <string>', "impedance: equivalent circuit, e.g. 'R0-p(R1,CPE1)-Wo1' (default R0-p(R1,CPE1)-p(R2,CPE2))")
  .option('--weighting <w>', 'impedance: modulus | unit | proportional (default modulus)')
  .option('--fmin <Hz>', 'impedance: drop points below this frequency')
  .option('--fmax <Hz>', 'impedance: drop points above this frequency')
  .option('--initial <list>', 'impedance: starting values, e.g. R1=20,CPE1_0=1e-5 (names or impedance.py positions)')
  .option('--fix <list>', 'impedance: parameters held fixed, e.g. R0=2.1')
  .option('--sweep <n>', 'impedance: fit only sweep n (from 1) of a file holding several')
  .option('--region <core level>', "XPS: report and plot only this region, e.g. 'F 1s'")
  .option('--ce-cycles <first-last>', 'cycling: mean CE over these cycles, e.g. 10-50')
  .option('--thickness-nm <nm>', 'P–E: film thickness (field from voltage), overrides the file')
  .option('--area-cm2 <cm2>', 'P–E: electrode area (leakage density); cycling: electrode area (areal capacity)')
  .action(async (file: string, opts: Record<string, string | boolean | undefined>) =>
    fail(await (await import('./fit-command.js')).fitCommand(file, opts, settings)),
  );

/** The settings with a `--workers` flag, when given, in place of INTERPHASE_WORKERS. */
function withWorkers(s: RuntimeSettings, workers: number | undefined): RuntimeSettings {
  return workers === undefined ? s : { ...s, workers };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function main(): Promise<void> {
  settings = settingsFromEnv(process.env);
  // The second scanning thread is process-wide (parsers/text/parallel-scan.ts): on unless the settings
  // say otherwise, and its module is only loaded here to turn it off (the start-up path stays small).
  if (!settings.parallelScan) (await import('../../parsers/text/parallel-scan.js')).setParallelScan(false);
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UsageError) {
      console.error(`interphase: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    if (e instanceof ManifestError) {
      console.error(e.message);
      process.exitCode = 2;
      return;
    }
    // The store held by a running watcher is an expected state, said in one line (matched by name: the
    // store module loads lazily, only in the commands that need it).
    if ((e as Error)?.name === 'StoreInUseError') {
      console.error(`interphase: ${(e as Error).message}`);
      process.exitCode = 1;
      return;
    }
    console.error(`interphase: ${(e as Error)?.stack ?? String(e)}`);
    process.exitCode = 1;
    return;
  }
  process.exitCode = exitCode;
}

await main();
