import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/env';
import { Mailer } from './mailer';

describe('Mailer without SMTP_URL', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes the message to the log and counts it as sent', async () => {
    const logged: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logged.push(String(message)));
    const mailer = new Mailer({ ...loadConfig({}), mailFrom: 'warranty@example.com' });

    await expect(
      mailer.send({
        id: '6f1c1a52-3c3e-4b7e-9d55-0d0f7f3f9a10',
        recipient: 'sc@example.com',
        replyTo: 'manager@example.com',
        subject: 'Акт № 1',
        body: 'Статус изменён',
      }),
    ).resolves.toBeUndefined();
    mailer.onApplicationShutdown();

    const entry = logged.find((line) => line.includes('SMTP_URL is unset') && line.includes('sc@example.com'));
    expect(entry).toBeDefined();
    expect(entry).toContain('<6f1c1a52-3c3e-4b7e-9d55-0d0f7f3f9a10@warranty-acts>');
    expect(entry).toContain('Акт № 1');
    expect(entry).toContain('manager@example.com');
  });
});
