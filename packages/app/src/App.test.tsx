import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('boots to the sign-in page offering guest access', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Everything is Code' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: { providers: { guest: {} } },
            techdocs: {
              storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
            },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    expect(
      await rendered.findByRole(
        'button',
        { name: 'Enter' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(rendered.getAllByText(/Everything is Code/).length).toBeGreaterThan(
      0,
    );
  }, 20_000);
});
