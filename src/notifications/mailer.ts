import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig, redact } from '../config/env';

export interface OutgoingMail {
  /** The notification id; it becomes the Message-ID so receivers can drop a duplicate. */
  id: string;
  recipient: string;
  /** Where replies go (the responsible manager); none: to the sender. */
  replyTo?: string | null;
  subject: string;
  body: string;
}

/** E-mail over SMTP_URL; without it, every message is written to the log and counts as sent. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private readonly transport: Transporter;
  private readonly toLog: boolean;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.toLog = !config.smtpUrl;
    this.transport = config.smtpUrl
      ? // A hung server must fail the attempt (and let BullMQ retry), not hold the job for minutes.
        createTransport({ url: config.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 })
      : createTransport({ jsonTransport: true });
    this.logger.log(config.smtpUrl ? `E-mail goes to ${redact(config.smtpUrl)}` : 'SMTP_URL is unset: e-mail goes to the log');
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail({
      from: this.config.mailFrom,
      to: mail.recipient,
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      subject: mail.subject,
      text: mail.body,
      messageId: messageIdOf(mail.id),
    });
    if (this.toLog) this.logger.log(`E-mail (not sent, SMTP_URL is unset): ${String(info.message)}`);
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

export function messageIdOf(notificationId: string): string {
  return `<${notificationId}@warranty-acts>`;
}
