import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { QueuesAdminModule } from '../jobs/queues-admin.module';
import { QueuesModule } from '../jobs/queues.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** GET /metrics and the request histogram behind it (API only: the worker's counts reach it through Redis). */
@Module({
  imports: [QueuesModule, QueuesAdminModule],
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetricsMiddleware],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}
