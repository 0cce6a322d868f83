import { defineConsumer } from '../../../src/events/consumers';
import type { SubgraphDeps } from '../../../src/federation/run-subgraph';
import { FileDeleted, FileUploaded } from '../../entities/drive/drive.events';
import { UsageMeteringService } from './usage-metering.service';

/**
 * Billing's `storage` meter follows the drive's stored bytes: + on `file.uploaded`, − on
 * `file.deleted` (usage-metering.service.ts `meterStoredBytes`); the tenant's `storage`
 * entitlement, which caps uploads, moves with it. Idempotent by event id.
 */
export const storageMeterConsumer = defineConsumer({
  name: 'billing.meter-storage',
  events: [FileUploaded, FileDeleted],
  handler: ({ dataSource }: SubgraphDeps) => {
    const metering = new UsageMeteringService(dataSource);
    return async (event) => {
      if (!event.tenantId) return;
      const { fileId, userId, bytes } = event.payload;
      const delta = event.type === FileDeleted.type ? -bytes : bytes;
      await metering.meterStoredBytes(event.tenantId, userId, delta, event.id, { fileId, change: event.type });
    };
  },
});
