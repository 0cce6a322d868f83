import { defineErrors } from '../../src/errors';

/** The agents subgraph's own error codes. */
export const AgentsErrors = defineErrors({
  PROVIDER_NOT_CONFIGURED: {
    status: 503,
    message: 'No model provider is configured: set OPENAI_BASE_URL and/or OPENAI_API_KEY to enable agent chat',
  },
  USAGE_CHECK_UNAVAILABLE: { status: 503, message: 'Usage limits could not be checked with billing: try again shortly' },
  PROVIDER_FAILED: { status: 502, message: 'The model provider failed' },
  CONVERSATION_ENDED: { status: 409, message: 'This conversation has ended: start a new one to keep chatting' },
});
