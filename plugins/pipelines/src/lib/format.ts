/** `1h 2m`, `3m 4s`, `5s`, `0.4s`: a duration for a table cell. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  if (ms < 1000) {
    return `${(ms / 1000).toFixed(1)}s`;
  }
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) {
    return `${h}h ${m}m`;
  }
  if (m > 0) {
    return `${m}m ${s}s`;
  }
  return `${s}s`;
}

/** Milliseconds between two timestamps; up to `now` while still running. */
export function elapsedMs(
  startedAt: string | undefined,
  finishedAt: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!startedAt) {
    return undefined;
  }
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return undefined;
  }
  return Math.max(0, end - start);
}

/** The first seven characters of a commit SHA. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The first line of a commit message. */
export function firstLine(message: string | undefined): string {
  return (message ?? '').split(/\r?\n/, 1)[0];
}

/** A timestamp as the user's locale writes it. */
export function formatTimestamp(iso: string | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** `build-info.yaml:3:5 message`, the way compilers position problems. */
export function formatProblemPosition(problem: {
  file: string;
  line?: number;
  column?: number;
}): string {
  return [problem.file, problem.line, problem.column]
    .filter(part => part !== undefined)
    .join(':');
}
