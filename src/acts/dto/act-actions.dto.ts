import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { Trim } from '../../common/trim';
import { IsDeadlineDuration } from '../../common/validators';
import { PROBLEM_REASONS, ProblemReason, REASON_CODES, ReasonCode } from '../act-sections';
import { MANAGER_CLOSING_RESOLUTIONS, REOPEN_TARGETS, Resolution } from '../act-status';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long a manager may give an SC to answer a question. */
export const REPLY_WITHIN_BOUNDS = { min: HOUR, max: 30 * DAY, maxBusinessDays: 20 };

/** POST /acts/:id/request-info */
export class RequestInfoDto {
  /** The question, posted as the manager's comment and e-mailed to the SC. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  text: string;

  /** Time the SC has to answer: `36h`, `3d` (clock time) or `5bd` (to the end of the 5th business day, Moscow time); INFO_REPLY_WINDOW when absent. */
  @IsOptional()
  @Trim()
  @IsString()
  @IsDeadlineDuration(REPLY_WITHIN_BOUNDS)
  replyWithin?: string;
}

export enum Decision {
  Warranty = 'warranty',
  Paid = 'paid',
  NotWarranty = 'not_warranty',
  /** A 14-day refusal confirmed: closed as refund_or_exchange (only for acts flagged refusedWithin14Days). */
  Refund = 'refund',
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

  /** Why it is not warranty, one of GET /reason-codes: required with not_warranty. */
  @ApiPropertyOptional({ enum: REASON_CODES })
  @ValidateIf((dto: DecisionDto, value) => dto.decision === Decision.NotWarranty || value !== undefined)
  @IsIn(REASON_CODES, { message: keyed(fieldMessage('reasonCode')) })
  reasonCode?: ReasonCode;

  /** Ship the parts urgently (on the next business day rather than the weekly dispatch day). */
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;
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

  /** Where the act goes: submitted (the default, for a new decision), approved or part_mismatch. */
  @ApiPropertyOptional({ enum: REOPEN_TARGETS })
  @IsOptional()
  @IsIn(REOPEN_TARGETS)
  to?: (typeof REOPEN_TARGETS)[number];
}

/** POST /acts/:id/mismatch */
export class ReportMismatchDto {
  /** What is wrong or missing, or why the repair is impossible; posted as the SC's comment. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  text: string;

  /** wrong_part (default), incomplete, damaged, other_unit_failed or other. */
  @IsOptional()
  @IsIn(PROBLEM_REASONS)
  reason?: ProblemReason;
}
