/**
 * A small glob matcher for UrlReader search: `**` (any number of folders),
 * `*` and `?` (within one path segment) and `{a,b}` alternatives. Dot files
 * match like any other file.
 */

const GLOB_CHARS = /[*?{]/;

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
  const index = segments.findIndex(s => hasGlob(s));
  if (index < 0) return { prefix: segments.join('/'), rest: '' };
  return {
    prefix: segments.slice(0, index).join('/'),
    rest: segments.slice(index).join('/'),
  };
}

/** Compiles a glob (matched against '/'-separated relative paths). */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/');
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      source += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    source += segmentToRegExp(segment) + (last ? '' : '/');
  });
  return new RegExp(`^${source}$`);
}

function segmentToRegExp(segment: string): string {
  // Only a closed {a,b} group is an alternative; a lone brace is literal.
  const braces = /\{[^{}]*\}/.test(segment);
  let out = '';
  let inBraces = false;
  for (const ch of segment) {
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (braces && ch === '{' && !inBraces) {
      inBraces = true;
      out += '(?:';
    } else if (braces && ch === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (ch === ',' && inBraces) out += '|';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
