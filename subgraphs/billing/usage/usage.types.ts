import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Total quantity of one metric' })
export class UsageTotal {
  @Field()
  metric!: string;

  @Field(() => Float)
  quantity!: number;
}

@ObjectType({ description: 'A live usage change for a dashboard' })
export class UsageUpdate {
  @Field(() => ID)
  organizationId!: string;

  @Field()
  metric!: string;

  @Field(() => Float, { description: 'Quantity added by this change' })
  quantity!: number;

  @Field(() => Float, { description: "The organization's new total for the metric" })
  total!: number;

  @Field()
  recordedAt!: Date;
}

@InputType()
export class RecordUsageInput {
  @Field()
  metric!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => ID, { nullable: true })
  organizationId?: string | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;
}
