import { Semaphore } from 'async-mutex';
import { BackgroundLoop } from '../background-loop';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { secretRing, type SecretRing } from '../keys/provider-key-cipher';
import type { Logger } from '../logger';
import { followTopic, type AppPubSub } from '../pubsub/pubsub';
import { openChannel } from './channels.service';
import { claimDueDeliveries, markFailed, markSent, type ClaimedDelivery } from './deliveries.service';
import { alertMessage } from './messages';
import { SendFailed, sendToChannel, smtpTransport, type SenderOptions } from './senders';

/** Tuning for tests and benchmarks; the defaults suit production. */
export interface DeliveryWorkerOptions {
  /** How often due deliveries are looked for when no event says some are. @default 1000 */
  pollIntervalMs?: number;
  /** Deliveries sent at once, each on its own: one slow receiver holds one of them only. @default 20 */
  concurrency?: number;
  /** How long one send may take. @default 10000 */
  sendTimeoutMs?: number;
}

/**
 * Sends the outbox: takes due deliveries (SKIP LOCKED, so each goes to one worker of one
 * instance), sends each to its channel, and marks it sent or due again after its backoff. Each
 * delivery is sent on its own, up to `concurrency` at once, and only as many are taken as can be
 * sent at once, so none waits behind a slow receiver while holding its claim. It looks when a
 * delivery is written here (DELIVERIES_DUE) and every poll interval, which finds retries that
 * came due, deliveries written by other instances, and those a dead worker left.
 */
export class DeliveryWorker {
  private readonly ring: SecretRing;
  private readonly sender: SenderOptions;
  private readonly concurrency: number;
  private readonly slots: Semaphore;
  private readonly sending = new Set<Promise<void>>();
  private readonly loop: BackgroundLoop;
  private listening?: { stop(): Promise<void> };

  constructor(
    /** The platform path: the outbox of every workspace. */
    private readonly platform: Db,
    private readonly pubsub: AppPubSub,
    private readonly config: Config,
    private readonly logger: Logger,
    options: DeliveryWorkerOptions = {},
  ) {
    this.ring = secretRing(config.secretKey);
    this.loop = new BackgroundLoop(options.pollIntervalMs ?? 1000, () => this.drain(), (error) => this.logger.warn({ err: error }, 'delivery round failed'));
    this.concurrency = options.concurrency ?? 20;
    this.slots = new Semaphore(this.concurrency);
    this.sender = {
      allowPrivate: config.webhookAllowPrivate,
      mailer: config.alertEmail ? { transport: smtpTransport(config.alertEmail.smtpUrl, options.sendTimeoutMs), from: config.alertEmail.from } : null,
      timeoutMs: options.sendTimeoutMs,
    };
  }

  start(): void {
    this.listening = followTopic(
      this.pubsub,
      'DELIVERIES_DUE',
      () => this.kick(),
      (error) => this.logger.error({ err: error }, 'delivery worker stopped listening'),
    );
    this.loop.start();
  }

  /** Looks for due deliveries now (once more after a run in flight). */
  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    for (;;) {
      await this.slots.waitForUnlock();
      if (this.loop.isStopped) return;
      const free = this.slots.getValue();
      const claimed = await claimDueDeliveries(this.platform, free);
      for (const delivery of claimed) this.dispatch(delivery);
      if (claimed.length < free) return;
    }
  }

  /** Sends a claimed delivery in a slot of its own; its outcome is recorded, never thrown. */
  private dispatch(delivery: ClaimedDelivery): void {
    const sent = this.slots
      .runExclusive(() => this.send(this.platform, delivery))
      .catch((error: unknown) => this.logger.warn({ err: error, delivery: delivery.id }, 'delivery round failed'))
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }

  /**
   * Sends one delivery now, if it is due, through `db` (a request's own scope): what
   * testNotificationChannel answers with. False when another worker had taken it.
   */
  async sendNow(db: Db, workspaceId: string, id: string): Promise<boolean> {
    const [delivery] = await claimDueDeliveries(db, 1, { workspaceId, id });
    if (!delivery) return false;
    await this.send(db, delivery);
    return true;
  }

  private async send(db: Db, delivery: ClaimedDelivery): Promise<void> {
    const fail = async (error: string): Promise<void> => {
      const status = await markFailed(db, delivery, error);
      this.logger.warn({ delivery: delivery.id, channel: delivery.channel.id, attempt: delivery.attempt, status, error }, 'delivery failed');
    };
    if (!delivery.channel.enabled) return fail('the channel is disabled');
    const secrets = openChannel(this.ring, delivery.workspaceId, delivery.channel.id, delivery.channel.sealed);
    if (!secrets) return fail("the channel's target cannot be opened with this server's TALLY_SECRET_KEY");
    const message = alertMessage(delivery.event, delivery, this.config.publicUrl, delivery.channel.name);
    try {
      await sendToChannel(delivery.channel.kind, secrets, message, delivery.id, this.sender, new Date());
    } catch (error) {
      if (!(error instanceof SendFailed)) this.logger.error({ err: error, delivery: delivery.id }, 'delivery send threw');
      return fail(error instanceof SendFailed ? error.message : 'the send failed');
    }
    await markSent(db, delivery);
  }

  /** Stops looking, and waits for sends in flight (their outcome is recorded). */
  async stop(): Promise<void> {
    this.loop.stop();
    void this.listening?.stop();
    await this.idle();
    this.sender.mailer?.transport.close();
  }

  /** Resolves once no round and no send is in flight. */
  async idle(): Promise<void> {
    while (this.loop.running || this.sending.size > 0) await Promise.all([this.loop.running, ...this.sending]);
  }
}
