import { InputError } from '@backstage/errors';
import { HttpBodyParser } from '@backstage/plugin-events-node';

/**
 * The events backend's `application/json` body parser, answering a body that
 * is not JSON with 400 (InputError) instead of a 500. Like the default one,
 * it keeps the raw bytes for signature checks and honours the charset.
 */
export const jsonBodyParser: HttpBodyParser = async (
  request,
  parsedMediaType,
  topic,
) => {
  const bodyBuffer: unknown = request.body;
  if (!Buffer.isBuffer(bodyBuffer)) {
    throw new Error(
      `Failed to retrieve raw body from incoming event for topic ${topic}; not a buffer: ${typeof bodyBuffer}`,
    );
  }
  const encoding = parsedMediaType.parameters.charset ?? 'utf-8';
  if (!Buffer.isEncoding(encoding)) {
    throw new InputError(`Unsupported charset: ${encoding}`);
  }
  let bodyParsed: unknown;
  try {
    bodyParsed = JSON.parse(bodyBuffer.toString(encoding));
  } catch (error) {
    throw new InputError(
      `The body of a ${topic} event must be JSON: ${(error as Error).message}`,
    );
  }
  return { bodyParsed, bodyBuffer, encoding };
};
