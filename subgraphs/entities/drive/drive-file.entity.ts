import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

/** A stored file: an end user's (userId) or the tenant's own (userId null; shared when isShared). */
@ObjectType({ description: "A file of a drive; its bytes are at /v1/user/files/{id}/download" })
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
@Entity({ name: 'drive_files' })
export class DriveFile {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { nullable: true, description: "The owner; null: the tenant's own drive" })
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'folder_id', nullable: true })
  folderId!: string | null;

  @Field({ description: 'The safe name the file is served under' })
  @Column('text')
  filename!: string;

  @Field({ description: 'The name as uploaded' })
  @Column('text', { name: 'original_filename' })
  originalFilename!: string;

  @Field(() => Float, { description: 'Bytes' })
  @Column('bigint', { name: 'file_size', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  fileSize!: number;

  @Field()
  @Column('text', { name: 'content_type' })
  contentType!: string;

  @Field({ description: 'local or s3' })
  @Column('text', { name: 'storage_provider' })
  storageProvider!: string;

  @Column('text', { name: 'storage_key' })
  storageKey!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Column('jsonb', { name: 'extra_metadata', nullable: true })
  extraMetadata!: Record<string, any> | null;

  @Field({ description: "Visible read-only to the tenant's end users (tenant files only)" })
  @Column('boolean', { name: 'is_shared', default: false })
  isShared!: boolean;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
