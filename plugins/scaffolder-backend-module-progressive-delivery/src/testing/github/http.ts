import http from 'node:http';

/** A request body as GitHub's REST API takes it: a JSON object. */
export type JsonBody = Record<string, unknown>;

/** An error the double answers with its status and GitHub's `{ message }` body. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers a failed request: an HttpError's status, 500 for anything else. */
export function sendError(res: http.ServerResponse, error: any): void {
  const status = error instanceof HttpError ? error.status : 500;
  sendJson(res, status, { message: String(error.message ?? error) });
}

export async function readJson(req: http.IncomingMessage): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Problems parsing JSON');
  }
}
