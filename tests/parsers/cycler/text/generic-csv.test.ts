import { describe, expect, it } from 'vitest';
import { genericCsv } from '../../../../parsers/cycler/generic-csv.js';
import { col, expectParseError, parseText } from './helpers.js';

const MAP = { columns: { time: { column: 't', unit: 'min' }, voltage: { column: 'E', unit: 'V' }, current: { column: 'I', unit: 'mA', scale: -1 } } };

describe('generic-csv with a manifest mapping', () => {
  it('reads a TSV after a preamble, converts min and mA, applies the sign scale, keeps other columns', async () => {
    const r = await parseText(genericCsv, 'my rig v2\r\nt\tE\tI\tT\r\n0\t3,5\t100\t25\r\n1,5\t3,6\t-100\t26\r\n\r\n', MAP);
    expect(col(r, 'Test Time').v).toEqual([0, 90]);
    expect(col(r, 'Voltage').v).toEqual([3.5, 3.6]);
    expect(col(r, 'Current').v).toEqual([-0.1, 0.1]);
    expect(col(r, 'T').v).toEqual([25, 26]);
  });
  it('refuses a missing mapping with code invalid naming the file', async () => {
    const e = await expectParseError(parseText(genericCsv, 't,E,I\n0,1,2\n'), 'invalid', 1);
    expect(e.message).toContain('columns');
  });
  it('refuses an unknown quantity and an unconvertible unit', async () => {
    await expectParseError(parseText(genericCsv, 't,E,I\n0,1,2\n', { columns: { ...MAP.columns, flux: { column: 'E' } } }), 'invalid', 1);
    await expectParseError(parseText(genericCsv, 't,E,I\n0,1,2\n', { columns: { ...MAP.columns, voltage: { column: 'E', unit: 'Ah' } } }), 'invalid', 1);
  });
  it('missing-column when no line names the mapped columns', async () => {
    await expectParseError(parseText(genericCsv, 'a,b,c\n0,1,2\n', MAP), 'missing-column', 1);
  });
  it('no-data for a 0-row export', async () => {
    await expectParseError(parseText(genericCsv, 't,E,I\n', MAP), 'no-data', 2);
  });
});
