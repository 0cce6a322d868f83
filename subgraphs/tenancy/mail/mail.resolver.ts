import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { checkPage } from '../../../src/federation/paging';
import { MailMessage } from './mail-message.entity';
import type { MailService } from './mail.service';
import { TenancyScopes } from '../tenancy.scopes';

export function createMailResolver(mail: MailService) {
  @Resolver(() => MailMessage)
  class MailResolver {
    @RequiresScopes(TenancyScopes.mailRead)
    @Query(() => [MailMessage], { description: 'Emails in the development mailbox (used when no SMTP_URL is set), newest first' })
    devMailbox(
      @Arg('to', () => String, { nullable: true }) to: string | null,
      @Arg('first', () => Int, { defaultValue: 20 }) first: number,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<MailMessage[]> {
      checkPage(first, 0);
      return mail.list(requireTenant(identity), to ?? undefined, first);
    }
  }
  return MailResolver;
}
