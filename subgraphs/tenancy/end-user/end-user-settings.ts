import { IsBoolean, IsIn, IsObject, IsOptional, IsTimeZone, Length } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType, ObjectType } from 'type-graphql';
import { SELF_SCOPE, RequiresScopes } from '../../../src/federation/access';
import { MESSAGES } from '../../../src/federation/input-validation';
import { TenancyScopes } from '../tenancy.scopes';

export const THEMES = ['light', 'dark', 'system'] as const;

/** What `end_users.settings` holds: the keys of EndUserSettings that were ever set. */
export type StoredSettings = Partial<SettingsValues>;

interface SettingsValues {
  theme: string;
  language: string | null;
  timezone: string | null;
  emailNotifications: boolean;
  marketingEmails: boolean;
  /** JSON values (any: TypeORM's partial-entity type does not accept unknown inside jsonb). */
  preferences: Record<string, any>;
}

const DEFAULTS: SettingsValues = { theme: 'system', language: null, timezone: null, emailNotifications: true, marketingEmails: false, preferences: {} };

/** An end user's preferences (001_… UserSettingsResponse); keys never set read as their defaults. */
@ObjectType({ description: "An end user's preferences" })
@RequiresScopes(TenancyScopes.usersRead, TenancyScopes.usersWrite, SELF_SCOPE)
export class EndUserSettings implements SettingsValues {
  @Field({ description: 'light, dark or system' })
  theme!: string;

  @Field(() => String, { nullable: true, description: 'Preferred language (BCP 47 tag), when it differs from the locale' })
  language!: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. Europe/Paris' })
  timezone!: string | null;

  @Field()
  emailNotifications!: boolean;

  @Field()
  marketingEmails!: boolean;

  @Field(() => GraphQLJSONObject, { description: "The tenant's own preferences, free-form; updates merge into them" })
  preferences!: Record<string, unknown>;

  static from(stored: StoredSettings | null | undefined): EndUserSettings {
    return Object.assign(new EndUserSettings(), DEFAULTS, stored ?? {});
  }
}

/** A settings update: only the given keys change; `preferences` merges key by key. */
@InputType()
export class EndUserSettingsInput implements Partial<SettingsValues> {
  @IsOptional()
  @IsIn(THEMES, { message: `must be one of: ${THEMES.join(', ')}` })
  @Field(() => String, { nullable: true })
  theme?: string;

  @IsOptional()
  @Length(2, 35, MESSAGES.length(2, 35))
  @Field(() => String, { nullable: true })
  language?: string;

  @IsOptional()
  @IsTimeZone({ message: 'must be an IANA time zone' })
  @Field(() => String, { nullable: true })
  timezone?: string;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  emailNotifications?: boolean;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  marketingEmails?: boolean;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @Field(() => GraphQLJSONObject, { nullable: true })
  preferences?: Record<string, unknown>;
}

/** The stored settings after `update`: given keys replace, preferences merge (a null preference value removes it). */
export function mergeSettings(stored: StoredSettings, update: EndUserSettingsInput): StoredSettings {
  const next: StoredSettings = { ...stored };
  for (const key of ['theme', 'language', 'timezone', 'emailNotifications', 'marketingEmails'] as const) {
    if (update[key] !== undefined && update[key] !== null) Object.assign(next, { [key]: update[key] });
  }
  if (update.preferences) {
    const preferences = { ...stored.preferences, ...update.preferences };
    for (const [key, value] of Object.entries(preferences)) if (value === null) delete preferences[key];
    next.preferences = preferences;
  }
  return next;
}
