import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: "A workspace's own key for an LLM provider (bring your own key)." })
export class ProviderKey {
  @Field(() => String)
  provider: string;

  @Field(() => String, { description: 'Last four characters only: a stored key is never returned.' })
  last4: string;

  @Field(() => Boolean)
  isActive: boolean;

  @Field(() => Date)
  createdAt: Date;
}
