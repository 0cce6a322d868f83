import { Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TenancyScopes } from '../tenancy.scopes';

/** An email kept in the dev mailbox (when no SMTP_URL is configured). */
@ObjectType({ description: 'An email the platform sent, kept in the development mailbox' })
@RequiresScopes(TenancyScopes.mailRead)
@Entity({ name: 'mail_messages' })
export class MailMessage {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id', nullable: true })
  tenantId!: string | null;

  @Field()
  @Column('text', { name: 'to_address' })
  to!: string;

  @Field()
  @Column('text')
  subject!: string;

  @Field()
  @Column('text', { name: 'text_body' })
  text!: string;

  @Field({ description: 'What the email is for: verify_email, reset_password, ...' })
  @Column('text')
  kind!: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
