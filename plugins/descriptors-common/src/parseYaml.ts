import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  Pair,
  parseAllDocuments,
  visit,
  YAMLMap,
} from 'yaml';
import { DataPath, DescriptorProblem, formatDataPath } from './problems';

/**
 * Limits that keep a hostile file from exhausting the process. Every one has
 * a default sized for hand-written descriptors.
 *
 * @public
 */
export interface YamlLimits {
  /**
   * Largest accepted file, in bytes (UTF-8).
   * The yaml package reads about 1 MB/s, so this also bounds the time a
   * hostile file can cost (a 64 KiB file is refused or read in well under
   * 100 ms). Hand-written descriptors are a few KiB.
   * @defaultValue 64 KiB
   */
  readonly maxBytes?: number;
  /**
   * Most alias dereferences while building the data (the "billion laughs"
   * defence).
   * @defaultValue 100
   */
  readonly maxAliasCount?: number;
  /**
   * Most YAML documents (`---` separated) in one file.
   * @defaultValue 1
   */
  readonly maxDocuments?: number;
}

/** @public */
export const DEFAULT_YAML_LIMITS: Required<YamlLimits> = Object.freeze({
  maxBytes: 64 * 1024,
  maxAliasCount: 100,
  maxDocuments: 1,
});

/**
 * One parsed YAML document: its plain data, and a way back from a data path
 * to a position in the file.
 *
 * @public
 */
export interface ParsedYamlDocument {
  /** The file it was read from, as the caller named it. */
  readonly file: string;
  /** The document as plain data (objects, arrays, scalars). */
  readonly data: unknown;
  /**
   * Turns a data path into a problem located at the deepest node of that
   * path that exists in the file (the parent map for a missing key). With
   * `at: 'key'`, a map entry is located at its key rather than its value,
   * which is where an unknown or badly named key should be shown.
   */
  problemAt(
    path: DataPath,
    message: string,
    options?: { at?: 'key' | 'value' },
  ): DescriptorProblem;
}

/**
 * The outcome of parsing a file: every document when it is clean, or every
 * problem found, never both.
 *
 * @public
 */
export type ParseYamlResult =
  | { ok: true; documents: ParsedYamlDocument[] }
  | { ok: false; problems: DescriptorProblem[] };

/**
 * Parses YAML text safely and reports every problem with file, line and
 * column: syntax errors, duplicate keys, unknown tags, `__proto__` keys, too
 * many aliases, documents or bytes.
 *
 * The YAML 1.2 core schema is used, so `yes`/`no` stay strings and no custom
 * tag constructs anything.
 *
 * @public
 */
export function parseYaml(
  file: string,
  text: string,
  limits: YamlLimits = {},
): ParseYamlResult {
  const { maxBytes, maxAliasCount, maxDocuments } = {
    ...DEFAULT_YAML_LIMITS,
    ...limits,
  };
  // Too many documents is answered from the markers alone, before the size
  // check, so that the message names the real problem.
  const markers = extraDocumentMarker(text, maxDocuments);
  if (markers) {
    const pos = new LineCounter();
    pos.addNewLine(0);
    for (const m of text.matchAll(/\n/g)) pos.addNewLine(m.index + 1);
    const { line, col } = pos.linePos(markers.offset);
    return fail({
      file,
      line,
      column: col,
      path: '',
      message: `file holds ${markers.total} YAML documents, more than the limit of ${maxDocuments}`,
    });
  }
  const bytes = utf8Length(text, maxBytes);
  if (bytes > maxBytes) {
    return fail({
      file,
      line: 1,
      column: 1,
      path: '',
      message: `file is ${bytes} bytes, more than the limit of ${maxBytes} bytes`,
    });
  }

  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    schema: 'core',
    strict: true,
    // The yaml package checks unique keys by comparing each key with every
    // earlier one (quadratic: a 1 MB file of keys takes minutes); the scan
    // below does it with a set per map.
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
  });
  const at = (offset: number, path: DataPath, message: string) => {
    const pos = lineCounter.linePos(offset);
    return {
      file,
      line: pos.line,
      column: pos.col,
      path: formatDataPath(path),
      message,
    };
  };

  // An empty file is an empty stream: one document holding nothing.
  const list: Document[] = Array.isArray(docs) ? docs : [];
  if (list.length > maxDocuments) {
    const extra = list[maxDocuments];
    return fail(
      at(
        extra.range?.[0] ?? 0,
        [],
        `file holds ${list.length} YAML documents, more than the limit of ${maxDocuments}`,
      ),
    );
  }

  const problems: DescriptorProblem[] = [];
  const documents: ParsedYamlDocument[] = [];
  for (const doc of list) {
    for (const error of doc.errors) {
      problems.push(at(error.pos[0], [], describeYamlError(error)));
    }
    for (const warning of doc.warnings) {
      // Unknown tags are warnings to the yaml package; a descriptor has no
      // use for them and they would otherwise be silently dropped.
      problems.push(at(warning.pos[0], [], describeYamlError(warning)));
    }
    if (doc.errors.length > 0) continue;
    const scan = scanDocument(doc, at);
    problems.push(...scan.problems);
    // Every alias costs a walk of the document when it is resolved, so a
    // document with many of them (an alias bomb, a long merge chain) is
    // refused before building its data.
    if (scan.aliases > maxAliasCount) {
      problems.push(
        at(doc.range?.[0] ?? 0, [], aliasBombMessage(maxAliasCount)),
      );
      continue;
    }

    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount });
    } catch (error) {
      problems.push(
        at(
          doc.range?.[0] ?? 0,
          [],
          error instanceof ReferenceError && /alias/i.test(error.message)
            ? aliasBombMessage(maxAliasCount)
            : `cannot read document: ${(error as Error).message}`,
        ),
      );
      continue;
    }
    // Built lazily, once per map of this document: a file with thousands
    // of problems would otherwise search its maps thousands of times.
    const pairIndex = new Map<YAMLMap, Map<string, Pair>>();
    documents.push({
      file,
      data,
      problemAt: (path, message, options) =>
        at(
          locateOffset(doc, path, options?.at === 'key', pairIndex),
          path,
          message,
        ),
    });
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, documents };
}

/**
 * When the document markers (`---` at the start of a line) show more
 * documents than allowed: the total and where the first extra one starts.
 */
function extraDocumentMarker(
  text: string,
  maxDocuments: number,
): { total: number; offset: number } | undefined {
  const markers = [...text.matchAll(/^---(?=[ \t\r\n]|$)/gm)].map(m => m.index);
  if (markers.length < maxDocuments) return undefined;
  // Content before the first marker is a document of its own.
  const head = text.slice(0, markers[0] ?? text.length);
  const implicit = /^[ \t]*[^\s#]/m.test(head) ? 1 : 0;
  const total = markers.length + implicit;
  if (total <= maxDocuments) return undefined;
  return { total, offset: markers[maxDocuments - implicit] };
}

/** UTF-8 length, without encoding when the answer is obvious. */
function utf8Length(text: string, limit: number): number {
  // Every UTF-16 code unit is 1 to 3 bytes of UTF-8.
  if (text.length > limit || text.length * 3 <= limit) return text.length;
  return new TextEncoder().encode(text).length;
}

function fail(problem: DescriptorProblem): ParseYamlResult {
  return { ok: false, problems: [problem] };
}

function describeYamlError(error: { code: string; message: string }): string {
  // The yaml package appends its own "at line X, column Y" and a code excerpt;
  // we report positions ourselves, so keep the first sentence only.
  const first = error.message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '');
  return error.code === 'TAG_RESOLVE_FAILED'
    ? `unsupported YAML tag: ${first}`
    : first;
}

function aliasBombMessage(limit: number): string {
  return `too many alias references (limit ${limit}); is this an alias bomb?`;
}

/** One walk of the document: forbidden keys, and the number of aliases. */
function scanDocument(
  doc: Document,
  at: (offset: number, path: DataPath, message: string) => DescriptorProblem,
): { problems: DescriptorProblem[]; aliases: number } {
  const problems: DescriptorProblem[] = [];
  let aliases = 0;
  visit(doc, {
    Alias() {
      aliases++;
    },
    Map(_key, map, ancestors) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (seen.has(key)) {
          problems.push(
            at(
              pair.key.range?.[0] ?? 0,
              [...pathOf([...ancestors, map]), String(key)],
              `duplicate key ${JSON.stringify(
                String(key).slice(0, 80),
              )}: each key may appear once`,
            ),
          );
        }
        seen.add(key);
      }
    },
    Pair(_key, pair, ancestors) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        const path = pathOf(ancestors);
        problems.push(
          at(
            pair.key.range?.[0] ?? 0,
            [...path, '__proto__'],
            'the key "__proto__" is not allowed',
          ),
        );
      }
    },
  });
  return { problems, aliases };
}

/** Rebuilds the data path of a node from the ancestors `visit` hands us. */
function pathOf(ancestors: readonly unknown[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    const child = ancestors[i + 1];
    if (isPair(node) && isScalar(node.key)) {
      path.push(String(node.key.value));
    } else if (isSeq(node) && child !== undefined) {
      path.push(node.items.indexOf(child as Node));
    }
  }
  return path;
}

/** The pairs of a map by key, from the document's index. */
function pairsByKey(
  map: YAMLMap,
  pairIndex: Map<YAMLMap, Map<string, Pair>>,
): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      if (isScalar(pair.key) && !index.has(String(pair.key.value))) {
        index.set(String(pair.key.value), pair);
      }
    }
    pairIndex.set(map, index);
  }
  return index;
}

/** Offset of the deepest node on `path` that exists in the document. */
function locateOffset(
  doc: Document,
  path: DataPath,
  atKey: boolean,
  pairIndex: Map<YAMLMap, Map<string, Pair>>,
): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = pairsByKey(node, pairIndex).get(String(segment));
      if (!pair) break;
      const last = i === path.length - 1;
      next = (last && atKey) || !pair.value ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    const range = (next as Node | undefined)?.range;
    if (!range) break;
    node = next;
    offset = range[0];
  }
  return offset;
}
