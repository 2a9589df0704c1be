const structure = require('../../eslint.structure.js');

// The layers import one way: watch/ <- resolve/ <- state/, actions/, history/, analysis/ <- router/,
// tools/ and the composition root (plugin.ts, ProgressiveDeliveryBackend.ts, config.ts).
const ROOT = [
  './src/plugin.ts',
  './src/ProgressiveDeliveryBackend.ts',
  './src/config.ts',
];
const ABOVE = {
  watch: [
    'resolve',
    'state',
    'actions',
    'history',
    'analysis',
    'router',
    'tools',
  ],
  resolve: ['state', 'actions', 'history', 'analysis', 'router', 'tools'],
  state: ['actions', 'history', 'analysis', 'router', 'tools'],
  actions: ['state', 'history', 'analysis', 'router', 'tools'],
  history: ['state', 'actions', 'analysis', 'router', 'tools'],
  analysis: ['state', 'actions', 'history', 'router', 'tools'],
  router: ['tools'],
  // The tools for agents (actions registry), beside the HTTP API.
  tools: ['router'],
};
const zones = Object.entries(ABOVE).map(([layer, above]) => ({
  target: `./src/${layer}`,
  from: [...above.map(other => `./src/${other}`), ...ROOT],
  message: `${layer}/ must not import a layer above it (see the README, Layout)`,
}));

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  ...structure,
  // The zones need imports resolved to files, TypeScript ones included.
  settings: {
    'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
  },
  rules: {
    ...structure.rules,
    'import/no-restricted-paths': ['error', { basePath: __dirname, zones }],
  },
});
