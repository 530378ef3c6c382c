import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CreateShipmentDto, DeliverShipmentDto } from './dto/create-shipment.dto';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { ShipmentPageView, ShipmentView } from './shipment.view';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  /**
   * Ships parts for acts of one service center, each approved or part_mismatch, or with parts
   * pending after a partial parcel (else 409; mixed service centers, unknown or repeated ids: 422).
   * `actIds` ships every part still to ship of each act; `items` names the parts per act
   * (`partIds` omitted: every part still to ship); exactly one of the two (else 422). Leaving parts
   * of an act for later needs its partial consent (409 partial-consent-required); a part another
   * parcel carried: 409 parts-already-shipped; a paid order without a paid invoice: 409
   * payment-required. Each act goes parts_shipped with a comment naming the carrier, the tracking
   * number and the parts the parcel carries.
   */
  @Post()
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateShipmentDto): Promise<ShipmentView> {
    return this.shipments.create(principal, dto);
  }

  /**
   * Shipments, newest first (managers: all; a service center: its own), keyset-paginated.
   * `undelivered=true` (managers only, else 400): parcels shipped more than DELIVERY_FOLLOW_UP ago and not delivered.
   */
  @Get()
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListShipmentsQuery): Promise<ShipmentPageView> {
    return this.shipments.list(principal, query);
  }

  /** One shipment (a service center: only its own). */
  @Get(':id')
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<ShipmentView> {
    return this.shipments.get(id, principal);
  }

  /**
   * Records the delivery (deliveredAt, default now), by a manager or the SC the parcel is for:
   * the acts go parts_delivered, with mismatchDeadline = the latest delivery of their parcels +
   * MISMATCH_WINDOW; an act still waiting for another parcel or for pending parts stays
   * parts_shipped. Twice: 409.
   */
  @Post(':id/delivered')
  @HttpCode(200)
  @Roles(Role.Manager, Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  deliver(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal, @Body() dto: DeliverShipmentDto): Promise<ShipmentView> {
    return this.shipments.deliver(id, principal, dto);
  }
}
