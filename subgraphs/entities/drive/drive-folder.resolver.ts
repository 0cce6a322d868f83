import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { EntitiesScopes } from '../entities.scopes';
import { DriveDeleted } from './drive-file.resolver';
import { DriveFolder } from './drive-folder.entity';
import type { DriveFolderService } from './drive-folder.service';
import { driveOwnerOf } from './drive-owner';

@ObjectType({ description: 'The folders of one level of a drive' })
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
class DriveFolderList {
  @Field(() => [DriveFolder])
  folders!: DriveFolder[];
}

export function createDriveFolderResolver(folders: DriveFolderService) {
  @Resolver(() => DriveFolder)
  class DriveFolderResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Query(() => DriveFolderList, { description: "The caller's folders under a parent (none: the root), by name" })
    async driveFolders(@Arg('parentId', () => ID, { nullable: true }) parentId: string | null, @Ctx() context: SubgraphContext): Promise<DriveFolderList> {
      return { folders: await folders.list(driveOwnerOf(context.identity), parentId) };
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => DriveFolder, { description: 'Creates a folder (name ≤ 255, no slash; unique in its parent: 409)' })
    createDriveFolder(@Arg('name') name: string, @Arg('parentId', () => ID, { nullable: true }) parentId: string | null, @Ctx() context: SubgraphContext): Promise<DriveFolder> {
      return folders.create(driveOwnerOf(context.identity), name, parentId);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => DriveFolder, { description: 'Renames a folder; the paths below it follow' })
    renameDriveFolder(@Arg('id', () => ID) id: string, @Arg('name') name: string, @Ctx() context: SubgraphContext): Promise<DriveFolder> {
      return folders.rename(driveOwnerOf(context.identity), id, name);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => DriveDeleted, { description: 'Deletes an empty folder (409 while it holds files or folders)' })
    async deleteDriveFolder(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<DriveDeleted> {
      const folder = await folders.delete(driveOwnerOf(context.identity), id);
      return { id: folder.id, message: 'Folder deleted' };
    }
  }
  return DriveFolderResolver;
}
