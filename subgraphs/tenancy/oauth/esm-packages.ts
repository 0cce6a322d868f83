import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };

// jose and openid-client ship as ES modules only. Node 20.20 require()s ES modules without
// top-level await, which TypeScript's node16 CommonJS mode does not model: load them here, typed.
export const jose: typeof Jose = require('jose');
export const oidc: typeof OpenIdClient = require('openid-client');
