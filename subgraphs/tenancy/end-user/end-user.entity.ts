import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@ObjectType({ description: "A person who signed up to a tenant's product" })
@Directive('@key(fields: "id")')
@Entity({ name: 'end_users' })
export class EndUser {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('text')
  email!: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'avatar_url', nullable: true })
  avatarUrl!: string | null;

  @Field()
  @Column('text')
  locale!: string;

  @Field()
  @Column('boolean', { name: 'is_active' })
  isActive!: boolean;

  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt!: Date | null;

  @Field()
  emailVerified(): boolean {
    return this.emailVerifiedAt !== null;
  }

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
