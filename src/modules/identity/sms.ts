import type { Logger } from '../../lib/logger.ts';

/** Sends one-time codes. Real deployments plug in an SMS gateway here. */
export interface SmsSender {
  send(phone: string, text: string, code: string): Promise<void>;
}

/** Default: writes the code to the log, so a self-hosted demo works with no gateway. */
export class LogSmsSender implements SmsSender {
  constructor(private readonly log: Logger) {}
  async send(phone: string, text: string, code: string): Promise<void> {
    this.log.info({ phone, sms_code: code }, `SMS to ${phone}: ${text}`);
  }
}

/** Keeps the last code per phone; used by tests and the demo seeding. */
export class MemorySmsSender implements SmsSender {
  readonly last = new Map<string, string>();
  async send(phone: string, _text: string, code: string): Promise<void> {
    this.last.set(phone, code);
  }
}
