import type { ParsedYamlDocument } from './parseYaml';
import { DataPath, DescriptorProblem, formatDataPath } from './problems';

/**
 * The one result shape of every parser and generator of the suite: a value,
 * or every problem that stopped it, each with file, line, column and path.
 * Bad input is data: no parser or generator throws on it.
 *
 * @public
 */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: DescriptorProblem[] };

/**
 * A validated descriptor: its typed value, the file it was read from and,
 * when it was parsed from YAML, the document, so that a generator can point
 * at the line that caused a problem. Positions travel with the value, never
 * in module state. Hand-built values (tests, benchmarks) leave `document`
 * out; their problems are then reported at the top of `file`.
 *
 * @public
 */
export interface Descriptor<T> {
  readonly value: T;
  readonly file: string;
  readonly document?: ParsedYamlDocument;
}

/**
 * A problem about a whole file, or about data that has no position (a
 * hand-built value, a render option): reported at its line 1, column 1.
 *
 * @public
 */
export function fileProblem(
  file: string,
  message: string,
  path: DataPath = [],
): DescriptorProblem {
  return { file, line: 1, column: 1, path: formatDataPath(path), message };
}

/**
 * A problem at a data path of a descriptor: at its YAML position when it was
 * parsed, at the top of its file otherwise.
 *
 * @public
 */
export function problemIn(
  descriptor: Omit<Descriptor<unknown>, 'value'>,
  path: DataPath,
  message: string,
  options?: { at?: 'key' | 'value' },
): DescriptorProblem {
  return descriptor.document
    ? descriptor.document.problemAt(path, message, options)
    : fileProblem(descriptor.file, message, path);
}

/**
 * The problems of several results, or their values when none failed.
 *
 * @public
 */
export function problemsOf(
  ...results: ReadonlyArray<Result<unknown>>
): DescriptorProblem[] {
  return results.flatMap(r => (r.ok ? [] : r.problems));
}
