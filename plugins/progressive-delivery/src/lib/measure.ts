// Measured values in words: the common package's formatting, shared with the notifications.
export type {
  BrokenBound,
  MeasureRange,
  MeasureUnit,
} from '@internal/plugin-progressive-delivery-common';
export {
  brokenBound,
  formatComparison,
  formatMeasure,
  formatNumber,
  formatRange,
  verdictOf,
} from '@internal/plugin-progressive-delivery-common';
