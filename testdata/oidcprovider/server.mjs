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
//   PKCE_REQUIRED           "false" lets every client log in without PKCE (default: required, as
//                           oidc-provider and Kanidm do); PKCE_OPTIONAL_CLIENTS="a,b" only those
//   EXTRA_CLIENTS           a JSON array of more client metadata (e.g. an app's own redirect URIs);
//                           an id_token_signed_response_alg one names (HS512, say) is enabled too
//   STRICT_CLIENT_AUTH      "false" lets a client authenticate at the token endpoint with either the
//                           Authorization header or the form body, as oidc-provider does by itself; by
//                           default only the registered token_endpoint_auth_method is accepted, as ORY
//                           Hydra does (so post-client refuses HTTP Basic and the others the form body)
//   EXTRA_USERS             a JSON object of more users, {"id": {claims…}}, merged over the fixed table
//
// Request log: GET /_log (optionally ?client_id=X) returns, as a JSON array, what each client sent to the
// authorization, token and userinfo endpoints: the parameters (a client_secret only as "present"), the
// client authentication used ("client_secret_basic", "client_secret_post" or "none") and the error
// answered, if any. Tests compare what ssoctl's rehearsal sent with what an app's real client sent.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const env = process.env;

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
  {
    // Registered for the form-body secret only, as ORY Hydra and Keycloak let an admin register it.
    client_id: 'post-client',
    client_secret: 'post-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: redirectURIs,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  },
  {
    // ID tokens signed with ES256, Kanidm's default.
    client_id: 'es256-client',
    client_secret: 'es256-secret',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
    redirect_uris: redirectURIs,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  },
  ...JSON.parse(env.EXTRA_CLIENTS || '[]'),
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
  ...JSON.parse(env.EXTRA_USERS || '{}'),
};

// The keys are generated as PEM text and exported to JWK from a key object of their own. Exporting the
// key object generateKeyPairSync returns can deadlock Node 20 (seen on v20.20.2, about 1 start in 40
// under load): ExportJWKEcKey holds the key's mutex while it allocates, a GC then runs the finished
// key-generation job's destructor, which takes the same mutex (gdb: ~KeyGenJob under
// KeyObjectHandle::ExportJWK). A key made by createPrivateKey shares no mutex with that job.
const pem = { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } };
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048, ...pem }).privateKey;
const jwk = { ...createPrivateKey(rsaPem).export({ format: 'jwk' }), kid: `test-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256', ...pem }).privateKey;
const ecJwk = { ...createPrivateKey(ecPem).export({ format: 'jwk' }), kid: `test-ec-${randomBytes(4).toString('hex')}`, alg: 'ES256', use: 'sig' };
const pkceOptional = new Set((env.PKCE_OPTIONAL_CLIENTS || '').split(',').filter(Boolean));

const server = http.createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk, ecJwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups', 'department'],
  },
  conformIdTokenClaims: process.env.CONFORM_ID_TOKEN_CLAIMS !== 'false',
  pkce: { required: (ctx, client) => env.PKCE_REQUIRED !== 'false' && !pkceOptional.has(client.clientId) },
  enabledJWA: { idTokenSigningAlgValues: [...new Set(['RS256', 'ES256', 'HS256', ...clients.map((c) => c.id_token_signed_response_alg).filter(Boolean)])] },
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

// The registered client authentication method, and only it (see STRICT_CLIENT_AUTH).
provider.use(async (ctx, next) => {
  if (env.STRICT_CLIENT_AUTH !== 'false' && ctx.method === 'POST' && ctx.path === '/token') {
    const header = ctx.headers.authorization ?? '';
    let used, id;
    if (/^basic /i.test(header)) {
      used = 'client_secret_basic';
      id = decodeURIComponent(Buffer.from(header.slice(6), 'base64').toString().split(':')[0]);
    } else {
      const form = new URLSearchParams(await peekBody(ctx));
      if (form.has('client_secret')) used = 'client_secret_post';
      id = form.get('client_id');
    }
    const registered = clients.find((c) => c.client_id === id)?.token_endpoint_auth_method;
    if (used && registered && used !== registered) {
      ctx.status = 401;
      ctx.body = { error: 'invalid_client', error_description: `the client is registered for ${registered}, not ${used}` };
      ctx.state.oidcError = ctx.body;
      ctx._matchedRouteName = 'token';
      logRequest(ctx, Object.fromEntries(new URLSearchParams(await peekBody(ctx))));
      return;
    }
  }
  await next();
});

// peekBody reads a form body once and leaves it as req.body, which oidc-provider then parses in place of
// the consumed stream (it warns once that an upstream parser ran).
async function peekBody(ctx) {
  if (ctx.req.body === undefined) {
    let body = '';
    for await (const chunk of ctx.req) {
      body += chunk;
      if (body.length > 64 * 1024) break;
    }
    ctx.req.body = body;
  }
  return ctx.req.body;
}

// The request log (see the top of this file).
const requestLog = [];
const logged = { authorization: true, token: true, userinfo: true };
provider.use(async (ctx, next) => {
  await next();
  if (logged[ctx._matchedRouteName]) logRequest(ctx, ctx.method === 'POST' ? ctx.oidc?.body : ctx.query);
});
function logRequest(ctx, sent) {
  const route = ctx._matchedRouteName;
  const params = { ...sent };
  let auth = 'none';
  if (/^basic /i.test(ctx.headers.authorization ?? '')) auth = 'client_secret_basic';
  else if (params.client_secret !== undefined) auth = 'client_secret_post';
  if (params.client_secret !== undefined) params.client_secret = 'present';
  if (route === 'userinfo') auth = undefined;
  let clientId = ctx.oidc?.client?.clientId ?? params.client_id;
  if (!clientId && auth === 'client_secret_basic') {
    clientId = decodeURIComponent(Buffer.from(ctx.headers.authorization.slice(6), 'base64').toString().split(':')[0]);
  }
  const err = ctx.state.oidcError;
  requestLog.push({ endpoint: route, method: ctx.method, clientId, auth, params, status: ctx.status, error: err?.error, errorDescription: err?.error_description });
}
for (const event of ['authorization.error', 'grant.error', 'userinfo.error']) {
  provider.on(event, (ctx, err) => { ctx.state.oidcError = err; });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url === '/_log' || req.url.startsWith('/_log?')) {
    const want = new URL(req.url, issuer).searchParams.get('client_id');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(want ? requestLog.filter((r) => r.clientId === want) : requestLog));
    return;
  }
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
