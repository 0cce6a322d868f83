import { Client } from 'pg';
import { eventually } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { latestMail, type TestTenant } from '../helpers/tenants';
import { SendMail } from '../../subgraphs/tenancy/mail/mail.jobs';

type Mail = NonNullable<Awaited<ReturnType<typeof latestMail>>>;

/**
 * The newest dev-mailbox email to `to` that `accept` takes, once it has arrived: mail is sent by
 * a job after the request, so a test waits for it instead of reading at once.
 */
export function awaitMail(tenant: TestTenant, to: string, accept: (mail: Mail) => boolean = () => true): Promise<Mail> {
  return eventually(async () => {
    const mail = await latestMail(tenant, to);
    return mail && accept(mail) ? mail : undefined;
  });
}

/**
 * How many mails to `to` were ever queued (waiting, sent or failed). The job is queued in the
 * request's own transaction, so once the response is in, 0 means no mail will ever come.
 */
export async function queuedMails(to: string): Promise<number> {
  const db = new Client({ connectionString: testPlatform().databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM pgboss.job WHERE name = $1 AND data->>'to' = $2) + (SELECT count(*) FROM pgboss.archive WHERE name = $1 AND data->>'to' = $2) AS n`,
      [SendMail.queue, to],
    );
    return Number(rows[0].n);
  } finally {
    await db.end();
  }
}
