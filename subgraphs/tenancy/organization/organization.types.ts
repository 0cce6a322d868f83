import { IsEmail, IsIn, IsOptional, IsUrl, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Authenticated, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { HTTP_URL, MESSAGES } from '../../../src/federation/input-validation';
import { ORG_ROLES, type OrgRole } from '../../../src/federation/organization-access';
import { Organization } from './organization.entity';

/** Roles an invitation or a role change may give; `owner` only by an owner (checked with the data). */
const ASSIGNABLE_ROLES = ORG_ROLES;
const ROLE_MESSAGE = { message: `must be one of: ${ORG_ROLES.join(', ')}` };
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

@InputType()
export class CreateOrganizationInput {
  @Length(1, 100, MESSAGES.length(1, 100))
  @Field()
  name!: string;

  @Length(2, 63, MESSAGES.length(2, 63))
  @Matches(SLUG, { message: 'must be lowercase letters, digits and single hyphens' })
  @Field({ description: 'URL-friendly identifier, unique within the tenant' })
  slug!: string;

  @IsOptional()
  @MaxLength(1000, MESSAGES.maxLength(1000))
  @Field(() => String, { nullable: true })
  description?: string | null;

  @IsOptional()
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field(() => String, { nullable: true })
  logoUrl?: string | null;
}

@InputType()
export class UpdateOrganizationInput {
  @IsOptional()
  @Length(1, 100, MESSAGES.length(1, 100))
  @Field(() => String, { nullable: true })
  name?: string;

  @IsOptional()
  @MaxLength(1000, MESSAGES.maxLength(1000))
  @Field(() => String, { nullable: true })
  description?: string | null;

  @IsOptional()
  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field(() => String, { nullable: true })
  logoUrl?: string | null;
}

@ArgsType()
export class OrganizationArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}

@ArgsType()
export class MemberArgs extends OrganizationArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  userId!: string;
}

@ArgsType()
export class ChangeRoleArgs extends MemberArgs {
  @IsIn(ASSIGNABLE_ROLES, ROLE_MESSAGE)
  @Field(() => String, { description: 'owner, admin, member or developer' })
  role!: OrgRole;
}

@ArgsType()
export class InviteArgs extends OrganizationArgs {
  @IsEmail({}, MESSAGES.email)
  @Field()
  email!: string;

  @IsIn(ASSIGNABLE_ROLES, ROLE_MESSAGE)
  @Field(() => String, { description: 'owner, admin, member or developer' })
  role!: OrgRole;
}

@ArgsType()
export class InvitationArgs extends OrganizationArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  invitationId!: string;
}

@ArgsType()
export class InvitationTokenArgs {
  @Length(1, 200, MESSAGES.required)
  @Field()
  token!: string;
}

@ArgsType()
export class PendingInvitationsArgs {
  @IsEmail({}, MESSAGES.email)
  @Field()
  email!: string;
}

@ArgsType()
export class DepartmentArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  departmentId!: string;

  @IsOptional()
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { nullable: true, description: "Whose membership to check; defaults to the signed-in user" })
  userId?: string | null;
}

/** An invitation as the holder of its token sees it: enough to decide, nothing of the inviter. */
@ObjectType({ description: 'An invitation as its recipient sees it (by token or email)' })
@Authenticated()
export class InvitationDetails {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field()
  organizationName!: string;

  @Field()
  organizationSlug!: string;

  @Field()
  email!: string;

  @Field()
  role!: string;

  @Field({ description: 'pending, accepted, rejected, cancelled or expired' })
  status!: string;

  @Field()
  expiresAt!: Date;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'The organization joined by accepting an invitation' })
@RequiresScopes(SELF_SCOPE)
export class InvitationAcceptance {
  @Field()
  message!: string;

  @Field(() => Organization)
  organization!: Organization;

  @Field()
  role!: string;
}
