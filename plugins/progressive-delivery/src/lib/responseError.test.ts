import { ResponseError } from '@backstage/errors';
import { describeResponseError } from './responseError';

/** A ResponseError from a response shaped like a Backstage backend's error answer. */
async function responseError(status: number, statusText: string, body: object) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

const backendError = (name: string, message: string, statusCode: number) => ({
  error: { name, message },
  request: { method: 'POST', url: '/api/progressive-delivery/v1/…' },
  response: { statusCode },
});

describe('describeResponseError', () => {
  it('shows the backend’s explanation under a heading per status', async () => {
    const suspended =
      'Kustomization flux-system/tenant-a-apps in prod-eu-1 is suspended (spec.suspend: true), so Flux would ignore a reconcile request. Resume it first.';
    expect(
      describeResponseError(
        await responseError(
          409,
          'Conflict',
          backendError('ConflictError', suspended, 409),
        ),
      ),
    ).toEqual({ title: 'Not possible right now', message: suspended });

    const denied =
      'Not allowed to approve Canary tenant-a/podinfo in prod-eu-1: that needs the permission progressive-delivery.canary.approve on component:default/podinfo';
    expect(
      describeResponseError(
        await responseError(
          403,
          'Forbidden',
          backendError('NotAllowedError', denied, 403),
        ),
      ),
    ).toEqual({ title: 'Not allowed', message: denied });

    expect(
      describeResponseError(
        await responseError(
          404,
          'Not Found',
          backendError(
            'NotFoundError',
            'No cluster named prod-us-1 is configured',
            404,
          ),
        ),
      ),
    ).toEqual({
      title: 'Not found',
      message: 'No cluster named prod-us-1 is configured',
    });
  });

  it('names an unexpected status and keeps the text of a body that is not JSON', async () => {
    const error = await ResponseError.fromResponse(
      new Response('upstream timed out', {
        status: 502,
        statusText: 'Bad Gateway',
      }),
    );
    expect(describeResponseError(error)).toEqual({
      title: 'The backend answered 502 Bad Gateway',
      message: 'Request failed with status 502 Bad Gateway, upstream timed out',
    });
  });

  it('tells a missing answer from a refusal', () => {
    expect(describeResponseError(new TypeError('Failed to fetch'))).toEqual({
      title: 'The backend cannot be reached',
      message: 'Failed to fetch',
    });
    expect(describeResponseError(new Error('boom'))).toEqual({
      title: 'The request failed',
      message: 'boom',
    });
  });
});
