import { Arg, Ctx, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { VALIDATED_ELSEWHERE } from '../../../src/federation/input-validation';
import { DomainError } from '../../../src/errors';
import { requireUser, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import type { CompletionService } from './completion.service';
import { AiCompletion, AiCompletionInput } from './completion.types';

/** Completions for the signed-in end user: whole (mutation) or streamed (subscription; REST SSE rides on it). */
export function createCompletionResolvers(completions: CompletionService) {
  const callerOf = (identity: SubgraphContext['identity']) => {
    const { tenantId, userId } = requireUser(identity);
    return { tenantId, userId, identity };
  };

  @Resolver()
  class CompletionResolver {
    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => AiCompletion, { description: 'A model completion in the OpenAI chat.completion format; metered like a chat (402 when usage is exhausted, 503 with no provider)' })
    createAiCompletion(@Arg('input') input: AiCompletionInput, @Ctx() { identity }: SubgraphContext): Promise<AiCompletion> {
      return completions.complete(callerOf(identity), input);
    }

    @RequiresScopes(SELF_SCOPE)
    @Subscription(() => AiCompletion, {
      description:
        'A streamed model completion: chat.completion.chunk items as the provider sends tokens; the last has finish_reason and usage, or error. ' +
        'A refusal (validation, no provider, usage exhausted) is a single item whose error has type "refused", its code and status',
      // The gateway masks the errors of subscription events, so refusals travel as data.
      subscribe: async ({ args, context }) => {
        try {
          return await completions.open(callerOf((context as SubgraphContext).identity), args.input);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          const refusal = completions.refusal(error);
          return (async function* () {
            yield refusal;
          })();
        }
      },
    })
    aiCompletionStream(@Root() chunk: AiCompletion, @Arg('input', VALIDATED_ELSEWHERE) _input: AiCompletionInput): AiCompletion {
      return chunk; // (the input was validated once by `open`, not again for every chunk)
    }
  }

  return [CompletionResolver] as const;
}
