import { TestApiProvider } from '@backstage/frontend-test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { podinfoState } from '../__fixtures__/deliveryStates';
import {
  DeliveryStateObserver,
  ProgressiveDeliveryApi,
  progressiveDeliveryApiRef,
} from '../api/ProgressiveDeliveryApi';
import { useEntityDeliveryState } from './useEntityDeliveryState';
import { MockProgressiveDeliveryApi } from '../api/MockProgressiveDeliveryApi';

const ref = { kind: 'Component', namespace: 'default', name: 'podinfo' };

/** An API whose stream is driven by the test, as the real one is by the network. */
function controllableApi(
  get: ProgressiveDeliveryApi['getEntityDeliveryState'],
) {
  const observers: DeliveryStateObserver[] = [];
  const api = new MockProgressiveDeliveryApi();
  api.getEntityDeliveryState = get;
  api.subscribeToEntityDeliveryState = (_ref, observer) => {
    observers.push(observer);
    return {
      unsubscribe: () => observers.splice(observers.indexOf(observer), 1),
    };
  };
  return { api, observers };
}

function wrapper(api: ProgressiveDeliveryApi) {
  return ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[progressiveDeliveryApiRef, api]]}>
      {children}
    </TestApiProvider>
  );
}

describe('useEntityDeliveryState', () => {
  it('shows the plain request’s state while the stream is slow, then follows the stream', async () => {
    const { api, observers } = controllableApi(async () => podinfoState());
    const { result } = renderHook(() => useEntityDeliveryState(ref), {
      wrapper: wrapper(api),
    });
    await waitFor(() => expect(result.current.state).toEqual(podinfoState()));
    expect(result.current.status).toBe('connecting');

    act(() => {
      observers[0].status?.('live');
      observers[0].next(podinfoState({ canaryWeight: 15 }));
    });
    expect(result.current.status).toBe('live');
    expect(result.current.state).toEqual(podinfoState({ canaryWeight: 15 }));
  });

  it('keeps the last state on screen while reconnecting', async () => {
    const { api, observers } = controllableApi(async () => podinfoState());
    const { result } = renderHook(() => useEntityDeliveryState(ref), {
      wrapper: wrapper(api),
    });
    await waitFor(() => expect(result.current.state).toBeDefined());
    act(() => {
      observers[0].error?.(new Error('stream closed'));
      observers[0].status?.('reconnecting');
    });
    expect(result.current.status).toBe('reconnecting');
    expect(result.current.error?.message).toBe('stream closed');
    expect(result.current.state).toEqual(podinfoState());
  });

  it('reports the error when nothing could be loaded', async () => {
    const { api } = controllableApi(async () => {
      throw new Error('403 Not allowed');
    });
    const { result } = renderHook(() => useEntityDeliveryState(ref), {
      wrapper: wrapper(api),
    });
    await waitFor(() =>
      expect(result.current.error?.message).toBe('403 Not allowed'),
    );
    expect(result.current.state).toBeUndefined();
  });
});
