import { IsOptional, IsUUID } from 'class-validator';

export class SummaryQueryDto {
  /** Only this service center's acts (every section); all acts when absent. */
  @IsOptional()
  @IsUUID()
  serviceCenterId?: string;
}
