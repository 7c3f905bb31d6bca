import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Db, EntityAccess } from '../db/db';
import { deleteInScope, whereInScope } from '../db/delete-in-scope';
import { AppError, badInput } from '../graphql/errors';
import { openSecret, sealSecret, type SealedKey, type SecretRing } from '../keys/provider-key-cipher';
import type { Scope } from '../metrics/metrics.model';
import { NotificationChannelEntity } from './notification-channel.entity';
import { isUuid } from './rules.service';
import { checkEmailAddress, checkTargetUrl } from './target-safety';

export const CHANNEL_KINDS = ['WEBHOOK', 'SLACK', 'EMAIL'] as const satisfies readonly NotificationChannelEntity['kind'][];
export type ChannelKind = NotificationChannelEntity['kind'];
export const MAX_CHANNEL_NAME = 100;

export interface NotificationChannelInputValues {
  id?: string | null;
  name: string;
  kind: ChannelKind;
  target: string;
  enabled?: boolean | null;
}

/** A channel as it may leave the server: its target as scheme and host (or the address) only. */
export interface NotificationChannelRecord {
  id: string;
  name: string;
  kind: ChannelKind;
  target: string;
  enabled: boolean;
  /** WEBHOOK only, in the answer that created the channel; null everywhere else. */
  signingSecret: string | null;
}

/** What a sender needs: the whole target and, for webhooks, the signing secret. Never for an answer. */
export interface ChannelSecrets {
  target: string;
  signingSecret: string | null;
}

/** What the channel settings need from the configuration. */
export type ChannelConfig = Pick<Config, 'alertEmail' | 'webhookAllowPrivate' | 'secretKey'>;

const toRecord = (channel: NotificationChannelEntity, signingSecret: string | null = null): NotificationChannelRecord => ({
  id: channel.id,
  name: channel.name,
  kind: channel.kind,
  target: channel.targetDisplay,
  enabled: channel.enabled,
  signingSecret,
});

/** A Standard Webhooks signing secret: whsec_ and 24 random bytes in base64. */
export const newSigningSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** Opens a channel's sealed target and secret; null when this server's secret cannot open it. */
export function openChannel(ring: SecretRing, workspaceId: string, channelId: string, sealed: SealedKey): ChannelSecrets | null {
  const text = openSecret(ring, 'notification-channel', workspaceId, channelId, sealed);
  return text === null ? null : (JSON.parse(text) as ChannelSecrets);
}

/** Checks a target for its kind and answers it as stored, with what may be shown of it. */
async function checkTarget(kind: ChannelKind, target: string, config: ChannelConfig): Promise<{ target: string; display: string }> {
  if (kind === 'EMAIL') {
    if (!config.alertEmail) throw new AppError('NOT_CONFIGURED', 'EMAIL channels need SMTP_URL and ALERT_EMAIL_FROM on the server, and neither is set');
    const address = checkEmailAddress(target);
    return { target: address, display: address };
  }
  const url = await checkTargetUrl(target, config.webhookAllowPrivate);
  return { target: url.toString(), display: `${url.protocol}//${url.host}` };
}

/**
 * Creates a channel, or replaces the one `input.id` names. A new WEBHOOK channel gets a signing
 * secret, answered this once; a replaced one keeps its secret.
 */
export async function setNotificationChannel(
  db: EntityAccess,
  config: ChannelConfig,
  ring: SecretRing,
  workspaceId: string,
  input: NotificationChannelInputValues,
): Promise<NotificationChannelRecord> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > MAX_CHANNEL_NAME) throw badInput(`name must be 1 to ${MAX_CHANNEL_NAME} characters, but got ${name.length}`);
  if (!CHANNEL_KINDS.includes(input.kind)) throw badInput(`kind must be one of ${CHANNEL_KINDS.join(', ')}, but got ${String(input.kind)}`);
  if (input.id !== null && input.id !== undefined && !isUuid(input.id)) {
    throw badInput(`id must be the id of a notification channel of this workspace, but got ${JSON.stringify(input.id)}`);
  }
  const { target, display } = await checkTarget(input.kind, input.target, config);
  const id = input.id ?? randomUUID();
  return db.entities(async (manager) => {
    const channels = manager.getRepository(NotificationChannelEntity);
    let signingSecret: string | null = null;
    if (input.id) {
      const existing = await channels.findOneBy({ workspaceId, id });
      if (!existing) throw badInput(`id must be the id of a notification channel of this workspace, but no channel here has id ${input.id}`);
      signingSecret = openChannel(ring, workspaceId, id, existing.sealed)?.signingSecret ?? null;
    }
    if (input.kind === 'WEBHOOK') signingSecret ??= newSigningSecret();
    else signingSecret = null;
    const sealed = sealSecret(ring, 'notification-channel', workspaceId, id, JSON.stringify({ target, signingSecret } satisfies ChannelSecrets));
    const fields = { name, kind: input.kind, sealed, targetDisplay: display, enabled: input.enabled ?? true };
    if (input.id) await channels.update({ workspaceId, id }, fields);
    else await channels.insert({ workspaceId, id, ...fields });
    return toRecord(await channels.findOneByOrFail({ workspaceId, id }), input.id ? null : signingSecret);
  });
}

/** The channels in scope, oldest first. */
export async function listNotificationChannels(db: EntityAccess, scope: Scope): Promise<NotificationChannelRecord[]> {
  const channels = await db.entities((manager) =>
    manager.find(NotificationChannelEntity, { where: whereInScope(scope), order: { createdAt: 'ASC', id: 'ASC' } }),
  );
  return channels.map((channel) => toRecord(channel));
}

/** Deletes a channel in scope, its deliveries with it, and takes it off its rules; false when there is none with that id. */
export async function deleteNotificationChannel(db: Db & EntityAccess, scope: Scope, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const deleted = await deleteInScope(db, scope, NotificationChannelEntity, id);
  if (deleted) {
    const [inScope, params] = scope.kind === 'all' ? ['true', [id]] : ['workspace_id = $2', [id, scope.workspaceId]];
    await db.query(`UPDATE alert_rules SET channel_ids = array_remove(channel_ids, $1::uuid) WHERE $1::uuid = ANY(channel_ids) AND ${inScope}`, params);
  }
  return deleted;
}
