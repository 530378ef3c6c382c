import { Module } from '@nestjs/common';
import { ManagersRepository } from './managers.repository';

/**
 * The managers' SQL without HTTP: who is responsible for a service center and whom to e-mail
 * about its acts. For the API's act views and the worker's e-mails alike.
 */
@Module({
  providers: [ManagersRepository],
  exports: [ManagersRepository],
})
export class ManagersCoreModule {}
