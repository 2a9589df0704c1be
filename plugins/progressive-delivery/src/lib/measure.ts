// Measured values in words: the common package's formatting, shared with the notifications.
export type {
  BrokenBound,
  MeasureRange,
  MeasureUnit,
} from '@progressive-delivery/plugin-progressive-delivery-common';
export {
  brokenBound,
  formatComparison,
  formatMeasure,
  formatNumber,
  formatRange,
  verdictOf,
} from '@progressive-delivery/plugin-progressive-delivery-common';
