import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** What the mail is for (verify_email, reset_password, ...). */
  kind: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

/** Real SMTP delivery (nodemailer) to the server named by SMTP_URL. */
export function createSmtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, headers: { 'X-Mail-Kind': mail.kind } });
    },
  };
}
