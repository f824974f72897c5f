/** Fuzz seeds for the Raman/FTIR readers: the hand-made files of tests/fixtures/vibrational, one per layout. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../../parsers/index.js';
import type { Seed } from './harness.js';

const FILES: readonly (readonly [string, string])[] = [
  ['affn.jdx', 'jcamp-dx'],
  ['difdup.jdx', 'jcamp-dx'],
  ['xypoints.jdx', 'jcamp-dx'],
  ['wire-single.txt', 'renishaw-wire-txt'],
  ['wire-map.txt', 'renishaw-wire-txt'],
  ['labspec.txt', 'horiba-labspec-txt'],
  ['opus.dpt', 'opus-dpt'],
  ['generic-raman.txt', 'vibrational-two-column'],
];

export function vibrationalSeeds(): Seed[] {
  // works from tests/fuzz and dist/tests/fuzz: the fixtures are read from the source tree
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !existsSync(join(d, 'tests/fixtures/vibrational')); i++) d = dirname(d);
  const dir = join(d, 'tests/fixtures/vibrational');
  if (!existsSync(dir)) return [];
  return FILES.map(([file, id]) => ({
    id: `synthetic:vibrational/${file}`,
    name: file,
    bytes: new Uint8Array(readFileSync(join(dir, file))),
    format: FORMATS.find((f) => f.id === id) ?? null,
  }));
}
