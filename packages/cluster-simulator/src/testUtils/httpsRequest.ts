import https from 'node:https';
import { ClusterInfo } from '../Simulator';

export interface HttpsResponse {
  status: number;
  body: any;
}

/**
 * One HTTPS request to a simulated cluster, trusting its CA, with a bearer
 * token when given; the body is parsed as JSON when it is JSON.
 */
export function httpsRequest(
  cluster: ClusterInfo,
  path: string,
  options: {
    token?: string;
    method?: string;
    body?: unknown;
    contentType?: string;
  } = {},
): Promise<HttpsResponse> {
  const body =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${cluster.url}${path}`,
      {
        method: options.method ?? 'GET',
        headers,
        ca: Buffer.from(cluster.caData ?? '', 'base64').toString('utf8'),
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
