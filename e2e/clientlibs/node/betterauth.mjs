// LobeHub 2.x's login: Better Auth 1.6.22 (lobehub/lobehub 2.2.19 at 0015eda pins "better-auth": "1.6.22"
// in package.json overrides, as pkg/app/client_lobechat.go cites)
// with the generic OAuth plugin configured as LobeHub configures its generic OIDC provider, behind a
// small HTTP server on loopback that plays the Next.js app. The database is Better Auth's memory
// adapter in place of LobeHub's Postgres (drizzle); the OAuth client does not depend on it.
//
// Environment: ISSUER, CLIENT_ID, CLIENT_SECRET. Prints "READY=<url>" once it listens.
// GET /start?login_hint=U starts a sign-in as LobeHub's sign-in button does (authClient.signIn.oauth2:
// POST /api/auth/sign-in/oauth2) and redirects the browser to the provider, with login_hint added as
// the scripted browser adds it to ssoctl's authorize URL. The login ends at /done (JSON: the user and
// account Better Auth created) or /auth-error (JSON: the error it logged).
import http from 'node:http';

import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { genericOAuth } from 'better-auth/plugins';

const env = process.env;
let lastError = null;
let lastProfile = null;
let lastUser = null;
let lastAccount = null;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// LobeHub 2.x, src/libs/better-auth/sso/helpers.ts buildOidcConfig (lobehub/lobe-chat 3e5e61e): the
// discovery URL is the issuer without a trailing slash + /.well-known/openid-configuration, PKCE on,
// scopes openid email profile; sso/providers/generic-oidc.ts (938ff1d): provider id generic-oidc and
// mapProfileToUser's name fallback. No `authentication` option: Better Auth's default client auth.
const issuer = env.ISSUER.replace(/\/$/, '');
const genericOIDC = {
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  discoveryUrl: issuer.includes('/.well-known/') ? issuer : `${issuer}/.well-known/openid-configuration`,
  pkce: true,
  providerId: 'generic-oidc',
  scopes: ['openid', 'email', 'profile'],
  mapProfileToUser: (profile) => {
    lastProfile = profile;
    return { name: profile.name ?? profile.username ?? profile.email ?? profile.id };
  },
};

// LobeHub 2.x, src/libs/better-auth/define-config.ts (6339e31): account linking, onAPIError's
// errorURL, the username field; the generic OAuth plugin with the providers above.
const auth = betterAuth({
  account: { accountLinking: { allowDifferentEmails: true, enabled: true, trustedProviders: ['generic-oidc'] } },
  baseURL: base,
  secret: 'ssoctl-clientlibs-test-secret-0123456789abcdef',
  database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
  onAPIError: { errorURL: `${base}/auth-error` },
  user: { additionalFields: { username: { required: false, type: 'string' } } },
  databaseHooks: {
    user: { create: { after: async (user) => { lastUser = user; } } },
    account: { create: { after: async (account) => { lastAccount = account; } } },
  },
  logger: {
    log(level, message, ...args) {
      if (level !== 'error') return;
      const err = args.find((a) => a instanceof Error) ?? args[0];
      const detail = err === undefined ? '' : (err?.message ?? JSON.stringify(err));
      lastError = [message, detail].filter(Boolean).join(': ');
    },
  },
  plugins: [genericOAuth({ config: [genericOIDC] })],
});

server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, base);
    if (url.pathname === '/start') return await start(url, res);
    if (url.pathname === '/done') {
      return json(res, 200, { ok: true, user: { ...lastUser, accountId: lastAccount?.accountId }, profile: lastProfile });
    }
    if (url.pathname === '/auth-error' || url.pathname === '/api/auth/error') {
      return json(res, 200, { ok: false, error: `${url.searchParams.get('error')}${lastError ? ` (${lastError})` : ''}` });
    }
    if (url.pathname.startsWith('/api/auth/')) {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      return send(res, await auth.handler(new Request(url, { method: req.method, headers: req.headers, body })));
    }
    json(res, 404, { error: 'not found' });
  } catch (err) {
    json(res, 500, { ok: false, error: `harness: ${err.stack}` });
  }
});

// start does what LobeHub's sign-in button does in the browser: POST /api/auth/sign-in/oauth2 and
// follow the URL it answers, keeping its cookies.
async function start(url, res) {
  const signin = await auth.handler(new Request(`${base}/api/auth/sign-in/oauth2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ providerId: 'generic-oidc', callbackURL: `${base}/done`, errorCallbackURL: `${base}/auth-error` }),
  }));
  const answer = await signin.json();
  if (!answer.url) return json(res, 200, { ok: false, error: `sign-in answered ${signin.status}: ${JSON.stringify(answer)}` });
  const location = new URL(answer.url);
  const hint = url.searchParams.get('login_hint');
  if (hint) location.searchParams.set('login_hint', hint);
  res.writeHead(302, { location: location.toString(), 'set-cookie': signin.headers.getSetCookie() });
  res.end();
}

async function send(res, response) {
  const headers = {};
  for (const [k, v] of response.headers) if (k !== 'set-cookie') headers[k] = v;
  headers['set-cookie'] = response.headers.getSetCookie();
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

process.stdout.write(`READY=${base}\n`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
