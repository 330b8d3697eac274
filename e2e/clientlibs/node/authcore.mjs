// LobeChat 1.x's login: Auth.js (@auth/core 0.37.2, the version next-auth 5.0.0-beta.25 depends on,
// which LobeChat 1.85.8's package.json pins) with LobeChat's generic OIDC provider, behind a small
// HTTP server on loopback that plays the Next.js app.
//
// Environment: ISSUER, CLIENT_ID, CLIENT_SECRET. Prints "READY=<url>" once it listens.
// GET /start?login_hint=U starts a sign-in as LobeChat's sign-in button does (CSRF token, then POST
// /api/auth/signin/generic-oidc) and redirects the browser to the provider, with login_hint added as
// the scripted browser adds it to ssoctl's authorize URL. The login ends at /done (JSON: the user
// LobeChat's profile() built from the claims Auth.js handed it, and those claims) or /api/auth/error (JSON: the error Auth.js
// logged).
import http from 'node:http';

import { Auth } from '@auth/core';

const env = process.env;
let lastError = null;
let lastProfile = null;
let lastUser = null;

// LobeChat 1.x, src/libs/next-auth/sso-providers/generic-oidc.ts (lobehub/lobe-chat 6d0e254) with
// CommonProviderConfig (sso-providers/sso.config.ts): type oidc, checks state and pkce, scope
// "email openid profile", and its profile() mapping.
const genericOIDC = {
  allowDangerousEmailAccountLinking: true,
  authorization: { params: { scope: 'email openid profile' } },
  checks: ['state', 'pkce'],
  clientId: env.CLIENT_ID,
  clientSecret: env.CLIENT_SECRET,
  id: 'generic-oidc',
  issuer: env.ISSUER,
  name: 'Generic OIDC',
  profile(profile) {
    lastProfile = profile;
    lastUser = {
      email: profile.email,
      id: profile.sub,
      image: profile.picture,
      name: profile.name ?? profile.username ?? profile.email,
      providerAccountId: profile.sub,
    };
    return lastUser;
  },
  type: 'oidc',
};

// LobeChat 1.x, src/libs/next-auth/auth.config.ts (89c07f5): the jwt and session callbacks, trustHost,
// no database (JWT sessions, as without an adapter); next-auth's basePath /api/auth.
const config = {
  basePath: '/api/auth',
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) token.userId = user.id;
      return token;
    },
  },
  logger: {
    error(error) {
      const cause = error.cause?.err ?? error.cause;
      lastError = `${error.name ?? 'Error'}: ${error.message}${cause?.message ? ` (cause: ${cause.name ?? 'Error'}: ${cause.message})` : ''}`;
    },
    warn() {},
    debug() {},
  },
  providers: [genericOIDC],
  secret: 'ssoctl-clientlibs-test-secret-0123456789abcdef',
  trustHost: true,
};

const server = http.createServer(async (req, res) => {
  try {
    const base = `http://${req.headers.host}`;
    const url = new URL(req.url, base);
    if (url.pathname === '/start') return await start(url, base, res);
    if (url.pathname === '/done') return json(res, 200, { ok: true, user: lastUser, profile: lastProfile });
    if (url.pathname.startsWith('/api/auth/error')) {
      return json(res, 200, { ok: false, error: lastError ?? url.searchParams.get('error') });
    }
    if (url.pathname.startsWith('/api/auth/')) {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const response = await Auth(new Request(url, { method: req.method, headers: req.headers, body }), config);
      return send(res, response);
    }
    json(res, 404, { error: 'not found' });
  } catch (err) {
    json(res, 500, { ok: false, error: `harness: ${err.stack}` });
  }
});

// start does what LobeChat's sign-in button does in the browser (next-auth/react signIn): fetch the
// CSRF token, then POST the sign-in form; it hands the browser the cookies and the redirect.
async function start(url, base, res) {
  const csrf = await Auth(new Request(`${base}/api/auth/csrf`), config);
  const { csrfToken } = await csrf.json();
  const cookies = csrf.headers.getSetCookie();
  const form = new URLSearchParams({ csrfToken, callbackUrl: `${base}/done` });
  const signin = await Auth(new Request(`${base}/api/auth/signin/generic-oidc`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookies.map((c) => c.split(';')[0]).join('; '),
    },
    body: form.toString(),
  }), config);
  const location = new URL(signin.headers.get('location'), base);
  const hint = url.searchParams.get('login_hint');
  if (hint && location.origin !== new URL(base).origin) location.searchParams.set('login_hint', hint);
  res.writeHead(302, { location: location.toString(), 'set-cookie': [...cookies, ...signin.headers.getSetCookie()] });
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

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY=http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
