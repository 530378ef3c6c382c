import { Module } from '@nestjs/common';
import { ShipmentsRepository } from './shipments.repository';

/** The shipment aggregate's SQL without HTTP: for the API's shipments and for the worker's follow-up of parcels in transit. */
@Module({
  providers: [ShipmentsRepository],
  exports: [ShipmentsRepository],
})
export class ShipmentsCoreModule {}
