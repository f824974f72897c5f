/**
 * Minimal glob matching for manifest file patterns (Node 20 has no fs.glob): `*` (within a path
 * segment), `**` (any depth), `?`, `{a,b}` and character classes `[...]`. Paths use `/`.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  let i = 0;
  let inBrace = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches anything.
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      re += '(?:';
      inBrace++;
    } else if (c === '}' && inBrace) {
      re += ')';
      inBrace--;
    } else if (c === ',' && inBrace) re += '|';
    else if (c === '[') {
      const j = glob.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        re +=
          '[' +
          glob
            .slice(i + 1, j)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = j;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
    i++;
  }
  return new RegExp(re + '$', 'i');
}

/** A glob escapes the campaign folder if it is absolute or climbs with `..`. */
export function globEscapes(glob: string): boolean {
  return glob.startsWith('/') || /^[A-Za-z]:[\\/]/.test(glob) || glob.split(/[\\/]/).includes('..');
}

/**
 * Default rule: a file belongs to a cell if the cell id appears in its base name as a whole token
 * (bounded by start/end or a non-alphanumeric character), so cell `A1` does not claim `A10.csv`.
 */
export function nameContainsId(baseName: string, id: string): boolean {
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9])${esc}($|[^A-Za-z0-9])`, 'i').test(baseName);
}
