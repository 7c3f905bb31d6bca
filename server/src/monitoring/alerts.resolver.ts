import { Arg, Authorized, Ctx, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import type { AlertRecord } from './alert.record';
import { alertVisibleTo, listAlerts } from './alerts.service';
import { Alert } from './monitoring.types';

export const toAlert = (record: AlertRecord): Alert => ({ ...record, at: new Date(record.at), resolvedAt: record.resolvedAt ? new Date(record.resolvedAt) : null });

/** Alerts of the viewer's scope; platform alerts (workspaceId null) to admin keys only. */
@Resolver()
export class AlertsResolver {
  @Authorized()
  @Query(() => [Alert], { description: 'The newest alerts in scope, newest first. limit: default 50, at most 500.' })
  async alerts(@Arg('limit', () => Int, { nullable: true }) limit: number | null, @Ctx() ctx: Context): Promise<Alert[]> {
    const { viewer, scope } = who(ctx);
    return (await listAlerts(ctx.db, viewer.role, scope, limit)).map(toAlert);
  }

  @Authorized()
  @Subscription(() => Alert, {
    topics: 'ALERT_RAISED',
    description: "Each new alert in the subscriber's scope; platform alerts to admin keys only.",
    filter: ({ payload, context }: { payload: AlertRecord; context: Context }) =>
      context.auth.ok && alertVisibleTo(payload, context.auth.viewer.role, context.auth.scope),
  })
  alertRaised(@Root() alert: AlertRecord): Alert {
    return toAlert(alert);
  }
}
