import http from 'node:http';
import { PatchError } from './patch';
import { SelectorError } from './selectors';
import { ApiError, Errors } from './status';

/** Request bodies above this size are refused, as the API server's limit does. */
const MAX_BODY = 10 * 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Errors.badRequest('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw Errors.badRequest(
      `error decoding request body: ${(e as Error).message}`,
    );
  }
}

/** Sends `body` (an object, or JSON text already encoded) as JSON. */
export function sendJson(
  res: http.ServerResponse,
  code: number,
  body: unknown,
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers with the `Status` Kubernetes sends for `err`. */
export function sendError(res: http.ServerResponse, err: unknown) {
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err instanceof PatchError || err instanceof SelectorError) {
    apiError = Errors.badRequest(err.message);
  } else {
    apiError = Errors.internal(
      err instanceof Error ? err.message : String(err),
    );
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, apiError.code, apiError.toStatus());
}
