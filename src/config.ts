import path from 'node:path';
import { SUBGRAPHS, SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/definitions';

/**
 * All settings, read and validated once at start-up. Nothing else in the code base reads
 * process.env: processes receive their settings from here (and children inherit the env).
 */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  subgraphPorts: Record<SubgraphName, number>;
  subgraphUrls: Record<SubgraphName, string>;
  /** HMAC secret for the router → subgraph identity header. */
  internalSecret: string;
  /** HMAC secret for end-user JWTs (access and refresh). */
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Base URL used in links sent by email when the client gives no return_to. */
  publicUrl: string;
  logLevel: string;
  /** Trust X-Forwarded-For for the client IP (only behind a proxy you control). */
  trustProxy: boolean;
  /** Multiplies every auth rate-limit allowance (1 = exactly as documented). */
  authRateLimitFactor: number;
  /** Requests per minute of callers without a workspace tier (a tenant admin outside any workspace). */
  apiRateLimitPerMinute: number;
  /** 000_… "Track Event": pixel events per minute per client IP (calls without credentials). */
  pixelTrackRateLimitPerMinute: number;
  /** Request limits by tenant tier on GraphQL and every REST face; false only to measure their cost. */
  rateLimits: boolean;
  embeddedPostgresPort: number;
  /**
   * How often pg-boss looks for jobs whose process died while running them (a job active past its
   * expiry runs again) and archives old jobs; tests shorten it to see crash recovery at once.
   */
  jobsMaintenanceIntervalSeconds: number;
  /**
   * `usageUpdated` sends an organization's usage at once, then at most once per this interval (the
   * latest): dashboards stay current while a busy organization's subscribers cost a bounded rate.
   */
  liveUsageIntervalMs: number;
  /** Outgoing webhooks (subgraphs/tenancy/webhook/). */
  webhooks: WebhookSettings;
  /** The agents' model provider (subgraphs/agents/provider/). */
  agents: AgentSettings;
  /** Payment providers (subgraphs/billing/payment/). */
  payments: PaymentSettings;
  /** The file drive (subgraphs/entities/drive/). */
  drive: DriveSettings;
}

export interface PaymentSettings {
  /** The provider of tenants that chose none: `stripe` when STRIPE_SECRET_KEY is set, else `local`. */
  defaultProvider: 'local' | 'stripe';
  /** The installation's Stripe account; undefined: Stripe is unavailable. */
  stripe: { secretKey: string; webhookSecret: string | undefined; apiBase: string | undefined } | undefined;
}

function paymentSettings(env: NodeJS.ProcessEnv): PaymentSettings {
  const secretKey = env.STRIPE_SECRET_KEY || undefined;
  const apiBase = httpUrl(env, 'STRIPE_API_BASE');
  const stripe = secretKey ? { secretKey, webhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined, apiBase } : undefined;
  const chosen = env.PAYMENT_PROVIDER || (stripe ? 'stripe' : 'local');
  if (chosen !== 'local' && chosen !== 'stripe') throw new ConfigError(`PAYMENT_PROVIDER must be local or stripe, got "${chosen}"`);
  if (chosen === 'stripe' && !stripe) throw new ConfigError('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY');
  return { defaultProvider: chosen, stripe };
}

export interface DriveSettings {
  /** Largest single upload in bytes (the tenant's plan may allow less: its storage left). */
  maxUploadBytes: number;
  /** Where file bytes live: local disk under `DATA_DIR/drive`, or an S3-compatible store when S3_BUCKET is set. */
  s3: S3Settings | undefined;
}

export interface S3Settings {
  /** undefined: AWS's own endpoint for the region. */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`): MinIO and most self-hosted stores need them. */
  forcePathStyle: boolean;
}

function s3Settings(env: NodeJS.ProcessEnv): S3Settings | undefined {
  const bucket = env.S3_BUCKET || undefined;
  if (!bucket) return undefined;
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if (!accessKeyId !== !secretAccessKey) throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  return {
    endpoint: httpUrl(env, 'S3_ENDPOINT'),
    bucket,
    region: env.S3_REGION || 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
  };
}

export interface AgentSettings {
  /** An OpenAI-compatible server (OpenAI, vLLM, Ollama…); undefined with no key either: no provider, chat answers 503. */
  openaiBaseUrl: string | undefined;
  openaiApiKey: string | undefined;
  defaultModel: string;
  /** Whole-call timeout of one model request, streamed or not. */
  providerTimeoutMs: number;
  /** Micro-dollars per million tokens, per model: AGENT_MODEL_PRICES='{"gpt-4o-mini":{"input":150000,"output":600000}}'. */
  modelPrices: Record<string, { input: number; output: number }>;
  chatRateLimitPerMinute: number;
  /** MCP servers on plain http or private/loopback addresses (local development, tests). */
  mcpAllowPrivateNetworks: boolean;
  /** Tool-calling rounds per chat; then the model must answer without tools. */
  toolMaxSteps: number;
  /** Time budget of a chat's tool calls together (model calls excluded: they have providerTimeoutMs each). */
  toolLoopTimeoutMs: number;
  /** Timeout of one MCP request (connect, list or call). */
  toolCallTimeoutMs: number;
  /** External agent calls registered per minute per client IP (001 documents 120). */
  externalCallRateLimitPerMinute: number;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

function modelPrices(env: NodeJS.ProcessEnv): AgentSettings['modelPrices'] {
  const raw = env.AGENT_MODEL_PRICES;
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('AGENT_MODEL_PRICES must be JSON: {"model": {"input": microUsdPerMillionTokens, "output": ...}}');
  }
  const valid = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((p: any) => p && valid(p.input) && valid(p.output))) {
    throw new ConfigError('AGENT_MODEL_PRICES must map each model to {"input": n, "output": n}, integer micro-dollars per million tokens');
  }
  return parsed as AgentSettings['modelPrices'];
}

export interface WebhookSettings {
  /** Plain http and private/loopback targets (local development, tests); metadata addresses stay refused. */
  allowPrivateNetworks: boolean;
  /** Whole-attempt timeout: connect, headers and body. */
  timeoutMs: number;
  /** Seconds before each attempt (the first is usually 0); its length is the number of attempts. */
  retryScheduleSeconds: number[];
  /** After a secret rotation, how long deliveries are also signed with the old secret. */
  secretGraceSeconds: number;
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterSeconds: number;
}

const DEFAULT_WEBHOOK_RETRY_SCHEDULE = '0,5,300,1800,7200,18000,36000,36000';

function secondsList(env: NodeJS.ProcessEnv, name: string, fallback: string): number[] {
  const raw = env[name] || fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (!values.length || values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new ConfigError(`${name} must be comma-separated non-negative seconds, got "${raw}"`);
  }
  return values;
}

// The list itself lives in subgraphs/definitions.ts; re-exported for the kernel's users.
export { SUBGRAPH_NAMES, type SubgraphName };

export class ConfigError extends Error {}

const DEV_SECRET = 'dev-only-secret-change-me-in-production-0123456789';

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = 65535 * 1000): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function secret(env: NodeJS.ProcessEnv, name: string, production: boolean): string {
  const raw = env[name];
  if (!raw) {
    if (production) throw new ConfigError(`${name} is required when NODE_ENV=production`);
    return `${DEV_SECRET}-${name}`;
  }
  if (raw.length < 32) throw new ConfigError(`${name} must be at least 32 characters`);
  return raw;
}

// The gateway library reads LOG_LEVEL itself, so only levels both it and pino know are valid.
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

function logLevel(raw: string): string {
  if (!LOG_LEVELS.includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnvRaw = env.NODE_ENV || 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as Config['nodeEnv'];
  const production = nodeEnv === 'production';
  const port = int(env, 'PORT', 4000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const subgraphPorts = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, int(env, subgraph.portSetting, subgraph.defaultPort, 0, 65535)]),
  ) as Record<SubgraphName, number>;
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, env[subgraph.urlSetting] || `http://127.0.0.1:${subgraphPorts[subgraph.name]}/graphql`]),
  ) as Record<SubgraphName, string>;
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  return {
    nodeEnv,
    port,
    host,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    subgraphPorts,
    subgraphUrls,
    internalSecret: secret(env, 'INTERNAL_SECRET', production),
    jwtSecret: secret(env, 'JWT_SECRET', production),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, 1),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 24 * 3600, 1),
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'no-reply@localhost',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: logLevel(env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info')),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    authRateLimitFactor: num(env, 'AUTH_RATE_LIMIT_FACTOR', 1),
    apiRateLimitPerMinute: int(env, 'API_RATE_LIMIT_PER_MINUTE', 1000, 1),
    pixelTrackRateLimitPerMinute: int(env, 'PIXEL_TRACK_RATE_LIMIT_PER_MINUTE', 300, 1),
    rateLimits: bool(env, 'RATE_LIMITS', true),
    embeddedPostgresPort: int(env, 'EMBEDDED_POSTGRES_PORT', 5439, 1, 65535),
    jobsMaintenanceIntervalSeconds: int(env, 'JOBS_MAINTENANCE_INTERVAL_SECONDS', 120, 1, 3600),
    liveUsageIntervalMs: int(env, 'LIVE_USAGE_INTERVAL_MS', 500, 0, 1000),
    webhooks: {
      allowPrivateNetworks: bool(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 100, 60_000),
      retryScheduleSeconds: secondsList(env, 'WEBHOOK_RETRY_SCHEDULE', DEFAULT_WEBHOOK_RETRY_SCHEDULE),
      secretGraceSeconds: int(env, 'WEBHOOK_SECRET_GRACE_SECONDS', 24 * 3600, 0, 30 * 24 * 3600),
      disableAfterSeconds: int(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 24 * 3600, 1, 365 * 24 * 3600),
    },
    agents: {
      openaiBaseUrl: httpUrl(env, 'OPENAI_BASE_URL'),
      openaiApiKey: env.OPENAI_API_KEY || undefined,
      defaultModel: env.AGENT_DEFAULT_MODEL || 'gpt-4o-mini',
      providerTimeoutMs: int(env, 'AGENT_PROVIDER_TIMEOUT_MS', 60_000, 100, 600_000),
      modelPrices: modelPrices(env),
      chatRateLimitPerMinute: int(env, 'AGENT_CHAT_RATE_LIMIT_PER_MINUTE', 60, 1),
      mcpAllowPrivateNetworks: bool(env, 'AGENT_MCP_ALLOW_PRIVATE_NETWORKS', false),
      toolMaxSteps: int(env, 'AGENT_TOOL_MAX_STEPS', 8, 1, 50),
      toolLoopTimeoutMs: int(env, 'AGENT_TOOL_LOOP_TIMEOUT_MS', 120_000, 100, 3_600_000),
      toolCallTimeoutMs: int(env, 'AGENT_TOOL_CALL_TIMEOUT_MS', 30_000, 100, 600_000),
      externalCallRateLimitPerMinute: int(env, 'EXTERNAL_AGENT_CALL_RATE_LIMIT_PER_MINUTE', 120, 1),
    },
    payments: paymentSettings(env),
    drive: {
      maxUploadBytes: int(env, 'DRIVE_MAX_UPLOAD_BYTES', 512 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
      s3: s3Settings(env),
    },
  };
}

let cached: Config | undefined;

/** The process-wide configuration; exits with a clear message when a setting is invalid. */
export function config(): Config {
  if (!cached) {
    try {
      cached = loadConfig();
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`Invalid configuration: ${error.message}`);
        process.exit(1);
      }
      throw error;
    }
  }
  return cached;
}
