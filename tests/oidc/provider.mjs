// A real OpenID Connect provider for the organisation sign-in tests
// (tests/e2e/test_oidc_signin.py): panva's oidc-provider (OpenID Certified),
// pinned in package.json / package-lock.json, installed by
// `scripts/setup.sh --dev` into tests/oidc/node_modules.
//
//     node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json (written by the test):
//   {"port": 43123,                                  listens on 127.0.0.1 only
//    "clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//    "accounts": {"<login>": {"password": "...", "id_token_ttl": 5,   (seconds; optional)
//                             "claims": {"email": ..., "email_verified": true, "name": ..., "groups": [...]}}},
//    "id_token_ttl": 600}
//
// The login page is a devInteractions-style form of our own (login and
// password, checked against the accounts); consent is implied (the dashboard
// is a first-party client); `prompt=select_account`, which st.login sends,
// is accepted and answered by that same form. The claims asked for by the
// scopes (email, profile, groups) are put in the ID token itself, as Keycloak
// or Entra ID do, because Streamlit reads the identity from the ID token.
// Sign-out (RP-initiated logout, which st.logout uses) ends the provider's
// session without a confirmation page. Prints "ready <issuer>" once listening.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...c,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...account.claims }; } };
  },
  // consent is implied for these first-party clients: a grant of what was asked
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    const claims = ctx.oidc.requestParamClaims;
    if (claims && claims.size) grant.addOIDCClaims([...claims]);
    await grant.save();
    return grant;
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><head><title>Signing out</title></head><body>${form}
<script>const f = document.getElementById('op.logoutForm');
const yes = document.createElement('input'); yes.type = 'hidden'; yes.name = 'logout'; yes.value = 'yes';
f.appendChild(yes); f.submit();</script></body></html>`;
      },
    },
  },
  pkce: { required: () => true },
  ttl: {
    IdToken(ctx) {
      const id = ctx?.oidc?.account?.accountId;
      return (id && accounts[id]?.id_token_ttl) || config.id_token_ttl || 600;
    },
    AccessToken: 600,
    AuthorizationCode: 60,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
  },
});

function loginPage(uid, message) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Test organisation: sign in</title></head>
<body><h1>Test organisation</h1>${message ? `<p role="alert">${esc(message)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
<label>Login <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url);
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== match[1]) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(details.uid));
    return;
  }
  const form = await readForm(req);
  const login = form.get('login') || '';
  const account = accounts[login];
  const given = Buffer.from(form.get('password') || '');
  const expected = Buffer.from(account ? account.password : '');
  if (!account || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(details.uid, 'Wrong login or password.'));
    return;
  }
  await provider.interactionFinished(req, res, { login: { accountId: login }, select_account: {} },
    { mergeWithLastSubmission: false });
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${error.message}`);
    });
    return;
  }
  handle(req, res);
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
server.listen(config.port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
