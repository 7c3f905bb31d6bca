import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import type { Metric, UsageFilterValues } from '../metrics/metrics.model';
import { MetricEnum, UsageFilter } from '../metrics/metrics.types';
import type { AlertRecord, Severity } from '../monitoring/alert.record';
import { Alert, SeverityEnum } from '../monitoring/monitoring.types';
import { CHANNEL_KINDS, type ChannelKind } from './channels.service';
import { DELIVERY_EVENTS, DELIVERY_STATUSES, type DeliveryEvent, type DeliveryStatus } from './deliveries.service';
import { COMPARISONS, RULE_STATES, type Comparison, type RuleState } from './rules.service';

export const ComparisonEnum = graphqlEnum<Comparison>('Comparison', COMPARISONS);
export const ChannelKindEnum = graphqlEnum<ChannelKind>('ChannelKind', CHANNEL_KINDS);
export const DeliveryStatusEnum = graphqlEnum<DeliveryStatus>('DeliveryStatus', DELIVERY_STATUSES);
export const DeliveryEventEnum = graphqlEnum<DeliveryEvent>('DeliveryEvent', DELIVERY_EVENTS);
export const RuleStateEnum = graphqlEnum<RuleState>('RuleState', RULE_STATES);

@InputType()
export class AlertRuleInput {
  @Field(() => ID, { nullable: true, description: 'Given: replaces that rule.' })
  id?: string | null;

  @Field(() => String)
  name: string;

  @Field(() => MetricEnum)
  metric: Metric;

  @Field(() => ComparisonEnum)
  comparison: Comparison;

  @Field(() => Float)
  threshold: number;

  @Field(() => Int, { description: 'The metric is computed over the last windowMinutes (1 to 1440).' })
  windowMinutes: number;

  @Field(() => UsageFilter, { nullable: true })
  filter?: UsageFilterValues | null;

  @Field(() => SeverityEnum, { nullable: true, description: 'Default WARNING.' })
  severity?: Severity | null;

  @Field(() => [ID], { nullable: true, description: "Channels of the rule's workspace its alerts are delivered to." })
  channelIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  enabled?: boolean | null;
}

@ObjectType({ description: "A workspace's own alert rule: a metric above or below a threshold over a window." })
export class AlertRule {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => MetricEnum)
  metric: Metric;

  @Field(() => ComparisonEnum)
  comparison: Comparison;

  @Field(() => Float)
  threshold: number;

  @Field(() => Int)
  windowMinutes: number;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The UsageFilter the metric is computed under; null for all calls.' })
  filter: UsageFilterValues | null;

  @Field(() => SeverityEnum)
  severity: Severity;

  @Field(() => [ID])
  channelIds: string[];

  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => RuleStateEnum)
  state: RuleState;

  @Field(() => Float, { nullable: true, description: 'The metric at the last evaluation.' })
  lastValue: number | null;

  @Field(() => Date, { nullable: true })
  lastEvaluatedAt: Date | null;
}

@InputType()
export class NotificationChannelInput {
  @Field(() => ID, { nullable: true, description: 'Given: replaces that channel (a webhook keeps its signing secret).' })
  id?: string | null;

  @Field(() => String)
  name: string;

  @Field(() => ChannelKindEnum)
  kind: ChannelKind;

  @Field(() => String, { description: 'A URL (WEBHOOK, SLACK) or an e-mail address (EMAIL).' })
  target: string;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  enabled?: boolean | null;
}

@ObjectType({ description: 'Where alerts are delivered: a webhook, a Slack incoming webhook, or an e-mail address.' })
export class NotificationChannel {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => ChannelKindEnum)
  kind: ChannelKind;

  @Field(() => String, { description: "The URL's scheme and host only, or the address." })
  target: string;

  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'WEBHOOK only: the Standard Webhooks signing secret (whsec_…), in the answer to the setNotificationChannel that created the channel and null everywhere else.',
  })
  signingSecret: string | null;
}

@ObjectType({ description: 'One message to one channel: an alert, its resolution, or a test.' })
export class Delivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  channelId: string;

  @Field(() => ID, { nullable: true })
  alertId: string | null;

  @Field(() => DeliveryEventEnum, { description: 'What it announced: an alert raised (RAISED), an alert resolved (RESOLVED), or a test of the channel (TEST).' })
  event: DeliveryEvent;

  @Field(() => Alert, { nullable: true, description: 'The alert it announced, as it is now; null for a test.' })
  alert: AlertRecord | null;

  @Field(() => DeliveryStatusEnum)
  status: DeliveryStatus;

  @Field(() => Int)
  attempts: number;

  @Field(() => String, { nullable: true })
  lastError: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;
}
