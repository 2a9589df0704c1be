import { ConfigReader } from '@backstage/config';
import { readActionsConfig } from './ActionsConfig';

const read = (data: object) => readActionsConfig(new ConfigReader(data));

describe('readActionsConfig', () => {
  it('defaults: 10 s, the canary namespace only, Flagger’s loadtester names', () => {
    expect(readActionsConfig(undefined)).toEqual({
      clusterCallTimeoutMs: 10_000,
      gates: { namespaces: [], services: ['flagger-loadtester', 'loadtester'] },
    });
  });

  it('reads the timeout and the gate policy', () => {
    expect(
      read({
        clusterCallTimeoutMs: 2500,
        actions: {
          gateNamespaces: ['flagger-system'],
          gateServices: ['gates'],
        },
      }),
    ).toEqual({
      clusterCallTimeoutMs: 2500,
      gates: { namespaces: ['flagger-system'], services: ['gates'] },
    });
  });

  it('names a bad value', () => {
    expect(() => read({ clusterCallTimeoutMs: 0 })).toThrow(
      'progressiveDelivery.clusterCallTimeoutMs must be a positive number of milliseconds, got 0',
    );
    expect(() =>
      read({ actions: { gateNamespaces: ['Flagger System'] } }),
    ).toThrow(
      'progressiveDelivery.actions.gateNamespaces must list Kubernetes names (RFC 1123 labels), got "Flagger System"',
    );
  });
});
