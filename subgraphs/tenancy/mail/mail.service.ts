import type { DataSource } from 'typeorm';
import type { Logger } from '../../../src/logger';
import { createSmtpTransport, type MailTransport, type OutgoingMail } from '../../../src/mail/transport';
import { MailMessage } from './mail-message.entity';

/**
 * Sends end-user emails: over SMTP when SMTP_URL is set, else into the dev mailbox table that a
 * tenant's secret key can read through GraphQL (`devMailbox`).
 */
export class MailService {
  private readonly smtp?: MailTransport;

  constructor(
    private readonly dataSource: DataSource,
    smtpUrl: string | undefined,
    from: string,
    private readonly log: Logger,
  ) {
    if (smtpUrl) this.smtp = createSmtpTransport(smtpUrl, from);
  }

  /** Delivery failures are logged, never surfaced: the flows that mail must not leak them. */
  async deliver(tenantId: string, mail: OutgoingMail): Promise<void> {
    try {
      if (this.smtp) await this.smtp.send(mail);
      else await this.dataSource.getRepository(MailMessage).insert({ tenantId, to: mail.to, subject: mail.subject, text: mail.text, kind: mail.kind });
    } catch (error) {
      this.log.error({ err: error, tenantId, kind: mail.kind }, 'mail delivery failed');
    }
  }

  list(tenantId: string, to: string | undefined, first: number): Promise<MailMessage[]> {
    return this.dataSource.getRepository(MailMessage).find({
      where: { tenantId, ...(to ? { to: to.toLowerCase() } : {}) },
      order: { createdAt: 'DESC' },
      take: first,
    });
  }
}
