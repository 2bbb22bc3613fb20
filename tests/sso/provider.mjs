// A real OpenID Connect provider for the single sign-on tests: the npm package oidc-provider
// (package.json's devDependencies) run with the machine's node. tests/sso/conftest.py starts it
// on a free port with its settings as JSON in KAM_TEST_OP_CONFIG:
//   {port, issuer, client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//    id_token_ttl, accounts_file}
// The people are read from accounts_file (JSON) at every look-up, so a test changes a person's
// groups or switches them off by rewriting the file:
//   {"alice": {"sub": "...", "password": "...", "email": "...", "email_verified": true,
//              "given_name": "...", "family_name": "...", "groups": ["..."], "active": true}}
// Its sign-in page checks the username and password from that file; consent is implied (the
// app is the company's own), so a sign-in goes straight back to the app.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider, { interactionPolicy } from 'oidc-provider';

const config = JSON.parse(process.env.KAM_TEST_OP_CONFIG);

function people() {
  return JSON.parse(readFileSync(config.accounts_file, 'utf8'));
}

function findAccount(_ctx, sub) {
  const entry = Object.entries(people()).find(([, person]) => person.sub === sub);
  if (!entry || entry[1].active === false) {
    return undefined;
  }
  const [username, person] = entry;
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        email: person.email,
        email_verified: person.email_verified ?? true,
        given_name: person.given_name,
        family_name: person.family_name,
        preferred_username: username,
        groups: person.groups ?? [],
      };
    },
  };
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function formBody(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

// As a real provider does for a person switched off there: their open session no longer counts,
// so a silent sign-in (prompt=none) answers login_required.
const policy = interactionPolicy.base();
policy.get('login').checks.push(new interactionPolicy.Check(
  'account_switched_off',
  'the account is no longer active',
  'login_required',
  (ctx) => Boolean(ctx.oidc.session.accountId) && !ctx.oidc.account,
));

const provider = new Provider(config.issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      post_logout_redirect_uris: config.post_logout_redirect_uris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['kam-test-provider-cookie-key'] },
  findAccount,
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  ttl: {
    IdToken: config.id_token_ttl,
    AccessToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  // Every authorization request must carry a PKCE challenge (S256): the app always sends one.
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<p>You are signed out.</p>');
      },
    },
  },
  interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // The company's own app: no consent screen, every requested scope granted.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
});
provider.proxy = false;
provider.on('server_error', (_ctx, error) => console.error('server_error', error));

// The sign-in page (GET /interaction/:uid) and its form (POST /interaction/:uid).
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) {
    return next();
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = page('Test provider sign-in', `<form method="post" action="/interaction/${escape(details.uid)}">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>`);
    return undefined;
  }
  const body = await formBody(ctx.req);
  const person = people()[body.get('username')];
  if (!person || person.password !== body.get('password') || person.active === false) {
    ctx.status = 401;
    ctx.type = 'html';
    ctx.body = page('Test provider sign-in', '<p role="alert">Wrong username or password.</p>');
    return undefined;
  }
  ctx.respond = false;
  await provider.interactionFinished(ctx.req, ctx.res, {
    login: { accountId: person.sub },
  }, { mergeWithLastSubmission: false });
  return undefined;
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});
