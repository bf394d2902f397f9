import { dump } from 'js-yaml';
import { compareStrings } from './order';

/**
 * A generated file, its path relative to the output folder (POSIX
 * separators). Every generator's serialisation (`pipelineFiles`,
 * `deploymentFiles`, `monitoringFiles`) returns a list of these, and every
 * caller (the CLI, the scaffolder actions, the backends) writes or shows
 * them unchanged, so no two callers can serialise the same output in two
 * ways.
 *
 * @public
 */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Serialises generated data as YAML, the one emitter of the suite's output.
 *
 * It is js-yaml's `dump`, about ten times faster than the `yaml` package's
 * `stringify` (which the suite keeps for reading, where it gives positions):
 * block style, keys in the order the generator built them, no anchors or
 * aliases (a value used twice is written twice), no folding of long lines
 * (PromQL and shell commands stay on one line). Strings that would read
 * back as another type (`"true"`, `"1.0"`, `"0o17"`) are quoted, so the
 * output round-trips through YAML 1.2 parsers such as `yaml` and
 * Kubernetes'. `undefined` values are left out, as in JSON.
 *
 * @public
 */
export function toYaml(value: unknown): string {
  return dump(value, {
    noRefs: true,
    lineWidth: -1,
    skipInvalid: true,
    quotingType: '"',
  });
}

/**
 * Several documents in one YAML stream, each preceded by `---`.
 *
 * @public
 */
export function toYamlStream(values: ReadonlyArray<unknown>): string {
  return values.map(v => `---\n${toYaml(v)}`).join('');
}

/**
 * Files in path order ({@link compareStrings}), the order every file list
 * of the suite is returned and written in.
 *
 * @public
 */
export function sortFiles<T extends GeneratedFile>(files: Iterable<T>): T[] {
  return [...files].sort((a, b) => compareStrings(a.path, b.path));
}

/**
 * The files as one text for a terminal: each preceded by a `# path`
 * comment line, YAML documents separated by `---`. What the CLI prints when
 * it is not asked to write the files.
 *
 * @public
 */
export function filesToText(files: ReadonlyArray<GeneratedFile>): string {
  return files
    .map(
      f => `# ${f.path}\n${f.content}${f.content.endsWith('\n') ? '' : '\n'}`,
    )
    .join('---\n');
}
