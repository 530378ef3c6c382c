import { Transform } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { PageQuery } from '../../common/page.query';
import { fieldMessage } from '../../common/problem';
import { DATE_OR_TIMESTAMP_MESSAGE, toInstantBound } from '../../common/validators';
import { ActStatus } from '../act-status';
import { FLAG_TYPES, FlagType } from '../act-flags.repository';

const toList = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);

export class ListActsQuery extends PageQuery {
  /** Repeatable (`status=submitted&status=approved`) or comma-separated. */
  @IsOptional()
  @Transform(toList)
  @IsIn(Object.values(ActStatus), { each: true })
  status?: ActStatus[];

  /** Managers only; a service center always sees its own acts. */
  @IsOptional()
  @IsUUID()
  serviceCenterId?: string;

  /** Part of the act number, serial number, model or customer name (case-insensitive). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  /** Created on or after: a date (YYYY-MM-DD, from its start, UTC) or a timestamp. Read as that instant. */
  @ApiPropertyOptional({ type: String, description: 'A date (YYYY-MM-DD, from its start, UTC) or an ISO 8601 timestamp.' })
  @IsOptional()
  @Transform(({ value }) => toInstantBound(value, 'from'))
  @IsDate({ message: DATE_OR_TIMESTAMP_MESSAGE })
  createdFrom?: Date;

  /** Created on or before: a date (YYYY-MM-DD, to its end, UTC) or a timestamp. Read as the first instant after it. */
  @ApiPropertyOptional({ type: String, description: 'A date (YYYY-MM-DD, to its end, UTC) or an ISO 8601 timestamp.' })
  @IsOptional()
  @Transform(({ value }) => toInstantBound(value, 'to'))
  @IsDate({ message: DATE_OR_TIMESTAMP_MESSAGE })
  createdTo?: Date;

  /** Managers only: `me` or a manager's id; acts of the service centers that manager is responsible for (and of those with no responsible manager, which every manager is). */
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, { message: keyed(fieldMessage('meOrManagerId')) })
  assignedTo?: string;

  /** Managers: `true` for the acts an SC has spoken on since a manager last acted (a comment after delivery, a problem report). */
  @IsOptional()
  @IsIn(['true', 'false'])
  needsAttention?: 'true' | 'false';

  /** Managers only (a service center: 400): `true` for acts with any integrity flag, `false` for acts without one. */
  @IsOptional()
  @IsIn(['true', 'false'])
  flagged?: 'true' | 'false';

  /** Managers only (a service center: 400): acts with a flag of this type; repeatable or comma-separated (any of them). */
  @ApiPropertyOptional({ enum: FLAG_TYPES, isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsIn(FLAG_TYPES, { each: true })
  flag?: FlagType[];

  /** `created` (newest first, the default) or `review` (managers: pre-sale first, then the oldest submitted). */
  @IsOptional()
  @IsIn(['created', 'review'])
  sort?: 'created' | 'review';
}

export class LookupActsQuery {
  /** A short number ("0717", "717"), a full number ("ACT-2026-000717") or the SC's internal number. */
  @IsString()
  @MaxLength(50)
  number: string;
}
