import { EventRecorder } from '../../util/EventRecorder';
import { Canary } from '../model';

/**
 * The Events Flagger records on a Canary (pkg/controller/events.go): reason
 * `Synced`, component `flagger`.
 */
export class CanaryEvents {
  constructor(private readonly recorder: EventRecorder) {}

  info(cd: Canary, message: string): void {
    this.recorder.record(cd, 'Normal', 'Synced', message, 'flagger');
  }

  warn(cd: Canary, message: string): void {
    this.recorder.record(cd, 'Warning', 'Synced', message, 'flagger');
  }
}
