import { SimulatorOptions } from '@internal/cluster-simulator';

/** The demo scenario over plain HTTP on a random port, its clock moved by the test. */
export const DEMO_SIMULATOR: SimulatorOptions = {
  scenario: 'demo',
  port: 0,
  http: true,
  clock: 'virtual',
};
