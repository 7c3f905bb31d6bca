import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "An end user's calls that share one sessionId, in a period." })
export class UserSession {
  @Field(() => String, { nullable: true, description: "The calls' sessionId; null for the user's calls that name none (listed after the sessions)." })
  sessionId: string | null;

  @Field(() => Int)
  calls: number;

  @Field(() => Int, { description: 'Its calls that failed.' })
  errors: number;

  @Field(() => Float, { description: 'USD.' })
  totalCost: number;

  @Field(() => [String], { description: 'The models its calls used, by id, the most called first.' })
  models: string[];

  @Field(() => Date)
  firstCallAt: Date;

  @Field(() => Date)
  lastCallAt: Date;
}

@ObjectType()
export class UserSessions {
  @Field(() => Int, { description: "The user's sessions in the period (its calls without a sessionId are none)." })
  total: number;

  @Field(() => [UserSession], { description: 'The latest sessions, the most recent last call first, then the calls without a sessionId as one group.' })
  sessions: UserSession[];
}
