import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { who, writeWorkspace, type Context } from '../graphql/context';
import { secretRing } from '../keys/provider-key-cipher';
import { resolveAlert } from '../monitoring/alerts.service';
import { toAlert } from '../monitoring/alerts.resolver';
import { Alert } from '../monitoring/monitoring.types';
import { AlertRule, AlertRuleInput, Delivery, NotificationChannel, NotificationChannelInput } from './alert-rules.types';
import { deleteNotificationChannel, listNotificationChannels, setNotificationChannel } from './channels.service';
import { enqueueTestDelivery, getDelivery, listDeliveries } from './deliveries.service';
import { announce } from './rule-checks';
import { evaluateRules } from './rule-evaluation';
import { deleteAlertRule, listAlertRules, setAlertRule } from './rules.service';

/** Alert rules, notification channels and deliveries of the scoped workspace (the caller's own in scope __all__ for writes). */
@Resolver()
export class AlertRulesResolver {
  @Authorized()
  @Query(() => [AlertRule], { description: 'The alert rules in scope, oldest first.' })
  alertRules(@Ctx() ctx: Context): Promise<AlertRule[]> {
    return listAlertRules(ctx.db, who(ctx).scope);
  }

  @Authorized()
  @Query(() => [NotificationChannel], { description: 'The notification channels in scope; targets as scheme and host only.' })
  notificationChannels(@Ctx() ctx: Context): Promise<NotificationChannel[]> {
    return listNotificationChannels(ctx.db, who(ctx).scope);
  }

  @Authorized()
  @Query(() => [Delivery], { description: 'The newest deliveries in scope, newest first. limit: default 50, at most 500.' })
  deliveries(@Arg('limit', () => Int, { nullable: true }) limit: number | null, @Ctx() ctx: Context): Promise<Delivery[]> {
    return listDeliveries(ctx.db, who(ctx).scope, limit);
  }

  @Authorized()
  @Mutation(() => AlertRule, { description: 'Creates a rule, or replaces the one input.id names; it is evaluated at once.' })
  async setAlertRule(@Arg('input', () => AlertRuleInput) input: AlertRuleInput, @Ctx() ctx: Context): Promise<AlertRule> {
    const rule = await setAlertRule(ctx.db, writeWorkspace(ctx), input);
    if (!rule.enabled) return rule;
    const [evaluation] = await evaluateRules(ctx.db, [rule], ctx.services.now());
    announce(ctx.services.pubsub, [evaluation]);
    return (await listAlertRules(ctx.db, { kind: 'workspace', workspaceId: rule.workspaceId })).find((r) => r.id === rule.id) ?? rule;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'False when no rule in scope has this id.' })
  deleteAlertRule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return deleteAlertRule(ctx.db, who(ctx).scope, id);
  }

  @Authorized()
  @Mutation(() => NotificationChannel, {
    description: 'Creates a channel, or replaces the one input.id names. Targets are checked (https, public addresses) and stored encrypted.',
  })
  setNotificationChannel(@Arg('input', () => NotificationChannelInput) input: NotificationChannelInput, @Ctx() ctx: Context): Promise<NotificationChannel> {
    const { config } = ctx.services;
    return setNotificationChannel(ctx.db, config, secretRing(config.secretKey), writeWorkspace(ctx), input);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'False when no channel in scope has this id. Its deliveries go with it.' })
  deleteNotificationChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return deleteNotificationChannel(ctx.db, who(ctx).scope, id);
  }

  @Authorized()
  @Mutation(() => Delivery, { description: 'Sends a test message now and answers with its delivery.' })
  async testNotificationChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Delivery> {
    const workspaceId = writeWorkspace(ctx);
    const deliveryId = await enqueueTestDelivery(ctx.db, workspaceId, id);
    await ctx.services.deliveryWorker.sendNow(ctx.db, workspaceId, deliveryId);
    return getDelivery(ctx.db, workspaceId, deliveryId);
  }

  @Authorized()
  @Mutation(() => Alert, { description: 'Resolves an alert by hand; its resolution is delivered where the alert went.' })
  async resolveAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Alert> {
    const alert = await resolveAlert(ctx.db, who(ctx).scope, id, ctx.services.now());
    if (alert.workspaceId) ctx.services.pubsub.publish('DELIVERIES_DUE', { workspaceId: alert.workspaceId });
    return toAlert(alert);
  }
}
