/**
 * The peer of `interphase parse` in the startup bench, as a whole process: a plain Node script that
 * reads a CSV with `@duckdb/node-api` `read_csv` into a table (materialised) and prints the row count.
 * Usage: node dist/bench/duckdb-read-csv.js <file.csv>. Arbin dates are US month-first (see cycler.ts).
 */
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: duckdb-read-csv <file.csv>\n');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path.replace(/'/g, "''")}', header=true, timestampformat='%m/%d/%Y %H:%M:%S')`);
const r = await con.runAndReadAll('SELECT count(*) FROM t');
process.stdout.write(`${Number(r.getRows()[0]![0])}\n`);
con.closeSync();
db.closeSync();
