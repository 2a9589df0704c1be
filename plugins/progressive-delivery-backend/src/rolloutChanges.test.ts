import {
  CanaryState,
  EntityDeliveryState,
  RolloutHistoryResponse,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { Simulator, startSimulator } from '@internal/cluster-simulator';
import { Knex } from 'knex';
import { historyTestDatabases } from './__testUtils__/databases';
import { DEMO_SIMULATOR } from './__testUtils__/demoSimulator';
import {
  advanceUntil,
  DEPLOYMENT,
  phaseOf,
  PROD,
  simCanary,
  SimulatorBackend,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { specViolations } from './__testUtils__/specConformance';
import { waitFor } from './__testUtils__/waitFor';

/*
 * What changed in podinfo's rollouts (issue 16), end to end: the demo's release story commits
 * podinfo's next image tag to tenant-a's Git repository (6.7.0 -> 6.7.1 -> 6.7.2, cluster
 * simulator scenarios/ReleaseStory.ts), Flux applies it, Flagger analyses it and waits at its
 * confirm-promotion gate. The canary's state shows the new image, the ConfigMap Flagger tracks
 * and the Git revisions; the history keeps them; the next rollout compares with the promoted one.
 */

jest.setTimeout(180_000);

const databases = historyTestDatabases();
const STEP = 15_000;
const NS = 'tenant-a';
const ENTITY = 'component:default/podinfo';
const ANALYSED = ['Progressing', 'WaitingPromotion'];

describe.each(databases.eachSupportedId())(
  'what changed in rollouts on %s, against the demo simulator',
  id => {
    let sim: Simulator;
    let knex: Knex;
    let backend: SimulatorBackend;

    beforeAll(async () => {
      // With its story: releases arrive as the demo's do.
      sim = await startSimulator({
        ...DEMO_SIMULATOR,
        startTime: Date.now(),
        story: true,
      });
      knex = await databases.init(id);
      backend = await startSimulatorBackend(sim, { knex });
    });

    afterAll(async () => {
      await backend?.stop();
      await sim?.stop();
    });

    const objects = () => sim.cluster(PROD).objects;
    const imageOf = (name: string): string =>
      (objects().get(...DEPLOYMENT, NS, name) as any).spec.template.spec
        .containers[0].image;
    const canaryStatus = () =>
      simCanary(sim, PROD, NS, 'podinfo').status as Record<string, any>;

    /** podinfo's Flux Kustomization (its owner labels) and its GitRepository, as simulated. */
    function flux() {
      const labels = simCanary(sim, PROD, NS, 'podinfo').metadata!.labels!;
      const kustomization = objects().get(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        labels['kustomize.toolkit.fluxcd.io/namespace'],
        labels['kustomize.toolkit.fluxcd.io/name'],
      ) as any;
      const ref = kustomization.spec.sourceRef;
      const git = objects().get(
        'source.toolkit.fluxcd.io/v1',
        'GitRepository',
        ref.namespace ?? kustomization.metadata?.namespace,
        ref.name,
      ) as any;
      return {
        applied: kustomization.status.lastAppliedRevision as string,
        git,
      };
    }

    async function prodCanary(
      until: (canary: CanaryState) => boolean,
      what: string,
    ) {
      const state = await waitFor(
        async () =>
          (
            await backend.get(`/v1/entities/component/default/podinfo`)
          ).body as EntityDeliveryState,
        s => {
          const canary = s.clusters
            .find(c => c.cluster === PROD)
            ?.canaries.find(c => c.ref.name === 'podinfo');
          return canary !== undefined && until(canary);
        },
        { what },
      );
      expect(specViolations(state, 'EntityDeliveryState')).toEqual([]);
      return state.clusters
        .find(c => c.cluster === PROD)!
        .canaries.find(c => c.ref.name === 'podinfo')!;
    }

    it('shows the new image, the tracked ConfigMap and the Git range, and keeps them in the history', async () => {
      expect(imageOf('podinfo-primary')).toBe(
        'ghcr.io/stefanprodan/podinfo:6.7.0',
      );
      await advanceUntil(
        sim,
        () => ANALYSED.includes(phaseOf(sim, PROD, NS, 'podinfo')),
        { stepMs: STEP, what: 'the first release to be analysed' },
      );
      expect(imageOf('podinfo')).toBe('ghcr.io/stefanprodan/podinfo:6.7.1');
      const first = flux();
      const checksum =
        canaryStatus().trackedConfigs['configmap/podinfo-config'];
      expect(checksum).toMatch(/^[0-9a-f]{16}$/);

      // The clock stands still while the backend catches up with the simulator.
      const firstCanary = await prodCanary(
        c =>
          (c.changes?.containers.length ?? 0) > 0 &&
          c.changes?.source?.toRevision === first.applied,
        'the state to show what changed',
      );
      expect(firstCanary.changes).toEqual({
        containers: [
          {
            name: 'podinfo',
            init: false,
            change: 'changed',
            image: {
              from: 'ghcr.io/stefanprodan/podinfo:6.7.0',
              to: 'ghcr.io/stefanprodan/podinfo:6.7.1',
            },
            env: [],
            envFrom: [],
            resources: [],
            fields: [],
          },
        ],
        podTemplate: [],
        // No rollout was promoted before in this history: the checksum now, nothing to compare.
        configs: [
          {
            kind: 'ConfigMap',
            name: 'podinfo-config',
            change: 'unknown',
            toChecksum: checksum,
          },
        ],
        configsBasis: 'status',
        source: {
          kind: 'GitRepository',
          namespace: first.git.metadata!.namespace,
          name: first.git.metadata!.name,
          url: 'https://github.com/example/tenant-a-deploy',
          toRevision: first.applied,
          hostKind: 'github',
          toCommit: first.applied.split('sha1:')[1],
          reason: 'no previous revision to compare with',
        },
        notes: [expect.stringContaining('were not recorded')],
        problems: [],
      });
      expect(first.git.spec.url).toBe(
        'https://github.com/example/tenant-a-deploy',
      );

      // Approved at its gate, promoted: the history keeps what it changed.
      await advanceUntil(
        sim,
        () => phaseOf(sim, PROD, NS, 'podinfo') === 'WaitingPromotion',
        { stepMs: STEP, what: 'the first release to wait for promotion' },
      );
      await prodCanary(
        c =>
          c.progress.gates.some(
            g => g.type === 'confirm-promotion' && g.waiting,
          ),
        'the confirm-promotion gate to wait',
      );
      const approved = await backend.post(
        `/v1/clusters/${PROD}/namespaces/${NS}/canaries/podinfo/approve`,
        { entityRef: ENTITY },
      );
      expect(approved.status).toBe(200);
      await advanceUntil(
        sim,
        () => phaseOf(sim, PROD, NS, 'podinfo') === 'Succeeded',
        { stepMs: STEP, what: 'the first release to be promoted' },
      );
      const history = await waitFor(
        async () =>
          (
            await backend.get(`/v1/entities/component/default/podinfo/history`)
          ).body as RolloutHistoryResponse,
        h => h.items.some(r => r.cluster === PROD && r.outcome === 'succeeded'),
        { what: 'the promoted rollout in the history' },
      );
      expect(specViolations(history, 'RolloutHistoryResponse')).toEqual([]);
      const promoted = history.items.find(r => r.cluster === PROD)!;
      // tenant-a's repository also takes frontend's releases: the Flux revision may have moved
      // on while podinfo waited at its gate, and the record has the last one it saw.
      const { source: recordedSource, ...recorded } = promoted.changes!;
      const { source: firstSource, ...shown } = firstCanary.changes!;
      expect(recorded).toEqual(shown);
      expect(recordedSource).toEqual({
        ...firstSource,
        toRevision: expect.stringMatching(/^main@sha1:[0-9a-f]{40}$/),
        toCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
      // What the next rollout compares with: the revision applied when this one was promoted.
      const { source_revision: promotedRevision } = await knex('rollouts')
        .where({ cluster: PROD, canary: 'podinfo', outcome: 'succeeded' })
        .first('source_revision');
      expect(promotedRevision).toMatch(/^main@sha1:[0-9a-f]{40}$/);
      // Once promoted, the primary runs the target: nothing differs, nothing is shown.
      expect(
        (await prodCanary(c => c.progress.phase === 'Succeeded', 'promoted'))
          .changes,
      ).toBeUndefined();

      // The next release compares with the promoted one: the Git range, the same checksum.
      await advanceUntil(
        sim,
        () =>
          ANALYSED.includes(phaseOf(sim, PROD, NS, 'podinfo')) &&
          imageOf('podinfo').endsWith(':6.7.2'),
        { stepMs: STEP, what: 'the second release to be analysed' },
      );
      const second = flux();
      expect(second.applied).not.toBe(first.applied);
      const secondCanary = await prodCanary(
        c =>
          c.changes?.source?.compareUrl !== undefined &&
          c.changes.source.toRevision === second.applied,
        'the state to link the Git range',
      );
      const [from, to] = [promotedRevision as string, second.applied].map(
        r => r.split('sha1:')[1],
      );
      expect(secondCanary.changes).toMatchObject({
        containers: [
          {
            name: 'podinfo',
            image: {
              from: 'ghcr.io/stefanprodan/podinfo:6.7.1',
              to: 'ghcr.io/stefanprodan/podinfo:6.7.2',
            },
          },
        ],
        configs: [
          {
            kind: 'ConfigMap',
            name: 'podinfo-config',
            change: 'unchanged',
            fromChecksum: checksum,
            toChecksum: checksum,
          },
        ],
        configsBasis: 'previousRollout',
        source: {
          fromRevision: promotedRevision,
          toRevision: second.applied,
          fromCommit: from,
          toCommit: to,
          compareUrl: `https://github.com/example/tenant-a-deploy/compare/${from}...${to}`,
        },
        notes: [],
        problems: [],
      });
    });
  },
);
