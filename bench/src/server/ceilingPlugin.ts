import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

/**
 * The ceiling: an endpoint that does no work but answer a fixed body (a real entity state
 * captured from our plugin, so the bytes on the wire match; gzip-compressed once for clients
 * that take it), behind the same auth middleware.
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
        // Compressed once, as ours keeps its bodies: the ceiling does no work per request.
        const gzipped = gzipSync(body);
        httpRouter.use((req, res, next) => {
          if (req.method !== 'GET' || !req.path.startsWith('/state/')) {
            next();
            return;
          }
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.setHeader('Vary', 'Accept-Encoding');
          if (
            req.headers['accept-encoding'] &&
            req.acceptsEncodings('gzip', 'identity') === 'gzip'
          ) {
            res.setHeader('Content-Encoding', 'gzip');
            res.end(gzipped);
          } else {
            res.end(body);
          }
        });
      },
    });
  },
});
