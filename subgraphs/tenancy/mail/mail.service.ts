import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../../../src/db/sql-runner';
import { enqueueJob } from '../../../src/events/jobs';
import { createSmtpTransport, type MailTransport, type OutgoingMail } from '../../../src/mail/transport';
import { MailMessage } from './mail-message.entity';
import { SendMail } from './mail.jobs';

/**
 * End-user emails. Flows `queue` them in their own transaction; the `tenancy.send-mail` job then
 * `deliver`s each: over SMTP when SMTP_URL is set, else into the dev mailbox table that a
 * tenant's secret key reads through GraphQL (`devMailbox`).
 */
export class MailService {
  private readonly smtp?: MailTransport;

  constructor(
    private readonly dataSource: DataSource,
    smtpUrl: string | undefined,
    from: string,
  ) {
    if (smtpUrl) this.smtp = createSmtpTransport(smtpUrl, from);
  }

  /** Queues a mail with the caller's transaction: it is sent only if that commits, and never delays the request. */
  queue(tx: SqlRunner, tenantId: string, mail: OutgoingMail): Promise<void> {
    return enqueueJob(tx, SendMail, { tenantId, ...mail });
  }

  /** Sends now. Failures throw, so the job retries them (and logs each attempt). */
  async deliver(tenantId: string, mail: OutgoingMail): Promise<void> {
    if (this.smtp) await this.smtp.send(mail);
    else await this.dataSource.getRepository(MailMessage).insert({ tenantId, to: mail.to, subject: mail.subject, text: mail.text, kind: mail.kind });
  }

  list(tenantId: string, to: string | undefined, first: number): Promise<MailMessage[]> {
    return this.dataSource.getRepository(MailMessage).find({
      where: { tenantId, ...(to ? { to: to.toLowerCase() } : {}) },
      order: { createdAt: 'DESC' },
      take: first,
    });
  }
}
