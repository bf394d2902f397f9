/**
 * The one ordering of every sorted output and problem list of the suite.
 */

/**
 * Compares two strings by Unicode code point. Unlike `localeCompare`, whose
 * order depends on the machine's ICU data, it gives the same order on every
 * machine, so generated files are byte-identical wherever they are made.
 * Unlike `<` on strings (UTF-16 code units), characters above U+FFFF sort
 * after every character of the Basic Multilingual Plane.
 *
 * @public
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * Surrogates (U+D800 to U+DFFF) encode code points above U+FFFF: moving them
 * above U+E000 to U+FFFF makes code-unit order code-point order.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * A sorted copy of `values`, by a string key, in {@link compareStrings}
 * order. Sorting is stable: equal keys keep their order.
 *
 * @public
 */
export function sortedBy<T>(
  values: Iterable<T>,
  key: (value: T) => string,
): T[] {
  return [...values].sort((a, b) => compareStrings(key(a), key(b)));
}

/**
 * A sorted copy of strings, in {@link compareStrings} order.
 *
 * @public
 */
export function sortedStrings(values: Iterable<string>): string[] {
  return [...values].sort(compareStrings);
}
