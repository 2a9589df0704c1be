import { KubeObject } from '../kubernetes';
import { clone, loadEvents, loadFixture } from '../__testUtils__/fixtures';
import { deriveCanaryEvents } from './canaryEvents';
import { deriveCanaryProgress } from './canaryProgress';

const progressing = loadFixture('flagger-canary-progressing.yaml');

function withAnalysis(
  analysis: Record<string, unknown>,
  status: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
): KubeObject {
  const canary = clone(progressing);
  const base = canary.spec as Record<string, any>;
  canary.spec = {
    ...base,
    ...spec,
    analysis: { interval: '15s', threshold: 5, ...analysis },
  };
  canary.status = { ...(canary.status as object), ...status };
  return canary;
}

const labels = (canary: KubeObject) =>
  deriveCanaryProgress(canary).steps.map(s => s.label);

describe('deriveCanaryProgress', () => {
  it('reads the progressing fixture: weights, steps, checks and the time left', () => {
    const progress = deriveCanaryProgress(progressing, {
      now: new Date('2026-08-10T09:13:00Z'),
    });
    expect(progress).toMatchObject({
      phase: 'Progressing',
      activity: 'active',
      strategy: 'canary',
      mirroring: false,
      canaryWeight: 20,
      primaryWeight: 80,
      maxWeight: 30,
      currentStepIndex: 2,
      failedChecks: 1,
      threshold: 15,
      intervalMs: 15_000,
      revision: {
        lastAppliedSpec: '5c8d4f7b9d',
        lastPromotedSpec: '6b9f8c7d5',
        underAnalysis: true,
      },
      conditionMessage: 'New revision detected, progressing canary analysis.',
      gates: [],
      webhooks: [{ name: 'load-test', type: 'rollout' }],
      problems: [],
    });
    expect(progress.steps.map(s => `${s.label}:${s.state}`)).toEqual([
      '0%:done',
      '10%:done',
      '20%:current',
      '30%:pending',
      'promote:pending',
    ]);
    // 20 -> 30, promote, route traffic back, scale down: four intervals of 15 s.
    expect(progress.remainingMs).toBe(60_000);
    expect(progress.estimatedCompletionAt).toBe('2026-08-10T09:14:00.000Z');
    expect(progress.metrics).toEqual([
      {
        name: 'request-success-rate',
        thresholdRange: { min: 99, max: undefined },
        interval: '1m',
      },
      {
        name: 'latency',
        templateRef: { name: 'latency', namespace: 'istio-system' },
        thresholdRange: { min: undefined, max: 500 },
        interval: '1m',
      },
    ]);
  });

  it('reads the failed fixture as a rollback with no rollout running', () => {
    const progress = deriveCanaryProgress(
      loadFixture('flagger-canary-failed.yaml'),
    );
    expect(progress).toMatchObject({
      phase: 'Failed',
      activity: 'failed',
      currentStepIndex: -1,
      canaryWeight: 0,
      primaryWeight: 100,
      revision: { underAnalysis: false },
      conditionMessage: 'Canary analysis failed, Deployment scaled to zero.',
    });
    expect(progress.remainingMs).toBeUndefined();
    expect(progress.steps.every(s => s.state === 'pending')).toBe(true);
  });

  it('reads the succeeded fixture (no spec) with every step done and a problem', () => {
    const progress = deriveCanaryProgress(
      loadFixture('flagger-canary-succeeded.yaml'),
    );
    expect(progress.activity).toBe('succeeded');
    expect(progress.revision.underAnalysis).toBe(false);
    expect(progress.steps.every(s => s.state === 'done')).toBe(true);
    expect(progress.skipAnalysis).toBe(true);
    expect(progress.problems.map(p => p.field)).toEqual(['spec']);
  });

  it.each([
    [{ stepWeight: 10, maxWeight: 30 }, ['0%', '10%', '20%', '30%', 'promote']],
    // Flagger caps at 100, not at maxWeight: 20 by 20 up to 50 ends at 60.
    [{ stepWeight: 20, maxWeight: 50 }, ['0%', '20%', '40%', '60%', 'promote']],
    [{ stepWeight: 25 }, ['0%', '25%', '50%', '75%', '100%', 'promote']],
    [
      { stepWeights: [1, 2, 10, 80] },
      ['0%', '1%', '2%', '10%', '80%', 'promote'],
    ],
    [
      { stepWeight: 5, maxWeight: 20, mirror: true },
      ['0%', 'mirror', '5%', '10%', '15%', '20%', 'promote'],
    ],
  ])('plans the steps of %j', (analysis, expected) => {
    expect(labels(withAnalysis(analysis))).toEqual(expected);
  });

  it('uses the last of stepWeights as the max weight', () => {
    const progress = deriveCanaryProgress(
      withAnalysis({ stepWeights: [5, 10, 60] }, { canaryWeight: 10 }),
    );
    expect(progress.maxWeight).toBe(60);
    expect(progress.steps[progress.currentStepIndex].label).toBe('10%');
  });

  it('marks the mirror step current while traffic is mirrored at weight 0', () => {
    const canary = withAnalysis(
      { stepWeight: 10, maxWeight: 30, mirror: true },
      { canaryWeight: 0 },
    );
    expect(
      deriveCanaryProgress(canary, { mirrored: true }).currentStepIndex,
    ).toBe(1);
    expect(
      deriveCanaryProgress(canary, { mirrored: false }).currentStepIndex,
    ).toBe(0);
  });

  it('counts blue/green iterations and the switch to the canary', () => {
    const progress = deriveCanaryProgress(
      withAnalysis({ iterations: 4 }, { canaryWeight: 0, iterations: 3 }),
    );
    expect(progress.strategy).toBe('blueGreen');
    expect(progress.iterations).toEqual({ current: 3, total: 4 });
    expect(progress.steps.map(s => s.label)).toEqual([
      '0%',
      '1/4',
      '2/4',
      '3/4',
      '4/4',
      '100%',
      'promote',
    ]);
    expect(progress.steps[progress.currentStepIndex].label).toBe('3/4');
    // 4/4, switch, promote, route back, scale down.
    expect(progress.remainingMs).toBe(5 * 15_000);
  });

  it('treats match with iterations as A/B testing', () => {
    const progress = deriveCanaryProgress(
      withAnalysis(
        {
          iterations: 2,
          match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
        },
        { canaryWeight: 0, iterations: 1 },
      ),
    );
    expect(progress.strategy).toBe('abTesting');
    expect(progress.steps.map(s => `${s.label}@${s.weight}`)).toEqual([
      '0%@0',
      '1/2@100',
      '2/2@100',
      'promote@0',
    ]);
    expect(progress.currentStepIndex).toBe(1);
  });

  it('runs blue/green for the kubernetes provider without iterations', () => {
    const progress = deriveCanaryProgress(
      withAnalysis({ stepWeight: 10 }, {}, { provider: 'kubernetes' }),
    );
    expect(progress.strategy).toBe('blueGreen');
    expect(progress.iterations?.total).toBe(10);
  });

  const gateHooks = [
    {
      name: 'ask-for-confirmation',
      type: 'confirm-rollout',
      url: 'http://flagger-loadtester.test/gate/check',
    },
    {
      name: 'traffic-gate',
      type: 'confirm-traffic-increase',
      url: 'http://flagger-loadtester.test/gate/check',
    },
    {
      name: 'promotion-gate',
      type: 'confirm-promotion',
      url: 'http://flagger-loadtester.test/gate/check',
    },
    {
      name: 'rollback',
      type: 'rollback',
      url: 'http://flagger-loadtester.test/rollback/check',
    },
  ];

  it.each([
    ['Waiting', 'ask-for-confirmation'],
    ['WaitingPromotion', 'promotion-gate'],
  ])('marks the gate Flagger waits on in phase %s', (phase, gate) => {
    const progress = deriveCanaryProgress(
      withAnalysis(
        { stepWeight: 10, maxWeight: 30, webhooks: gateHooks },
        { phase },
      ),
    );
    expect(progress.gates.filter(g => g.waiting).map(g => g.name)).toEqual([
      gate,
    ]);
    expect(progress.activity).toBe('waiting');
    expect(progress.remainingMs).toBeUndefined();
    expect(progress.gates.map(g => g.type)).toEqual([
      'confirm-rollout',
      'confirm-traffic-increase',
      'confirm-promotion',
      'rollback',
    ]);
  });

  it('reads a closed traffic-increase gate from the newest gate event', () => {
    const canary = withAnalysis(
      { stepWeight: 10, maxWeight: 30, webhooks: gateHooks },
      { phase: 'Progressing' },
    );
    const all = deriveCanaryEvents(loadEvents('podinfo.gates'));
    // Newest first: drop the events after "waiting for traffic increase approval".
    const halted = all.slice(
      all.findIndex(e => e.message.includes('traffic increase approval')),
    );
    const waiting = deriveCanaryProgress(canary, { events: halted });
    expect(waiting.gates.find(g => g.name === 'traffic-gate')?.waiting).toBe(
      true,
    );
    expect(waiting.activity).toBe('waiting');

    const passed = all.slice(
      all.findIndex(e => e.message.startsWith('Confirm-traffic-increase')),
    );
    expect(
      deriveCanaryProgress(canary, { events: passed }).gates.find(
        g => g.name === 'traffic-gate',
      )?.waiting,
    ).toBe(false);
  });

  it('estimates promotion time with stepWeightPromotion', () => {
    const progress = deriveCanaryProgress(
      withAnalysis(
        { stepWeight: 10, maxWeight: 50, stepWeightPromotion: 20 },
        { phase: 'Promoting', canaryWeight: 50 },
      ),
    );
    expect(progress.steps[progress.currentStepIndex].kind).toBe('promote');
    // 50 back to 0 by 20: three intervals, then scale down.
    expect(progress.remainingMs).toBe(4 * 15_000);
  });

  it('takes the weights from the mesh when Flagger has reset the status weight', () => {
    const canary = withAnalysis(
      { stepWeight: 5, maxWeight: 20 },
      { phase: 'WaitingPromotion', canaryWeight: 0 },
    );
    expect(deriveCanaryProgress(canary)).toMatchObject({
      canaryWeight: 0,
      primaryWeight: 100,
      weightSource: 'status',
    });
    const progress = deriveCanaryProgress(canary, {
      routedWeights: { primary: 80, canary: 20 },
    });
    expect(progress).toMatchObject({
      canaryWeight: 20,
      primaryWeight: 80,
      weightSource: 'routing',
    });
    expect(progress.steps[progress.currentStepIndex].kind).toBe('promote');
  });

  it.each<[string, unknown, string[]]>([
    ['a string status', 'broken', ['status']],
    ['no status', undefined, ['status']],
    [
      'a non-numeric weight',
      { phase: 'Progressing', canaryWeight: 'twenty' },
      ['status.canaryWeight'],
    ],
    ['a numeric phase', { phase: 3 }, ['status.phase']],
  ])('reports %s as a problem without throwing', (_, status, fields) => {
    const canary = clone(progressing);
    canary.status = status;
    const progress = deriveCanaryProgress(canary);
    expect(progress.problems.map(p => p.field)).toEqual(fields);
  });

  it('reports a canary without a target and a bad interval', () => {
    const canary = withAnalysis({ interval: 'soon', stepWeight: 10 });
    delete (canary.spec as Record<string, unknown>).targetRef;
    const progress = deriveCanaryProgress(canary);
    expect(progress.intervalMs).toBe(60_000);
    expect(progress.problems.map(p => p.field)).toEqual([
      'spec.targetRef',
      'spec.analysis.interval',
    ]);
  });

  it('reports an analysis that cannot advance', () => {
    const progress = deriveCanaryProgress(withAnalysis({ maxWeight: 30 }));
    expect(progress.problems.map(p => p.field)).toEqual([
      'spec.analysis.stepWeight',
    ]);
    expect(progress.steps.map(s => s.label)).toEqual(['0%', 'promote']);
  });
});
