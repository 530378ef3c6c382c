import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Trim } from '../../common/trim';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook.entity';

const present = (_: object, value: unknown) => value !== undefined;
const set = (_: object, value: unknown) => value !== undefined && value !== null;

/** POST /webhooks */
export class CreateWebhookDto {
  /**
   * An http:// or https:// URL. Hosts that are or resolve to loopback, private, link-local or other
   * special-purpose addresses are refused (422) unless WEBHOOK_ALLOW_PRIVATE=true.
   */
  @ApiProperty({ example: 'https://crm.example.com/hooks/warranty', maxLength: 2000 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url: string;

  /** The event types to send; omitted or null: every type. */
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, nullable: true, type: String })
  @ValidateIf(set)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[] | null;

  /** A note for people, e.g. "1С, склад". */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @ValidateIf(set)
  @Trim()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

/** PATCH /webhooks/:id: the fields sent change; `enabled: true` resumes a disabled endpoint. */
export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @ValidateIf(present)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url?: string;

  /** null: every type. */
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, nullable: true, type: String })
  @ValidateIf(set)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @ValidateIf(set)
  @Trim()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  /** false: nothing is sent (events are kept); true: sending resumes, oldest first. */
  @ValidateIf(present)
  @IsBoolean()
  enabled?: boolean;
}
