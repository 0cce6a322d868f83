import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES } from '../../../src/federation/input-validation';
import { EntitiesScopes } from '../entities.scopes';
import { DriveFile } from './drive-file.entity';
import type { DriveFileService } from './drive-file.service';
import { driveOwnerOf } from './drive-owner';

const MAX_LIMIT = 100;

/** `skip`/`limit` of the drive's lists (001_…: limit default 20, max 100). */
@ArgsType()
export class DriveListArgs {
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be at least 0' })
  @Field(() => Int, { defaultValue: 0 })
  skip!: number;

  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: `must be between 1 and ${MAX_LIMIT}` })
  @Max(MAX_LIMIT, { message: `must be between 1 and ${MAX_LIMIT}` })
  @Field(() => Int, { defaultValue: 20 })
  limit!: number;
}

@ArgsType()
class DriveFileListArgs extends DriveListArgs {
  @IsOptional()
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { nullable: true, description: 'The folder; none: the root' })
  folderId?: string | null;
}

@ObjectType({ description: 'One page of drive files' })
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
class DriveFilePage {
  @Field(() => [DriveFile])
  items!: DriveFile[];

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  skip!: number;

  @Field(() => Int)
  limit!: number;
}

@ObjectType({ description: 'What a drive delete removed' })
@RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
export class DriveDeleted {
  @Field(() => ID)
  id!: string;

  @Field()
  message!: string;
}

/**
 * The drive's metadata in GraphQL (bytes go through /v1/user/files and /download): an end user
 * acts on their own drive, a caller without end user (secret key, tenant admin) on the tenant's.
 */
export function createDriveFileResolver(files: DriveFileService) {
  @Resolver(() => DriveFile)
  class DriveFileResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Query(() => DriveFilePage, { description: "The caller's files in one folder (none: the root), newest first" })
    driveFiles(@Args() { folderId, skip, limit }: DriveFileListArgs, @Ctx() context: SubgraphContext): Promise<DriveFilePage> {
      return files.list(driveOwnerOf(context.identity), folderId ?? null, skip, limit);
    }

    @RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Query(() => DriveFilePage, { description: "The tenant's files marked shared (read-only for end users)" })
    sharedDriveFiles(@Args() { skip, limit }: DriveListArgs, @Ctx() context: SubgraphContext): Promise<DriveFilePage> {
      return files.listShared(driveOwnerOf(context.identity).tenantId, skip, limit);
    }

    @RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Query(() => DriveFile, { description: "One of the caller's files (anyone else's: not found)" })
    driveFile(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<DriveFile> {
      return files.get(driveOwnerOf(context.identity), id);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => DriveFile, { description: 'Moves a file to a folder of the same drive (none: the root)' })
    moveDriveFile(@Arg('id', () => ID) id: string, @Arg('folderId', () => ID, { nullable: true }) folderId: string | null, @Ctx() context: SubgraphContext): Promise<DriveFile> {
      return files.move(driveOwnerOf(context.identity), id, folderId);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite)
    @Mutation(() => DriveFile, { description: "Marks one of the tenant's own files shared (read-only for its end users) or private" })
    setDriveFileShared(@Arg('id', () => ID) id: string, @Arg('isShared') isShared: boolean, @Ctx() context: SubgraphContext): Promise<DriveFile> {
      return files.setShared(driveOwnerOf(context.identity), id, isShared);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => DriveDeleted, { description: 'Deletes a file and its stored bytes' })
    async deleteDriveFile(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<DriveDeleted> {
      const file = await files.delete(driveOwnerOf(context.identity), id);
      return { id: file.id, message: 'File deleted' };
    }
  }
  return DriveFileResolver;
}
