import ours from './__fixtures__/ours-svc-00001.json';
import peer from './__fixtures__/peer-svc-00001.json';
import { TARGETS } from './targets';

const clusters = ['scale-01', 'scale-02'];

describe('TARGETS', () => {
  it('asks each backend about the same entity', () => {
    expect(TARGETS.ours.view(0)).toEqual({
      method: 'GET',
      path: '/api/progressive-delivery/v1/entities/component/default/svc-00001',
    });
    const peerView = TARGETS.peer.view(41);
    expect(peerView).toMatchObject({
      method: 'POST',
      path: '/api/kubernetes/services/svc-00042',
    });
    expect(JSON.parse(peerView.body!).entity.metadata).toMatchObject({
      name: 'svc-00042',
      annotations: { 'backstage.io/kubernetes-id': 'svc-00042' },
    });
    expect(TARGETS.ceiling.view(1).path).toBe(
      '/api/bench-ceiling/state/svc-00002',
    );
  });

  it.each(['ours', 'peer'] as const)(
    'accepts a real %s answer showing the canary in every cluster',
    name => {
      const body = JSON.stringify(name === 'ours' ? ours : peer);
      expect(TARGETS[name].isCorrect(200, body, 0, clusters)).toBe(true);
      // Another entity, a cluster the answer lacks, an error status, a non-JSON body.
      expect(TARGETS[name].isCorrect(200, body, 1, clusters)).toBe(false);
      expect(
        TARGETS[name].isCorrect(200, body, 0, [...clusters, 'scale-03']),
      ).toBe(false);
      expect(TARGETS[name].isCorrect(503, body, 0, clusters)).toBe(false);
      expect(
        TARGETS[name].isCorrect(200, 'Service Unavailable', 0, clusters),
      ).toBe(false);
    },
  );

  it('does not count a peer answer whose canary lookup failed', () => {
    const withoutCanaries = {
      items: peer.items.map(item => ({
        ...item,
        resources: item.resources.filter(
          r =>
            !(
              r.type === 'customresources' && r.resources[0]?.kind === 'Canary'
            ),
        ),
      })),
    };
    expect(
      TARGETS.peer.isCorrect(200, JSON.stringify(withoutCanaries), 0, clusters),
    ).toBe(false);
  });
});
