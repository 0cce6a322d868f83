import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { ListArgs, PageOf } from '../../../src/federation/list-args';
import { EntitiesScopes } from '../entities.scopes';
import { PixelEvent } from './pixel-event.entity';
import { featuresOf, Pixel, PixelConfig, PixelFeatures } from './pixel.entity';
import type { PixelService } from './pixel.service';
import { PixelTrackResult, TrackPixelEventInput, UpdatePixelInput } from './pixel.types';

const PixelEventPage = PageOf(PixelEvent);
const PIXEL_ID = { nullable: true, description: 'The public pixel id; without it, the pixel of the caller’s workspace (if any)' } as const;
const ORIGIN = { nullable: true, description: 'The page’s origin (REST: the Origin header), checked against the pixel’s allowed origins' } as const;

export function createPixelResolvers(pixels: PixelService) {
  // Pages call these two without any credential (000_… "Authentication: Not required"): they
  // are on the public list of test/schema/access-rules.test.ts and name their pixel by its public id.
  @Resolver(() => PixelConfig)
  class PixelPublicResolver {
    @Query(() => PixelConfig, { description: 'What the page’s pixel script reads (disabled when no pixel is named)' })
    pixelConfig(
      @Arg('pixelId', () => ID, PIXEL_ID) pixelId: string | null,
      @Arg('origin', () => String, ORIGIN) origin: string | null,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<PixelConfig> {
      return pixels.config({ identity, pixelId, origin });
    }

    @Mutation(() => PixelTrackResult, { description: 'Store a pageview or event of a page (limited per client IP: RATE_LIMITED beyond)' })
    async trackPixelEvent(
      @Arg('input') input: TrackPixelEventInput,
      @Arg('pixelId', () => ID, PIXEL_ID) pixelId: string | null,
      @Arg('origin', () => String, ORIGIN) origin: string | null,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<PixelTrackResult> {
      return { tracked: await pixels.track({ identity, pixelId, origin }, input) };
    }
  }

  @Resolver(() => Pixel)
  class PixelResolver {
    @RequiresScopes(EntitiesScopes.pixelRead, EntitiesScopes.pixelWrite)
    @Query(() => Pixel, { description: 'The workspace’s tracking pixel (made with the defaults on first use)' })
    pixel(@Ctx() { identity }: SubgraphContext): Promise<Pixel> {
      return pixels.forTenant(requireTenant(identity));
    }

    @RequiresScopes(EntitiesScopes.pixelWrite)
    @Mutation(() => Pixel, { description: 'Change the pixel: on/off, features, sample rate, allowed origins' })
    updatePixel(@Arg('input') input: UpdatePixelInput, @Ctx() { identity }: SubgraphContext): Promise<Pixel> {
      return pixels.update(requireTenant(identity), input);
    }

    @RequiresScopes(EntitiesScopes.pixelRead)
    @Query(() => PixelEventPage, { description: 'Events the pixel tracked, newest first (status: pageview, event; sort: created_at, event, url; search in url and event)' })
    pixelEvents(@Args() list: ListArgs, @Ctx() { identity }: SubgraphContext) {
      return pixels.events(requireTenant(identity), list);
    }

    @RequiresScopes(EntitiesScopes.pixelRead, EntitiesScopes.pixelWrite)
    @FieldResolver(() => PixelFeatures)
    features(@Root() pixel: Pixel): PixelFeatures {
      return featuresOf(pixel);
    }
  }

  return [PixelPublicResolver, PixelResolver] as const;
}
