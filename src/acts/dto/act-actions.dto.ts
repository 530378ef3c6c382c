import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/trim';
import { IsDuration } from '../../common/validators';
import { MANAGER_CLOSING_RESOLUTIONS, Resolution } from '../act-status';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long a manager may give an SC to answer a question. */
export const REPLY_WITHIN_BOUNDS = { min: HOUR, max: 30 * DAY, text: 'from 1h to 30d' };

/** POST /acts/:id/request-info */
export class RequestInfoDto {
  /** The question, posted as the manager's comment and e-mailed to the SC. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  text: string;

  /** Time the SC has to answer, from 1h to 30d (e.g. "3d", "36h"); INFO_REPLY_WINDOW when absent. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsDuration(REPLY_WITHIN_BOUNDS)
  replyWithin?: string;
}

export enum Decision {
  Warranty = 'warranty',
  Paid = 'paid',
  NotWarranty = 'not_warranty',
}

/** POST /acts/:id/decision */
export class DecisionDto {
  /** warranty or paid: approved, parts will ship; not_warranty: closed as not a warranty case. */
  @IsEnum(Decision)
  decision: Decision;

  /** Posted as the manager's comment. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  comment?: string;
}

/** POST /acts/:id/close */
export class CloseActDto {
  @ApiProperty({ enum: MANAGER_CLOSING_RESOLUTIONS })
  @IsIn(MANAGER_CLOSING_RESOLUTIONS)
  resolution: Resolution;

  /** Why: kept in the act's history and e-mailed to the SC. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

/** POST /acts/:id/reopen */
export class ReopenActDto {
  /** Why: kept in the act's history and e-mailed to the SC. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}

/** POST /acts/:id/mismatch */
export class ReportMismatchDto {
  /** What is wrong or missing; posted as the SC's comment. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  text: string;
}
