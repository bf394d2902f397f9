/**
 * The glob matcher of the githost UrlReader's `search`: the same results as
 * Backstage's GitHub reader (which uses `minimatch` with its defaults) for
 * ordinary patterns, in time bounded for any pattern.
 *
 * minimatch, like any glob-to-RegExp translation, hands the pattern to a
 * backtracking regular expression engine: `*a*a*a*a*a*a*a*a*a*ac` against a
 * long file name took 21 s there (8.8 s through the old matcher here), on the
 * event loop. This matcher never builds a RegExp: a path segment is matched
 * by the two-pointer wildcard algorithm (O(pattern × name), no backtracking
 * blow-up), and `**` over path segments by a table over (pattern segment,
 * path segment) pairs. The pattern's length, its brace alternatives and its
 * segments are bounded before anything runs.
 *
 * Supported, as minimatch reads them: `*` and `?` (within one segment), `**`
 * as a whole segment (any number of folders), `[abc]`, `[a-z]`, `[!a]`/`[^a]`,
 * `{a,b}` alternatives (nested too), `\` escapes. As in minimatch, `*`, `?`,
 * `[...]` and `**` do not match a name starting with `.` unless the pattern
 * spells the dot. Negation (`!x`) and extglobs (`+(a|b)`) are refused.
 */

/** Limits checked before a pattern is compiled. */
export const GLOB_LIMITS = {
  /** Characters in a pattern. */
  maxPatternLength: 1024,
  /** Patterns a `{a,b}` expansion may produce. */
  maxAlternatives: 64,
  /** Path segments in a pattern. */
  maxSegments: 64,
} as const;

/** A compiled glob, or the reason it was refused. */
export type GlobCompileResult =
  | { ok: true; match: (path: string) => boolean }
  | { ok: false; reason: string };

const GLOB_CHARS = /[*?[{]/;

/** True when the pattern has glob syntax (otherwise it is an exact path). */
export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Splits a pattern into the folder before the first glob segment and the rest. */
export function splitStaticPrefix(pattern: string): {
  prefix: string;
  rest: string;
} {
  const segments = pattern.split('/');
  const index = segments.findIndex(s => hasGlob(s) || s.includes('\\'));
  if (index < 0) return { prefix: segments.join('/'), rest: '' };
  return {
    prefix: segments.slice(0, index).join('/'),
    rest: segments.slice(index).join('/'),
  };
}

type CharToken =
  | { kind: 'char'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: Array<[string, string]> };

type SegmentPattern =
  | { kind: 'globstar' }
  | { kind: 'segment'; tokens: CharToken[] };

/**
 * Compiles a glob matched against '/'-separated paths relative to the
 * searched folder. Never throws; a refused pattern says why.
 */
export function compileGlob(pattern: string): GlobCompileResult {
  if (pattern.length > GLOB_LIMITS.maxPatternLength) {
    return {
      ok: false,
      reason: `Glob pattern is ${pattern.length} characters long, more than the ${GLOB_LIMITS.maxPatternLength} allowed`,
    };
  }
  if (pattern.startsWith('!')) {
    return {
      ok: false,
      reason: 'Negated glob patterns (!...) are not supported',
    };
  }
  if (/[@+!?*]\(/.test(pattern)) {
    return {
      ok: false,
      reason:
        'Extended glob patterns (@(...), +(...), !(...), ?(...), *(...)) are not supported',
    };
  }
  const alternatives = expandBraces(pattern);
  if (!alternatives) {
    return {
      ok: false,
      reason: `Glob pattern expands to more than ${GLOB_LIMITS.maxAlternatives} alternatives`,
    };
  }
  const compiled: SegmentPattern[][] = [];
  for (const alternative of alternatives) {
    const segments = alternative.split('/');
    if (segments.length > GLOB_LIMITS.maxSegments) {
      return {
        ok: false,
        reason: `Glob pattern has more than ${GLOB_LIMITS.maxSegments} path segments`,
      };
    }
    compiled.push(
      segments.map(s =>
        s === '**'
          ? { kind: 'globstar' }
          : { kind: 'segment', tokens: tokenize(s) },
      ),
    );
  }
  return {
    ok: true,
    match: path => {
      const names = path.split('/');
      return compiled.some(segments => matchSegments(segments, names));
    },
  };
}

/**
 * `{a,b}` expansion (nested, escapes respected), as minimatch's
 * brace-expansion does it for ordinary patterns; a group without a comma is
 * literal. Undefined when it would produce more than the allowed number.
 */
function expandBraces(pattern: string): string[] | undefined {
  const group = findBraceGroup(pattern);
  if (!group) return [pattern];
  const { start, end, commas } = group;
  const head = pattern.slice(0, start);
  const tail = pattern.slice(end + 1);
  const bounds = [start, ...commas, end];
  const results: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const option = pattern.slice(bounds[i] + 1, bounds[i + 1]);
    const expanded = expandBraces(`${head}${option}${tail}`);
    if (!expanded) return undefined;
    results.push(...expanded);
    if (results.length > GLOB_LIMITS.maxAlternatives) return undefined;
  }
  return results;
}

/** The first `{...}` holding a top-level comma, with the commas' positions. */
function findBraceGroup(
  pattern: string,
): { start: number; end: number; commas: number[] } | undefined {
  for (let start = 0; start < pattern.length; start++) {
    if (pattern[start] === '\\') {
      start++;
      continue;
    }
    if (pattern[start] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '\\') {
        i++;
      } else if (ch === '{') {
        depth++;
      } else if (ch === '}') {
        depth--;
        if (depth === 0) {
          if (commas.length) return { start, end: i, commas };
          break;
        }
      } else if (ch === ',' && depth === 1) {
        commas.push(i);
      }
    }
  }
  return undefined;
}

function tokenize(segment: string): CharToken[] {
  const tokens: CharToken[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '\\' && i + 1 < segment.length) {
      tokens.push({ kind: 'char', char: segment[++i] });
    } else if (ch === '*') {
      // Consecutive stars inside a segment are one star.
      if (tokens[tokens.length - 1]?.kind !== 'star')
        tokens.push({ kind: 'star' });
    } else if (ch === '?') {
      tokens.push({ kind: 'any' });
    } else if (ch === '[') {
      const parsed = parseClass(segment, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ kind: 'char', char: ch });
      }
    } else {
      tokens.push({ kind: 'char', char: ch });
    }
  }
  return tokens;
}

/** `[...]` starting at `start`, or undefined when it is not closed (then '[' is literal). */
function parseClass(
  segment: string,
  start: number,
): { token: CharToken; end: number } | undefined {
  let i = start + 1;
  const negated = segment[i] === '!' || segment[i] === '^';
  if (negated) i++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < segment.length; i++) {
    let ch = segment[i];
    if (ch === ']' && !first) {
      return { token: { kind: 'class', negated, ranges }, end: i };
    }
    first = false;
    if (ch === '\\' && i + 1 < segment.length) ch = segment[++i];
    if (
      segment[i + 1] === '-' &&
      i + 2 < segment.length &&
      segment[i + 2] !== ']'
    ) {
      let to = segment[i + 2];
      i += 2;
      if (to === '\\' && i + 1 < segment.length) to = segment[++i];
      ranges.push([ch, to]);
    } else {
      ranges.push([ch, ch]);
    }
  }
  return undefined;
}

function matchesChar(token: CharToken, ch: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === ch;
    case 'any':
      return true;
    case 'class': {
      const inside = token.ranges.some(([from, to]) => ch >= from && ch <= to);
      return inside !== token.negated;
    }
    default:
      return false;
  }
}

/**
 * One path segment against one pattern segment: the two-pointer wildcard
 * algorithm. On a mismatch only the last star is moved on by one character,
 * so the work is at most O(tokens × characters) whatever the pattern.
 */
function matchSegment(tokens: CharToken[], name: string): boolean {
  // As minimatch: a leading dot is matched only by a literal dot.
  if (
    name.startsWith('.') &&
    !(tokens[0]?.kind === 'char' && tokens[0].char === '.')
  ) {
    return false;
  }
  let t = 0;
  let n = 0;
  let starToken = -1;
  let starName = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token && token.kind !== 'star' && matchesChar(token, name[n])) {
      t++;
      n++;
    } else if (token?.kind === 'star') {
      starToken = t++;
      starName = n;
    } else if (starToken >= 0) {
      t = starToken + 1;
      n = ++starName;
    } else {
      return false;
    }
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/**
 * Pattern segments against path segments, `**` matching any number of
 * folders (none starting with a dot): a table over (pattern segment, path
 * segment), filled from the end, so every pair is matched at most once.
 */
function matchSegments(pattern: SegmentPattern[], names: string[]): boolean {
  const width = names.length + 1;
  // matches[i * width + j]: pattern[i..] matches names[j..].
  const matches = new Uint8Array((pattern.length + 1) * width);
  matches[pattern.length * width + names.length] = 1;
  for (let i = pattern.length - 1; i >= 0; i--) {
    const segment = pattern[i];
    for (let j = names.length; j >= 0; j--) {
      let result: boolean;
      if (segment.kind === 'globstar') {
        // A trailing `**` matches at least one name, as in minimatch
        // (`a/**` does not match `a`); elsewhere it may match none.
        const last = i === pattern.length - 1;
        result =
          (!last && matches[(i + 1) * width + j] === 1) ||
          (j < names.length &&
            !names[j].startsWith('.') &&
            (matches[i * width + j + 1] === 1 ||
              matches[(i + 1) * width + j + 1] === 1));
      } else {
        result =
          j < names.length &&
          matches[(i + 1) * width + j + 1] === 1 &&
          matchSegment(segment.tokens, names[j]);
      }
      matches[i * width + j] = result ? 1 : 0;
    }
  }
  return matches[0] === 1;
}
