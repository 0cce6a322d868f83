import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

/** What the pixel collects (000_… "Get Pixel Configuration": `features`). Public: browsers read it. */
@ObjectType({ description: 'What the pixel collects' })
export class PixelFeatures {
  @Field()
  pageviews!: boolean;

  @Field({ description: 'Events other than pageview' })
  events!: boolean;

  @Field()
  sessions!: boolean;
}

/** The configuration a page's pixel script reads (000_… "Get Pixel Configuration"). Public. */
@ObjectType({ description: 'What a page’s pixel script reads before tracking' })
export class PixelConfig {
  @Field()
  enabled!: boolean;

  @Field(() => PixelFeatures)
  features!: PixelFeatures;

  @Field(() => Float, { description: 'Share of visits to track, 0–1 (the script samples)' })
  sampleRate!: number;
}

/**
 * A workspace's tracking pixel (one per workspace, made with the defaults on first use). Its id
 * is public: pages send it as `pixel_id`, since the track endpoint takes no secret.
 */
@ObjectType({ description: 'The workspace’s tracking pixel and its settings' })
@RequiresScopes(EntitiesScopes.pixelRead, EntitiesScopes.pixelWrite)
@Entity({ name: 'pixels' })
export class Pixel {
  @Field(() => ID, { description: 'The public pixel id pages send as pixel_id' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('boolean')
  enabled!: boolean;

  @Column('boolean', { name: 'track_pageviews' })
  trackPageviews!: boolean;

  @Column('boolean', { name: 'track_events' })
  trackEvents!: boolean;

  @Column('boolean', { name: 'track_sessions' })
  trackSessions!: boolean;

  @Field(() => Float, { description: 'Share of visits the script tracks, 0–1' })
  @Column('float8', { name: 'sample_rate' })
  sampleRate!: number;

  @Field(() => [String], { description: 'Origins whose pages may use the pixel ("*": any)' })
  @Column('text', { name: 'allowed_origins', array: true })
  allowedOrigins!: string[];

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export function featuresOf(pixel: Pixel): PixelFeatures {
  return { pageviews: pixel.trackPageviews, events: pixel.trackEvents, sessions: pixel.trackSessions };
}
