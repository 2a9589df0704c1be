import express from 'express';
import request from 'supertest';
import { entityViewShortcut } from './entityViewShortcut';

describe('entityViewShortcut', () => {
  const app = express();
  app.use(
    entityViewShortcut(async (_req, res, ref) => {
      res.json({ answeredBy: 'shortcut', ref });
    }),
  );
  // Stands for the OpenAPI router, which validates whatever the shortcut passes on.
  app.use((_req, res) => {
    res.json({ answeredBy: 'validator' });
  });
  const get = async (path: string) =>
    (await request(app).get(`/v1/entities/${path}`)).body;

  it('answers a well-formed view without a query itself', async () => {
    expect(await get('component/default/podinfo')).toEqual({
      answeredBy: 'shortcut',
      ref: { kind: 'component', namespace: 'default', name: 'podinfo' },
    });
  });

  it.each([
    ['a query', 'component/default/podinfo?x=1'],
    ['a name outside the pattern', 'component/default/not%20valid'],
    ['a kind outside the pattern', '1component/default/podinfo'],
    ['a name over the maximum length', `component/default/${'a'.repeat(254)}`],
    ['a longer path', 'component/default/podinfo/history'],
  ])('passes on %s to the validator', async (_what, path) => {
    expect(await get(path)).toEqual({ answeredBy: 'validator' });
  });
});
