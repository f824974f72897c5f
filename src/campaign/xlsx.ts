/**
 * Spreadsheet manifests are read with the same sandboxed workbook reader as instrument workbooks
 * (worker thread, size/time/memory limits), because a manifest is a file from outside too.
 */
import { readFile } from 'node:fs/promises';
import { readWorkbook } from '../../parsers/cycler/spreadsheet/workbook.js';

export async function readManifestSheets(path: string): Promise<Record<string, unknown[][]>> {
  const wb = await readWorkbook(path, new Uint8Array(await readFile(path)));
  return Object.fromEntries(wb.sheets.map((s) => [s.name, s.rows as unknown[][]]));
}
