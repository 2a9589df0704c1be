import { ConfigReader } from '@backstage/config';
import { readNotifyConfig } from './NotifyConfig';

describe('readNotifyConfig', () => {
  it('notifies by default, without successes, with links relative to the app', () => {
    expect(readNotifyConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      onSuccess: false,
      appBaseUrl: '',
    });
  });

  it('reads the switches and app.baseUrl without its trailing slash', () => {
    expect(
      readNotifyConfig(
        new ConfigReader({
          app: { baseUrl: 'https://backstage.example.com/portal/' },
          progressiveDelivery: {
            notifications: { enabled: false, onSuccess: true },
          },
        }),
      ),
    ).toEqual({
      enabled: false,
      onSuccess: true,
      appBaseUrl: 'https://backstage.example.com/portal',
    });
  });

  it('names the key that is wrong', () => {
    expect(() =>
      readNotifyConfig(
        new ConfigReader({
          progressiveDelivery: { notifications: { enabled: 'yes please' } },
        }),
      ),
    ).toThrow(/progressiveDelivery\.notifications\.enabled/);
    expect(() =>
      readNotifyConfig(
        new ConfigReader({ app: { baseUrl: 'localhost:3000' } }),
      ),
    ).toThrow(
      'app.baseUrl must be an http(s) URL for the links in progressive-delivery notifications, got localhost:3000',
    );
  });
});
