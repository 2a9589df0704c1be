const structure = require('../../eslint.structure.js');

// The layers import one way: clusters/ <- watch/ <- resolve/ <- state/, actions/, history/, analysis/ <- router/,
// tools/ and the composition root (plugin.ts, ProgressiveDeliveryBackend.ts, config.ts); notify/
// reads history/ and is read only by the composition root.
const ROOT = [
  './src/plugin.ts',
  './src/ProgressiveDeliveryBackend.ts',
  './src/config.ts',
];
const ABOVE_WATCH = [
  'resolve',
  'state',
  'actions',
  'history',
  'analysis',
  'router',
  'tools',
  'notify',
];
const ABOVE = {
  // Where clusters come from and how they sign in: the lowest layer.
  clusters: ['watch', ...ABOVE_WATCH],
  watch: ABOVE_WATCH,
  resolve: [
    'state',
    'actions',
    'history',
    'analysis',
    'router',
    'tools',
    'notify',
  ],
  state: ['actions', 'history', 'analysis', 'router', 'tools', 'notify'],
  actions: ['state', 'history', 'analysis', 'router', 'tools', 'notify'],
  history: ['state', 'actions', 'analysis', 'router', 'tools', 'notify'],
  analysis: ['state', 'actions', 'history', 'router', 'tools', 'notify'],
  router: ['tools'],
  // The tools for agents (actions registry), beside the HTTP API.
  tools: ['router'],
  // Owner notifications read the rollout history (their ledger lives beside it).
  notify: ['state', 'actions', 'analysis', 'router', 'tools'],
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
