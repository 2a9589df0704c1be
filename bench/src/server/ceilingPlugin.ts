import fs from 'node:fs';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

/**
 * The ceiling: an endpoint that does no work but answer a fixed body (a real entity state
 * captured from our plugin, so the bytes on the wire match), behind the same auth middleware.
 */
export const ceilingPlugin = createBackendPlugin({
  pluginId: 'bench-ceiling',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, httpRouter }) {
        const file = config.getOptionalString('bench.ceilingBodyFile');
        const body = file
          ? fs.readFileSync(file, 'utf8')
          : JSON.stringify({ state: 'fixed' });
        httpRouter.use((req, res, next) => {
          if (req.method !== 'GET' || !req.path.startsWith('/state/')) {
            next();
            return;
          }
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(body);
        });
      },
    });
  },
});
