/**
 * Dangerous files: spreadsheets are read in a worker thread with size, time and memory limits
 * (parsers/cycler/spreadsheet/workbook.ts); SPECS XML is parsed with entity expansion off and a size cap.
 */
import { describe, expect, it } from 'vitest';
import { zipSync, unzipSync, strToU8 } from 'fflate';
import * as XLSX from 'xlsx';
import { readWorkbook } from '../../parsers/cycler/spreadsheet/workbook.js';
import { FORMATS } from '../../parsers/index.js';
import { ParseError } from '../../src/records/errors.js';
import { parseSpecsXml } from '../../parsers/xps/specs-xml.js';

function smallXlsx(): Uint8Array {
  const ws = XLSX.utils.aoa_to_sheet([
    ['Test_Time(s)', 'Voltage(V)', 'Current(A)'],
    [0, 3.5, 0.001],
    [1, 3.6, 0.001],
  ]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Channel_1_1');
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

async function parseErr(p: Promise<unknown>): Promise<ParseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

/** Patch the declared uncompressed size of every central-directory entry. */
function patchDeclaredSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  for (let o = 0; o + 46 <= out.length; o++) {
    if (v.getUint32(o, true) === 0x02014b50) v.setUint32(o + 24, size, true);
  }
  return out;
}

describe('spreadsheets: worker thread with limits', () => {
  it('a normal small workbook reads (the sandbox works)', async () => {
    const wb = await readWorkbook('ok.xlsx', smallXlsx());
    expect(wb.sheets[0]!.rows[1]).toEqual([0, 3.5, 0.001]);
  });

  it('zip bomb: a member inflating to 64 MB of zeros is refused from the central directory, before inflating', async () => {
    const files = unzipSync(smallXlsx());
    files['xl/media/bomb.bin'] = new Uint8Array(64 * 1024 * 1024); // ~64 KB deflated, ratio ~1000
    const bomb = zipSync(files, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const t0 = performance.now();
    const e = await parseErr(readWorkbook('bomb.xlsx', bomb, { maxUnzippedBytes: 32 * 1024 * 1024 }));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/bomb\.bin|too many bytes/);
    expect(performance.now() - t0).toBeLessThan(500); // no worker, no inflation
  });

  it('crafted xlsx with huge declared sizes (4 GB per member, ratio > 1100) is ParseError too-large with default limits', async () => {
    const crafted = patchDeclaredSizes(smallXlsx(), 0xfffffff0);
    const e = await parseErr(readWorkbook('huge.xlsx', crafted));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/possible zip bomb|too many bytes/);
    // the same through the format (what the pipeline calls)
    const f = FORMATS.find((x) => x.id === 'cycler-spreadsheet')!;
    await parseErr(Promise.resolve().then(() => f.parse({ path: 'huge.xlsx', bytes: crafted })));
  });

  it('timeout: a read that outlives timeoutMs is stopped and reported as ParseError timeout', async () => {
    const e = await parseErr(readWorkbook('slow.xlsx', smallXlsx(), { timeoutMs: 1 }));
    expect(e.code).toBe('timeout');
  });

  it('memory: the worker heap cap turns an out-of-memory read into a ParseError, not a crash of the process', async () => {
    // 200k cells of text: far beyond a 4 MB old-generation cap for the worker.
    const rows = Array.from({ length: 40_000 }, (_, i) => [i, `row ${i} ${'x'.repeat(40)}`, i * 0.5, 'CC_Chg', i % 7]);
    const ws = XLSX.utils.aoa_to_sheet(rows);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'S');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const e = await parseErr(readWorkbook('big.xlsx', bytes, { maxHeapMb: 4 }));
    expect(['too-large', 'invalid']).toContain(e.code);
  });

  it('files that are neither zip nor OLE2, and files over maxBytes, never reach the worker', async () => {
    expect((await parseErr(readWorkbook('x.xlsx', strToU8('not a workbook')))).code).toBe('bad-magic');
    expect((await parseErr(readWorkbook('x.xlsx', smallXlsx(), { maxBytes: 100 }))).code).toBe('too-large');
  });
});

describe('XML: entity expansion off, size capped (SPECS XML reader)', () => {
  const laughs = (refs: string): string => {
    const ents = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    return `<?xml version="1.0"?>\n<!-- CORBA XML document created by XMLSerializer2 1.6 -->\n<!DOCTYPE any [\n${ents.join('\n')}\n]>\n<any version="1.6"><sequence type_name="RegionGroupSeq" type_id="IDL:specs.de/Serializer/RegionGroupSeq:1.0" length="1"><struct type_name="RegionGroup"><string name="name">${refs}</string></struct></sequence></any>\n`;
  };

  it('billion laughs: 10^9 "lol"s are never expanded; the reader answers fast with a bounded result', () => {
    const bytes = strToU8(laughs('&lol9;'));
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    let out: unknown;
    try {
      out = parseSpecsXml({ path: 'laughs.xml', bytes });
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      out = e;
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(200 * 1024 * 1024);
    // whatever came back, nothing in it is an expanded entity
    expect(JSON.stringify(out, (_k, v) => (ArrayBuffer.isView(v) ? undefined : v)).length).toBeLessThan(100_000);
  });

  it('quadratic blow-up (one big entity referenced many times) is not expanded either', () => {
    const big = 'x'.repeat(50_000);
    const xml = `<?xml version="1.0"?>\n<!-- CORBA XML document created by XMLSerializer2 1.6 -->\n<!DOCTYPE any [<!ENTITY a "${big}">]>\n<any><struct type_name="RegionGroup"><string name="name">${'&a;'.repeat(20_000)}</string></struct></any>\n`;
    const t0 = performance.now();
    let out: unknown;
    try {
      out = parseSpecsXml({ path: 'quad.xml', bytes: strToU8(xml) });
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      out = e;
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(JSON.stringify(out, (_k, v) => (ArrayBuffer.isView(v) ? undefined : v)).length).toBeLessThan(200_000);
  });

  it('input over the size limit is refused before parsing', async () => {
    const { SPECS_XML_MAX_BYTES } = await import('../../parsers/xps/specs-xml.js');
    const fake = { length: SPECS_XML_MAX_BYTES + 1 } as unknown as Uint8Array;
    expect(() => parseSpecsXml({ path: 'big.xml', bytes: fake })).toThrow(/larger than the parser limit/);
  });
});
