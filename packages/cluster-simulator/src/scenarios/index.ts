import { demoScenario } from './demo';
import { emptyScenario, scaleScenario } from './scale';
import { Scenario } from './types';

export type { Scenario, ScenarioResult } from './types';

export function scenarioByName(
  name: string,
  sizes: { clusters?: number; canaries?: number },
): Scenario {
  switch (name) {
    case 'demo':
      return demoScenario();
    case 'scale':
      return scaleScenario(sizes.clusters ?? 1, sizes.canaries ?? 100);
    case 'empty':
      return emptyScenario(sizes.clusters ?? 1);
    default:
      throw new Error(`unknown scenario "${name}" (demo, scale or empty)`);
  }
}
