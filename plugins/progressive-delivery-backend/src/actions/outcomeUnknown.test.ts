import { ConflictError } from '@backstage/errors';
import {
  checkingOutcome,
  OutcomeUnknownError,
  proxyFailureWasSent,
} from './outcomeUnknown';

describe('proxyFailureWasSent', () => {
  // kube-apiserver's service proxy answers 503 "error trying to reach service: <Go error>"
  // (kubernetes/apimachinery@eed236c pkg/util/proxy/transport.go); the Go errors are net/http's
  // and net's own wording.
  it.each([
    'error trying to reach service: dial tcp 10.244.0.12:8080: connect: connection refused',
    'error trying to reach service: dial tcp 10.244.0.12:8080: i/o timeout',
    'error trying to reach service: dial tcp: lookup flagger-loadtester on 10.96.0.10:53: no such host',
    'error trying to reach service: proxyconnect tcp: dial tcp4 10.0.0.1:3128: connect: no route to host',
    'error trying to reach service: tls: failed to verify certificate: x509: certificate signed by unknown authority',
    'no endpoints available for service "flagger-loadtester"',
    'no service port 8080 found for service "flagger-loadtester"',
    'simulated fault: service unavailable',
  ])('nothing was sent: %s', message => {
    expect(proxyFailureWasSent(message)).toBe(false);
  });

  it.each([
    'error trying to reach service: EOF',
    'error trying to reach service: read tcp 10.0.0.5:43512->10.244.0.12:8080: read: connection reset by peer',
    'error trying to reach service: net/http: timeout awaiting response headers',
    'error trying to reach service: context deadline exceeded',
  ])('the service may have received it: %s', message => {
    expect(proxyFailureWasSent(message)).toBe(true);
  });
});

describe('checkingOutcome', () => {
  it('adds what to check to an unknown outcome', async () => {
    await expect(
      checkingOutcome(
        Promise.reject(new OutcomeUnknownError('POST was sent, no answer')),
        'Check the gate.',
      ),
    ).rejects.toMatchObject({
      name: 'OutcomeUnknownError',
      message: 'Outcome unknown: POST was sent, no answer. Check the gate.',
      statusCode: 504,
    });
  });

  it('passes other errors and answers on unchanged', async () => {
    const refused = new ConflictError('no');
    await expect(checkingOutcome(Promise.reject(refused), 'x')).rejects.toBe(
      refused,
    );
    await expect(checkingOutcome(Promise.resolve(3), 'x')).resolves.toBe(3);
  });

  it('keeps the status out of the serialized body', () => {
    expect(Object.keys(new OutcomeUnknownError('m'))).not.toContain(
      'statusCode',
    );
  });
});
