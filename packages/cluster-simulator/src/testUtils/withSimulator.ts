import { Simulator, SimulatorOptions, startSimulator } from '../Simulator';

/** Runs `test` against a started simulator (plain HTTP) and always stops it. */
export async function withSimulator(
  options: Omit<SimulatorOptions, 'http'>,
  test: (sim: Simulator) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator({ ...options, http: true });
  try {
    await test(sim);
  } finally {
    await sim.stop();
  }
}
