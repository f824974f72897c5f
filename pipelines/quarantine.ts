/**
 * Quarantine: a copy of a file Interphase could not read, with the reason beside it. The original is
 * never moved or deleted (it is the scientist's record); the store marks the file failed so it is not
 * retried until its bytes change.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { writeAtomic } from '../src/io/atomic.js';
import { dirname, join } from 'node:path';

export async function quarantine(folder: string, rel: string, quarantineDir: string, reason: string): Promise<string> {
  const dest = join(quarantineDir, rel);
  await mkdir(dirname(dest), { recursive: true });
  await copyFile(join(folder, rel), dest);
  await writeAtomic(`${dest}.reason.txt`, `${reason}\n\nsource: ${join(folder, rel)}\nquarantined: ${new Date().toISOString()}\n`);
  return dest;
}
