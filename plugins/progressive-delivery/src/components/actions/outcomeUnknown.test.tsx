import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  act,
  renderHook,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { podinfoState } from '../../__fixtures__/deliveryStates';
import { LiveCanaryPanel } from '../../__testUtils__/LiveCanaryPanel';
import {
  isOutcomeUnknown,
  OUTCOME_UNKNOWN_HOLD_MS,
  outcomeUnknownMessage,
  useOutcomeUnknownHold,
} from './outcomeUnknown';

// The backend's answer when the gate call reached the cluster and no answer came back in time
// (plugins/progressive-delivery-backend src/actions/gateTrust.test.ts).
const UNKNOWN =
  'Outcome unknown: POST of service tenant-a/flagger-loadtester was sent to cluster prod-eu-1, but no answer came back: no answer from 127.0.0.1:6443 within 10s. Check the canary\'s gates and status before trying again (the Delivery tab, or in cluster prod-eu-1: kubectl -n tenant-a get canary podinfo): at its next check, see whether it passes the gate (event "Confirm-promotion check promotion-gate passed", the phase no longer waiting).';

async function answer(status: number, body: object | string) {
  return ResponseError.fromResponse(
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      statusText: status === 504 ? 'Gateway Timeout' : '',
      headers: {
        'Content-Type':
          typeof body === 'string' ? 'text/html' : 'application/json',
      },
    }),
  );
}

const outcomeUnknown = () =>
  answer(504, {
    error: { name: 'OutcomeUnknownError', message: UNKNOWN },
    request: { method: 'POST', url: '/v1/…' },
    response: { statusCode: 504 },
  });

/** The state after Flagger's next check: it still waits, and says so in a newer event. */
function afterNextCheck(state: EntityDeliveryState): EntityDeliveryState {
  const next = structuredClone(state);
  const canary = next.clusters[0].canaries[0];
  canary.events = [
    { ...canary.events[0], timestamp: '2026-11-22T10:02:00Z' },
    ...canary.events,
  ];
  return next;
}

async function renderLive(api: MockProgressiveDeliveryApi) {
  const waiting = podinfoState({ waitingPromotion: true });
  await renderInTestApp(
    <LiveCanaryPanel states={[waiting, afterNextCheck(waiting)]} />,
    {
      apis: [
        [progressiveDeliveryApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    },
  );
}

describe('an action whose outcome is unknown', () => {
  it('closes the dialog, says what to check, and waits for the live state before another click', async () => {
    const api = new MockProgressiveDeliveryApi({
      onAction: async () => {
        throw await outcomeUnknown();
      },
    });
    await renderLive(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve promotion',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const approve = screen.getByRole('button', { name: 'Approve promotion' });
    expect(approve).toBeDisabled();
    const status = screen
      .getAllByRole('status')
      .find(s => s.textContent?.startsWith('Outcome unknown'))!;
    expect(status).toHaveTextContent(UNKNOWN);
    expect(status).toHaveTextContent(
      'Waiting for the cluster to show what happened before this can be tried again.',
    );
    expect(status).not.toHaveTextContent(/failed|unreachable/i);
    expect(api.actions.map(a => a.action)).toEqual(['approve']);

    // The live stream brings Flagger's next check: now the person can judge, and act again.
    await userEvent.click(screen.getByRole('button', { name: 'Next state' }));
    await waitFor(() => expect(approve).toBeEnabled());
    expect(status).toHaveTextContent(
      'The state has changed since: check it before trying again.',
    );
    await userEvent.click(approve);
    expect(screen.queryByText(/^Outcome unknown/)).not.toBeInTheDocument();
  });

  it('leaves other errors in the dialog, with a way to try again', async () => {
    const api = new MockProgressiveDeliveryApi({
      onAction: async () => {
        throw await answer(503, {
          error: {
            name: 'ServiceUnavailableError',
            message:
              'cluster prod-eu-1 is unreachable for service tenant-a/flagger-loadtester: connect ECONNREFUSED',
          },
          response: { statusCode: 503 },
        });
      },
    });
    await renderLive(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve promotion' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The cluster cannot be reached',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Try again' }),
    ).toBeEnabled();
  });
});

describe('isOutcomeUnknown', () => {
  it('is the backend’s OutcomeUnknownError, or any 504 on the way', async () => {
    expect(isOutcomeUnknown(await outcomeUnknown())).toBe(true);
    const gateway = await answer(504, '<html>504 Gateway Time-out</html>');
    expect(isOutcomeUnknown(gateway)).toBe(true);
    expect(outcomeUnknownMessage(gateway)).toMatch(
      /^Outcome unknown: no answer came back in time \(.*504.*\), so the action may or may not have happened\. Check the state before trying again\.$/,
    );
    expect(
      isOutcomeUnknown(
        await answer(409, { error: { name: 'ConflictError', message: 'no' } }),
      ),
    ).toBe(false);
    expect(isOutcomeUnknown(new TypeError('Failed to fetch'))).toBe(false);
  });
});

describe('useOutcomeUnknownHold', () => {
  afterEach(() => jest.useRealTimers());

  it('holds until the observed state changes or the hold time passes', () => {
    jest.useFakeTimers();
    const { result, rerender } = renderHook(
      ({ observed }) => useOutcomeUnknownHold(observed),
      { initialProps: { observed: 'a' } },
    );
    expect(result.current.holding).toBe(false);
    act(() => result.current.report('Outcome unknown: check it.'));
    expect(result.current).toMatchObject({
      message: 'Outcome unknown: check it.',
      holding: true,
      changed: false,
    });
    act(() => jest.advanceTimersByTime(OUTCOME_UNKNOWN_HOLD_MS - 1));
    expect(result.current.holding).toBe(true);
    act(() => jest.advanceTimersByTime(1));
    expect(result.current).toMatchObject({ holding: false, changed: false });

    act(() => result.current.report('again'));
    expect(result.current.holding).toBe(true);
    rerender({ observed: 'b' });
    expect(result.current).toMatchObject({ holding: false, changed: true });
    act(() => result.current.clear());
    expect(result.current.message).toBeUndefined();
  });
});
