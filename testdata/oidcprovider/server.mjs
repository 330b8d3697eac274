// A real, OpenID Certified provider (npm oidc-provider) on loopback for ssoctl's login tests.
//
// It listens on 127.0.0.1, port $PORT or a free one, and prints one line "ISSUER=<url>" on stdout once
// it accepts connections. It exits on SIGINT/SIGTERM.
//
// Interactions need no page: an authorize request with login_hint=<known user> logs that user in and
// grants the requested scopes at once; login_hint=deny finishes with access_denied. Without a hint a
// minimal username/password form is served (password: "password"), for form-posting browsers.
//
// Environment:
//   PORT                    port to listen on (default 0: a free port)
//   CONFORM_ID_TOKEN_CLAIMS "false" puts profile/email/groups claims into the ID token as well
//                           (real providers differ; the default follows the spec: userinfo only)
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

// Clients. Loopback redirect URIs without a port match any port (RFC 8252 §7.3, native clients).
const redirectURIs = ['http://127.0.0.1/callback', 'http://localhost/callback', 'http://[::1]/callback'];
const clients = [
  {
    client_id: 'public-client',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: redirectURIs,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  },
  {
    client_id: 'confidential-client',
    client_secret: 'confidential-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: redirectURIs,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  },
  {
    // ID tokens signed with HS256 keyed with the client secret (OIDC Core §10.1).
    client_id: 'hs256-client',
    client_secret: 'hs256-secret-that-is-at-least-32-bytes-long',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'HS256',
    redirect_uris: redirectURIs,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  },
];

// Users. "department" is the custom claim; groups use the path form Keycloak and authentik send.
const users = {
  alice: {
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    preferred_username: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    groups: ['/inventree/admins', 'staff'],
    department: 'Engineering',
  },
  bob: {
    name: 'Bob Builder',
    preferred_username: 'bob',
    email: 'bob@example.org',
    email_verified: false,
    groups: ['users'],
    department: 'Construction',
  },
  // The doctor's faults in the account store, one per user: groups as a single string (a Keycloak
  // group mapper without "Multivalued"), a user in no group, a user without a groups attribute.
  carol: {
    name: 'Carol Danvers',
    preferred_username: 'carol',
    email: 'carol@example.com',
    email_verified: true,
    groups: '/inventree/admins',
  },
  dave: {
    name: 'Dave Null',
    preferred_username: 'dave',
    email: 'dave@example.com',
    email_verified: true,
    groups: [],
  },
  erin: {
    name: 'Erin Absent',
    preferred_username: 'erin',
    email: 'erin@example.com',
    email_verified: true,
  },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `test-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups', 'department'],
  },
  conformIdTokenClaims: process.env.CONFORM_ID_TOKEN_CLAIMS !== 'false',
  pkce: { required: () => true },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...user }) };
  },
  // A plain page, without the default's inline styles, so a test browser can read it.
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>error</title><h1>${escape(out.error)}</h1><p>${escape(out.error_description ?? '')}</p>`;
  },
});

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// grantAll logs accountId in and grants everything the authorize request asked for.
async function grantAll(req, res, details, accountId) {
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

function form(res, uid, message) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><title>Sign in</title><p>${escape(message ?? '')}</p>
<form method="post" action="/interaction/${uid}/login">
<input name="username"><input name="password" type="password"><button>Sign in</button></form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const hint = details.params.login_hint;
  if (req.method === 'POST' && req.url.endsWith('/login')) {
    const f = await readForm(req);
    if (users[f.get('username')] && f.get('password') === 'password') {
      return grantAll(req, res, details, f.get('username'));
    }
    return form(res, details.uid, 'wrong username or password');
  }
  if (hint === 'deny') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user refused the request' }, { mergeWithLastSubmission: false });
  }
  if (users[hint]) {
    return grantAll(req, res, details, hint);
  }
  return form(res, details.uid);
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${err.message}\n`);
    });
    return;
  }
  callback(req, res);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}

process.stdout.write(`ISSUER=${issuer}\n`);
