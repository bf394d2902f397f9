import { isUtf8 } from 'node:buffer';

/** Per byte: 0 as is, else the character after the backslash (u: \u00XX). */
const ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESCAPE[b] = 0x75;
for (const [b, c] of [
  [0x08, 0x62], // \b
  [0x09, 0x74], // \t
  [0x0a, 0x6e], // \n
  [0x0c, 0x66], // \f
  [0x0d, 0x72], // \r
  [0x22, 0x22], // \"
  [0x5c, 0x5c], // \\
]) {
  ESCAPE[b] = c;
}
const hexDigit = (n: number) => (n < 10 ? 0x30 + n : 0x57 + n);

/**
 * Where events are assembled: grown to the largest event yet (at most six
 * times a follow event's text), reused, so an event costs one allocation.
 */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * `bytes` (UTF-8) as a JSON string literal, quotes included, between
 * `prefix` and `suffix`, encoded as UTF-8: the same text
 * `prefix + JSON.stringify(bytes.toString()) + suffix` gives, built without
 * making the log a JavaScript string (a followed 100 MB log would otherwise
 * pass through the heap three times). Bytes that are not valid UTF-8 take
 * that slower path, which replaces them.
 */
export function jsonStringOf(
  bytes: Buffer,
  prefix: string = '',
  suffix: string = '',
): Buffer {
  if (!isUtf8(bytes)) {
    return Buffer.from(
      `${prefix}${JSON.stringify(bytes.toString('utf8'))}${suffix}`,
    );
  }
  const need =
    Buffer.byteLength(prefix) +
    bytes.length * 6 +
    2 +
    Buffer.byteLength(suffix);
  if (scratch.length < need) scratch = Buffer.allocUnsafe(need);
  const out = scratch;
  let o = out.write(prefix, 0);
  out[o++] = 0x22;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const e = ESCAPE[b];
    if (e === 0) {
      out[o++] = b;
    } else {
      out[o++] = 0x5c;
      out[o++] = e;
      if (e === 0x75) {
        out[o++] = 0x30;
        out[o++] = 0x30;
        out[o++] = hexDigit(b >> 4);
        out[o++] = hexDigit(b & 15);
      }
    }
  }
  out[o++] = 0x22;
  o += out.write(suffix, o);
  return Buffer.from(out.subarray(0, o));
}

/**
 * One `log` event of a followed step: the range's fields around its text,
 * in one buffer (the text is not made a string).
 */
export function logEvent(
  range: {
    stepId: string;
    offset: number;
    nextOffset: number;
    complete: boolean;
    truncated: boolean;
  },
  text: Buffer,
): Buffer {
  const { stepId, offset, nextOffset, complete, truncated } = range;
  return jsonStringOf(
    text,
    `event: log\ndata: {"stepId":${JSON.stringify(
      stepId,
    )},"offset":${offset},"text":`,
    `,"nextOffset":${nextOffset},"complete":${complete},"truncated":${truncated}}\n\n`,
  );
}
