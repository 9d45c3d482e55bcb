// A typed Sluice client: openapi-fetch over the types openapi-typescript generates from /q/openapi
// (src/schema.d.ts). Every call is checked against the document: paths, parameters, bodies, answers.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

export function sluice(baseUrl: string) {
  let accessToken: string | undefined;
  const bearer: Middleware = {
    onRequest({ request }) {
      if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`);
      return request;
    },
  };
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, '') });
  client.use(bearer);
  return {
    client,
    /** Logs in and keeps the access token for the calls that follow. */
    async login(email: string, password: string) {
      const { data, error, response } = await client.POST('/api/auth/login', { body: { email, password } });
      if (!data) throw new Error(`login: ${response.status} ${JSON.stringify(error)}`);
      accessToken = data.accessToken;
      return data;
    },
  };
}
