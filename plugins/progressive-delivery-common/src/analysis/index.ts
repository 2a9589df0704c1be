export * from './analysisQueries';
export type { FlaggerObserver } from './builtinQueries';
export {
  FLAGGER_DEFAULT_MESH_PROVIDER,
  FLAGGER_DEFAULT_METRICS_SERVER,
  flaggerMetricsProvider,
  flaggerObserver,
} from './builtinQueries';
export type {
  FlaggerTemplateError,
  FlaggerTemplateModel,
  ParsedFlaggerTemplate,
} from './goTemplate';
export {
  collapsePromQLWhitespace,
  executeFlaggerTemplate,
  parseFlaggerTemplate,
  renderFlaggerTemplate,
} from './goTemplate';
export type { AnalysisThresholdRange, AnalysisVerdict } from './thresholds';
export { judge } from './thresholds';
export * from './describeMeasure';
