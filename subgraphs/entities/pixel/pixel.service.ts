import type { DataSource, EntityManager } from 'typeorm';
import { listPage, type ListSpec } from '../../../src/db/list-query';
import { DomainError, validationError, type FieldError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { ListArgs, Page } from '../../../src/federation/list-args';
import { normaliseOrigin, originAllowed } from '../../../src/http/origin';
import type { Identity } from '../../../src/identity';
import { hitRateLimit } from '../../../src/rate-limit';
import { isUuid } from '../../../src/validation';
import { PixelEvent } from './pixel-event.entity';
import { featuresOf, Pixel, type PixelConfig } from './pixel.entity';
import { PixelEventTracked, PixelUpdated } from './pixel.events';
import type { TrackPixelEventInput, UpdatePixelInput } from './pixel.types';

/** What a page with no pixel of a workspace reads: nothing to track. */
const NO_PIXEL: PixelConfig = { enabled: false, features: { pageviews: false, events: false, sessions: false }, sampleRate: 0 };
const MAX_PROPERTIES_BYTES = 8 * 1024;

export const PIXEL_EVENT_LIST: ListSpec<PixelEvent> = {
  sortable: { created_at: 'createdAt', event: 'event', url: 'url' },
  defaultSort: '-created_at',
  updatedAt: 'createdAt', // events never change
  statuses: { pageview: (e) => `${e}.event = 'pageview'`, event: (e) => `${e}.event <> 'pageview'` },
  searchable: ['url', 'event'],
};

export interface PixelSettings {
  /** 000_… "Track Event": requests per minute per client IP. */
  trackRateLimitPerMinute: number;
}

/** Who a pixel request is for: the `pixel_id` it names, else the workspace of the caller's key, if any. */
export interface PixelCaller {
  identity: Identity;
  pixelId?: string | null;
  /** The page's Origin header (REST binds it; GraphQL callers pass it). */
  origin?: string | null;
}

export class PixelService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: PixelSettings,
  ) {}

  /** The workspace's pixel, made with the defaults (enabled, every feature, sample rate 1) on first use. */
  async forTenant(tenantId: string, manager: EntityManager = this.dataSource.manager): Promise<Pixel> {
    const existing = await manager.getRepository(Pixel).findOneBy({ tenantId });
    if (existing) return existing;
    await manager.query(`INSERT INTO entities.pixels (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING`, [tenantId]);
    return manager.getRepository(Pixel).findOneByOrFail({ tenantId });
  }

  /** What the page's script reads: its pixel's configuration, or "disabled" when no pixel is named. */
  async config(caller: PixelCaller): Promise<PixelConfig> {
    const pixel = await this.pixelOf(caller);
    if (!pixel) return NO_PIXEL;
    return { enabled: pixel.enabled, features: featuresOf(pixel), sampleRate: pixel.sampleRate };
  }

  /**
   * Stores one event with `pixel.event.tracked`. Callers without credentials (pages) are limited
   * per client IP; a key's calls already run at its workspace's tier limit (router). Not stored
   * (tracked: false) without a pixel, when it is disabled, or when it does not collect this kind.
   */
  async track(caller: PixelCaller, input: TrackPixelEventInput): Promise<boolean> {
    if (!caller.identity.tenantId && !caller.identity.adminId) await this.limit(caller.identity);
    const properties = input.properties ?? {};
    if (Buffer.byteLength(JSON.stringify(properties)) > MAX_PROPERTIES_BYTES) {
      throw validationError([{ field: 'properties', message: `must be at most ${MAX_PROPERTIES_BYTES} bytes as JSON` }]);
    }
    const pixel = await this.pixelOf(caller);
    const collects = input.event === 'pageview' ? pixel?.trackPageviews : pixel?.trackEvents;
    if (!pixel || !pixel.enabled || !collects) return false;
    await this.dataSource.transaction(async (manager) => {
      const event = manager.getRepository(PixelEvent).create({
        tenantId: pixel.tenantId,
        pixelId: pixel.id,
        event: input.event,
        url: input.url,
        referrer: input.referrer || null,
        userAgent: input.userAgent ?? null,
        origin: caller.origin ?? null,
        properties,
      });
      await manager.getRepository(PixelEvent).insert(event);
      await emit(manager, PixelEventTracked, pixel.tenantId, { pixelEventId: event.id, pixelId: pixel.id, event: event.event, url: event.url });
    });
    return true;
  }

  /** 429 in the documented shape (limit, remaining, reset_at) past the per-IP allowance. */
  private async limit(identity: Identity): Promise<void> {
    const limit = this.settings.trackRateLimitPerMinute;
    const decision = await hitRateLimit(this.dataSource, `pixel:track:${identity.ip}`, { limit, windowSeconds: 60 });
    if (decision.allowed) return;
    const seconds = decision.retryAfterSeconds;
    throw new DomainError('RATE_LIMITED', `Too many requests. Please retry after ${seconds} seconds.`, {
      retryAfter: seconds,
      rateLimit: { limit, remaining: 0, resetAt: Math.ceil(Date.now() / 1000) + seconds },
    });
  }

  async update(tenantId: string, input: UpdatePixelInput): Promise<Pixel> {
    const origins = input.allowedOrigins?.map(normaliseOrigin);
    if (origins?.some((o) => o === undefined)) {
      const problems: FieldError[] = input.allowedOrigins!.flatMap((o, i) => (origins[i] === undefined ? [{ field: `allowedOrigins[${i}]`, message: `must be an http(s) origin or "*", got "${o}"` }] : []));
      throw validationError(problems);
    }
    return this.dataSource.transaction(async (manager) => {
      await this.forTenant(tenantId, manager);
      const repo = manager.getRepository(Pixel);
      const pixel = await repo.createQueryBuilder('p').setLock('pessimistic_write').where('p.tenant_id = :tenantId', { tenantId }).getOneOrFail();
      if (input.enabled != null) pixel.enabled = input.enabled;
      if (input.features?.pageviews != null) pixel.trackPageviews = input.features.pageviews;
      if (input.features?.events != null) pixel.trackEvents = input.features.events;
      if (input.features?.sessions != null) pixel.trackSessions = input.features.sessions;
      if (input.sampleRate != null) pixel.sampleRate = input.sampleRate;
      if (origins) pixel.allowedOrigins = [...new Set(origins as string[])];
      const saved = await repo.save(pixel);
      await emit(manager, PixelUpdated, tenantId, { pixelId: saved.id, enabled: saved.enabled });
      return saved;
    });
  }

  events(tenantId: string, args: ListArgs): Promise<Page<PixelEvent>> {
    return listPage(this.dataSource.getRepository(PixelEvent), tenantId, args, PIXEL_EVENT_LIST);
  }

  /**
   * The pixel a request names (its public id: any workspace's, that is what a pixel id is for),
   * else the caller's workspace's; undefined when neither. A page from an origin the pixel does
   * not allow is refused (403).
   */
  private async pixelOf({ identity, pixelId, origin }: PixelCaller): Promise<Pixel | undefined> {
    let pixel: Pixel | undefined;
    if (pixelId != null) {
      pixel = (isUuid(pixelId) && (await this.dataSource.getRepository(Pixel).findOneBy({ id: pixelId }))) || undefined;
      if (!pixel) throw new DomainError('NOT_FOUND', 'Pixel not found');
    } else if (identity.tenantId) {
      pixel = await this.forTenant(identity.tenantId);
    }
    // A page names its pixel; a server calling with its own key sends no Origin and needs none.
    const fromPage = pixelId != null || !!origin;
    if (pixel && fromPage && !originAllowed(pixel.allowedOrigins, origin ?? undefined)) {
      throw new DomainError('ORIGIN_NOT_ALLOWED', origin ? `Origin ${origin} is not allowed for this pixel` : 'This pixel requires an allowed Origin header');
    }
    return pixel;
  }
}
