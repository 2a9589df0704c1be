import { TargetName } from '../backendConfig';
import { Bench } from '../Bench';
import { BenchOptions } from '../options';
import {
  GROWTH_FACTORS,
  GrowthPoint,
  GrowthResult,
  growthFigures,
} from './growthFigures';

/**
 * Runs ours (and, with `growthPeer`, the peer) at 1x, 2x and 4x `growthCanaries` canaries per
 * cluster, each size with its own simulator and backend, the way the side-by-side run measures
 * them (cold start, live heap when ready, the load, change propagation), without the streams
 * phase and the analysis window, which do not depend on the object count.
 */
export async function runGrowth(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<GrowthResult> {
  const targets: TargetName[] = options.growthPeer
    ? ['ours', 'peer']
    : ['ours'];
  const points: GrowthPoint[] = [];
  for (const factor of GROWTH_FACTORS) {
    const canaries = options.growthCanaries * factor;
    log(
      `growth ${factor}x: ${options.clusters} clusters x ${canaries} canaries`,
    );
    const results = await new Bench(
      {
        ...options,
        canaries,
        targets,
        streams: 0,
        analysisCanaries: 0,
        growth: false,
        growthOnly: false,
        profileDir: undefined,
      },
      line => log(`growth ${factor}x: ${line}`),
    ).run();
    points.push({
      factor,
      clusters: options.clusters,
      canariesPerCluster: canaries,
      clusterObjects: results.params.clusterObjects,
      ...(results.ours ? { ours: growthFigures(results.ours) } : {}),
      ...(results.peer ? { peer: growthFigures(results.peer) } : {}),
    });
  }
  return { points };
}
