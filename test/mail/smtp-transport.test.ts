import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { createSmtpTransport } from '../../src/mail/transport';
import { MailService } from '../../subgraphs/tenancy/mail/mail.service';
import { startFakeSmtp } from '../helpers/fake-smtp';

describe('mail over SMTP (SMTP_URL)', () => {
  it('delivers through a real SMTP conversation', async () => {
    const smtp = await startFakeSmtp();
    try {
      const transport = createSmtpTransport(`smtp://127.0.0.1:${smtp.port}`, 'no-reply@platform.test');
      await transport.send({ to: 'jo@example.com', subject: 'Verify your email address', text: 'Token: abc123', kind: 'verify_email' });
      assert.equal(smtp.mails.length, 1);
      assert.equal(smtp.mails[0].from, 'no-reply@platform.test');
      assert.deepEqual(smtp.mails[0].to, ['jo@example.com']);
      assert.match(smtp.mails[0].data, /Subject: Verify your email address/);
      assert.match(smtp.mails[0].data, /Token: abc123/);
      assert.match(smtp.mails[0].data, /X-Mail-Kind: verify_email/);
    } finally {
      await smtp.close();
    }
  });

  it('the tenancy mail service uses SMTP instead of the dev mailbox when configured', async () => {
    const smtp = await startFakeSmtp();
    // An uninitialised data source: any attempt to store in the dev mailbox would throw.
    const offline = new DataSource({ type: 'postgres', url: 'postgres://offline/none' });
    try {
      const service = new MailService(offline, `smtp://127.0.0.1:${smtp.port}`, 'no-reply@platform.test');
      await service.deliver('00000000-0000-0000-0000-000000000000', { to: 'ann@example.com', subject: 'Reset your password', text: 'Token: t', kind: 'reset_password' });
      assert.equal(smtp.mails.length, 1);
      assert.deepEqual(smtp.mails[0].to, ['ann@example.com']);
    } finally {
      await smtp.close();
    }
  });
});
