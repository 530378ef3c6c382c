import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CalendarService } from './calendar.service';
import { CalendarDayView, CalendarYearView } from './calendar.view';
import { CalendarDayParamsDto } from './dto/calendar-day-params.dto';
import { CalendarQueryDto } from './dto/calendar-query.dto';
import { SetCalendarDayDto } from './dto/set-calendar-day.dto';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /**
   * The business calendar of a year (Moscow): only the days that differ from an ordinary
   * Monday–Friday week (public holidays on weekdays, the government's transfers, working
   * Saturdays) and the managers' overrides. Deadlines written in business days (`5bd`) count it.
   */
  @Get()
  @Roles(Role.Manager, Role.ServiceCenter)
  @ApiProblems(400, 401)
  async year(@Query() query: CalendarQueryDto): Promise<CalendarYearView> {
    return { year: query.year, days: await this.calendar.daysOf(query.year) };
  }

  /**
   * Marks a day working or not, over the built-in calendar (e.g. a transfer the built-in table
   * lacks). Deadlines computed from now on count it; deadlines already set do not move.
   */
  @Put('days/:date')
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 422)
  setDay(@Param() params: CalendarDayParamsDto, @Body() dto: SetCalendarDayDto, @CurrentPrincipal() manager: Principal): Promise<CalendarDayView> {
    return this.calendar.setDay(params.date, dto.working, dto.note || null, manager.ownerId);
  }

  /** Drops a manager's override of a day: the built-in calendar decides again. 204 also when there was none. */
  @Delete('days/:date')
  @HttpCode(204)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403)
  async clearDay(@Param() params: CalendarDayParamsDto): Promise<void> {
    await this.calendar.clearDay(params.date);
  }
}
