import { compareStrings } from './order';

/**
 * One thing wrong with a descriptor file, located precisely enough for a
 * person to jump to it: `file:line:column`, plus the data path inside the
 * document (`components[0].tugboat.backends`).
 *
 * @public
 */
export interface DescriptorProblem {
  /** The file as the caller named it, usually relative to the repository root. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Data path inside the document, empty for the document itself. */
  path: string;
  /** What is wrong, in words a service developer understands. */
  message: string;
}

/** A path into parsed YAML data: map keys and sequence indices. @public */
export type DataPath = ReadonlyArray<string | number>;

/**
 * Formats a data path the way a developer would write it in code:
 * `components[0].tugboat.backends`.
 *
 * @public
 */
export function formatDataPath(path: DataPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
      out += out ? `.${segment}` : segment;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out;
}

/**
 * Formats a problem as one line, `file:line:column: message (at path)`, the
 * shape editors and terminals turn into links.
 *
 * @public
 */
export function formatProblem(problem: DescriptorProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const at = problem.path ? ` (at ${problem.path})` : '';
  return `${where}: ${problem.message}${at}`;
}

/**
 * Orders problems by file, then position, so reports are stable.
 *
 * @public
 */
export function sortProblems(
  problems: ReadonlyArray<DescriptorProblem>,
): DescriptorProblem[] {
  return [...problems].sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareStrings(a.message, b.message),
  );
}
