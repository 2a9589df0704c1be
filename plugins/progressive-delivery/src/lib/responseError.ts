import { ResponseError } from '@backstage/errors';

/** A failed request in words: a short heading and the server's own explanation. */
export interface ResponseErrorText {
  title: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'The request was not accepted',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Not possible right now',
  503: 'The cluster cannot be reached',
};

/**
 * The backend explains every refusal in its error body (which permission is missing, which
 * webhook to add, that the object is suspended); `ResponseError.message` only says "Request
 * failed with 409 Conflict", so the body's message is what a person gets to read.
 */
export function describeResponseError(error: unknown): ResponseErrorText {
  if (error instanceof ResponseError) {
    const status = error.statusCode;
    const serverMessage = error.body?.error?.message || error.cause?.message;
    return {
      title:
        TITLES[status] ??
        `The backend answered ${status}${
          error.statusText ? ` ${error.statusText}` : ''
        }`,
      message: serverMessage || error.message,
    };
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when no answer came at all.
    return {
      title: 'The backend cannot be reached',
      message: error.message,
    };
  }
  return {
    title: 'The request failed',
    message: error instanceof Error ? error.message : String(error),
  };
}
