import { startFakeOpenAi } from '../test/helpers/fake-openai';
import { STREAM_MODEL, STREAM_TOKENS, TOKEN_INTERVAL_MS } from './streaming';

/**
 * The bench's model provider, in a process of its own as a real provider is: sharing the bench's
 * process, it would be slowed by the client's own work (reading the streams it produces). Tells
 * its parent its base URL, then serves until the parent goes.
 */
async function main(): Promise<void> {
  const provider = await startFakeOpenAi();
  const tokens = Array.from({ length: STREAM_TOKENS }, (_, i) => ` t${i}`);
  provider.script(STREAM_MODEL, { tokens, usage: { prompt_tokens: 8, completion_tokens: STREAM_TOKENS }, gate: () => new Promise((resolve) => setTimeout(resolve, TOKEN_INTERVAL_MS)) });
  process.send!({ baseUrl: provider.baseUrl });
  process.on('disconnect', () => void provider.close().finally(() => process.exit(0)));
}

void main();
