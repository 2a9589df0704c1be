import { CustomErrorBase, InputError } from '@backstage/errors';
import express from 'express';

/** The largest JSON body the API reads: an action's body is a few dozen bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** 405: the path exists, the method does not. The router sets `Allow` beside it. */
export class MethodNotAllowedError extends CustomErrorBase {
  // A getter, not a field: the error body carries name and message only.
  get statusCode(): number {
    return 405;
  }
}

/** 413: the body is larger than the API reads. */
export class PayloadTooLargeError extends CustomErrorBase {
  get statusCode(): number {
    return 413;
  }
}

/** A path template of the spec (`/v1/clusters/{cluster}`) as a pattern of one request path. */
function templatePattern(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map(part => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}/?$`);
}

/** Each path template of an OpenAPI document with the methods it declares, upper case. */
export function declaredMethods(spec: {
  paths: Record<string, object>;
}): Array<{ pattern: RegExp; methods: string[] }> {
  return Object.entries(spec.paths).map(([template, item]) => ({
    pattern: templatePattern(template),
    methods: Object.keys(item)
      .filter(key => METHODS.includes(key))
      .map(key => key.toUpperCase()),
  }));
}

/**
 * Answers a method a known path does not serve with 405 and `Allow` (RFC 9110 15.5.6), and
 * OPTIONS with 204 and `Allow`; an unknown path goes on to the 404 of the backend. GET implies
 * HEAD, as Express serves it.
 */
export function allowedMethods(spec: {
  paths: Record<string, object>;
}): express.RequestHandler {
  const paths = declaredMethods(spec);
  return (req, res, next) => {
    const matching = paths.filter(p => p.pattern.test(req.path));
    if (matching.length === 0) {
      next();
      return;
    }
    const allowed = new Set(matching.flatMap(p => p.methods));
    if (allowed.has('GET')) {
      allowed.add('HEAD');
    }
    if (allowed.has(req.method)) {
      next();
      return;
    }
    const allow = [...allowed].sort(
      (a, b) =>
        METHODS.indexOf(a.toLowerCase()) - METHODS.indexOf(b.toLowerCase()),
    );
    res.setHeader('Allow', allow.join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(
      new MethodNotAllowedError(
        `${req.method} is not allowed on ${
          req.originalUrl.split('?')[0]
        }; allowed: ${allow.join(', ')}`,
      ),
    );
  };
}

/** body-parser's errors carry a `type`; these two are the client's, the rest are ours. */
interface BodyParserError extends Error {
  type?: string;
  length?: number;
}

/**
 * Reads JSON bodies up to {@link MAX_BODY_BYTES} before the OpenAPI router does, so that an
 * oversized body is 413 (the OpenAPI router turns every error of its own parser into 400) and a
 * malformed one 400, both naming the problem.
 */
export function jsonBody(
  limit = MAX_BODY_BYTES,
): Array<express.RequestHandler | express.ErrorRequestHandler> {
  const parse = express.json({ limit });
  const translate: express.ErrorRequestHandler = (
    error: BodyParserError,
    _req,
    _res,
    next,
  ) => {
    if (error.type === 'entity.too.large') {
      next(
        new PayloadTooLargeError(
          `The request body is ${
            error.length ?? `more than ${limit}`
          } bytes; this API accepts at most ${limit}`,
        ),
      );
    } else if (error.type === 'entity.parse.failed') {
      next(new InputError(`The request body is not JSON: ${error.message}`));
    } else {
      next(error);
    }
  };
  return [parse, translate];
}
