import { Field, Float, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import type { HealthStatus } from './health.service';

export const HealthStatusEnum = graphqlEnum<HealthStatus>('HealthStatus', ['OK', 'DEGRADED', 'DOWN']);

@ObjectType()
export class ServiceHealth {
  @Field(() => String)
  name: string;

  @Field(() => HealthStatusEnum)
  status: HealthStatus;

  @Field(() => Float, { nullable: true })
  latencyMs: number | null;

  @Field(() => String, { nullable: true })
  detail: string | null;
}

@ObjectType()
export class Health {
  @Field(() => HealthStatusEnum)
  status: HealthStatus;

  @Field(() => String)
  version: string;

  @Field(() => Float)
  uptimeSeconds: number;

  @Field(() => [ServiceHealth])
  services: ServiceHealth[];
}
