import { CustomErrorBase } from '@backstage/errors';

/**
 * A write that reached the cluster and got no answer (a timeout, a reset connection): it may or
 * may not have been carried out. Answered 504 (the backend is a gateway to the cluster that did
 * not answer in time), audited with `outcome: 'unknown'`, and never reported as "failed" or
 * "unreachable": its message says what to check before trying again.
 */
export class OutcomeUnknownError extends CustomErrorBase {
  // A getter, not a field: the error body carries name and message only.
  get statusCode(): number {
    return 504;
  }
}

/**
 * Whether the API server's service proxy may have sent the request on when it failed. Its 503
 * `error trying to reach service: <err>` (k8s.io/apimachinery pkg/util/proxy/transport.go,
 * kubernetes/apimachinery@eed236c) wraps Go's round-trip error: a `dial` error (no connection)
 * or a TLS handshake error (no request written yet) means nothing was sent; any other (`EOF`,
 * `connection reset by peer`, `timeout awaiting response headers`, `context deadline
 * exceeded`) may have come after the service received it. Other 503s (`no endpoints
 * available`, `no service port`) are the API server's own: nothing was sent.
 */
export function proxyFailureWasSent(statusMessage: string): boolean {
  const match = /^error trying to reach service: (.*)$/s.exec(statusMessage);
  if (!match) {
    return false;
  }
  return !/\bdial (tcp|udp|unix)[46]?\b|\btls: |\bx509: /.test(match[1]);
}

/** Adds what to check to an {@link OutcomeUnknownError}; passes other errors on unchanged. */
export async function checkingOutcome<T>(
  call: Promise<T>,
  whatToCheck: string,
): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof OutcomeUnknownError) {
      throw new OutcomeUnknownError(
        `Outcome unknown: ${error.message}. ${whatToCheck}`,
      );
    }
    throw error;
  }
}
