import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Manager } from './manager.entity';
import { AssignedManagerView } from './manager.view';
import { preparedQuery } from '../common/pool-query';

export type NewManager = Pick<Manager, 'name' | 'email' | 'phone' | 'office'>;
export type ManagerChanges = Partial<NewManager>;

/**
 * The responsible manager of the service center whose id is the SQL expression
 * `serviceCenterId` (a column of the caller's query, e.g. `a.service_center_id`), as one json
 * value `{ id, name, email, phone }` or NULL when the service center has none. For a select
 * list: `SELECT a.*, ${assignedManagerSql('a.service_center_id')} AS assigned_manager FROM acts a`;
 * pg returns the json parsed. `serviceCenterId` is pasted into the SQL: pass a column name
 * written in code, never a request value.
 */
export function assignedManagerSql(serviceCenterId: string): string {
  return `(SELECT json_build_object('id', rm.id, 'name', rm.name, 'email', rm.email, 'phone', rm.phone)
             FROM service_centers rsc JOIN managers rm ON rm.id = rsc.manager_id
            WHERE rsc.id = ${serviceCenterId})`;
}

/**
 * A join that adds the responsible manager of the service center aliased `sc` in the caller's
 * query as alias `rm` (all NULL when it has none): `FROM acts a JOIN service_centers sc ON
 * sc.id = a.service_center_id ${RESPONSIBLE_MANAGER_JOIN}`. Filtering "assigned to manager $n":
 * `sc.manager_id = $n`.
 */
export const RESPONSIBLE_MANAGER_JOIN = 'LEFT JOIN managers rm ON rm.id = sc.manager_id';

/**
 * Whom to tell about a service center's acts: its responsible manager, or every manager when it
 * has none; `responsible` says which of the two it is.
 */
const MANAGERS_TO_NOTIFY = `
  SELECT m.id, m.name, m.email, m.phone, sc.manager_id IS NOT NULL AS responsible
    FROM service_centers sc JOIN managers m ON sc.manager_id IS NULL OR m.id = sc.manager_id
   WHERE sc.id = $1
   ORDER BY m.name, m.id`;

/** Thrown by insert and update when another manager has the e-mail already. */
export class DuplicateManagerEmail extends Error {
  constructor(readonly email: string) {
    super(`A manager with the e-mail ${email} exists already.`);
    this.name = new.target.name;
  }
}

/** The managers (`managers`). */
@Injectable()
export class ManagersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The manager with this e-mail, written first when there is none (a concurrent writer's row is kept). */
  async findOrCreate(name: string, email: string, tx: EntityManager = this.db.manager): Promise<Manager> {
    await tx.createQueryBuilder().insert().into(Manager).values({ name, email }).orIgnore().execute();
    return tx.findOneByOrFail(Manager, { email });
  }

  /** All of them, by name. */
  list(): Promise<Manager[]> {
    return this.db.manager.find(Manager, { order: { name: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<Manager | null> {
    return this.db.manager.findOneBy(Manager, { id });
  }

  /** Writes a manager; throws DuplicateManagerEmail when the e-mail is taken. */
  async insert(fields: NewManager): Promise<Manager> {
    const row = this.db.manager.create(Manager, fields);
    await this.db.manager.insert(Manager, row).catch(rethrowDuplicate(fields.email));
    return row;
  }

  /** Changes the given fields; null when there is no such manager, DuplicateManagerEmail when the e-mail is taken. */
  async update(id: string, changes: ManagerChanges): Promise<Manager | null> {
    if (Object.keys(changes).length > 0) {
      const result = await this.db.manager.update(Manager, { id }, changes).catch(rethrowDuplicate(changes.email));
      if (!result.affected) return null;
    }
    return this.findById(id);
  }

  /** The responsible manager of a service center; null when it has none (or there is no such service center). */
  async responsibleManagerOf(serviceCenterId: string, tx: EntityManager = this.db.manager): Promise<AssignedManagerView | null> {
    return (await this.mailContacts(serviceCenterId, tx)).responsible;
  }

  /**
   * Whom to e-mail about a service center's acts: its responsible manager, or every manager when
   * it has none; by name. Empty when there is no such service center.
   */
  async managersToNotify(serviceCenterId: string, tx: EntityManager = this.db.manager): Promise<AssignedManagerView[]> {
    return (await this.mailContacts(serviceCenterId, tx)).toNotify;
  }

  /**
   * managersToNotify and responsibleManagerOf in one query: whom to e-mail about the service
   * center's acts, and whom its own e-mails name as its contact.
   */
  async mailContacts(
    serviceCenterId: string,
    tx: EntityManager,
  ): Promise<{ toNotify: AssignedManagerView[]; responsible: AssignedManagerView | null }> {
    const rows = await preparedQuery<AssignedManagerView & { responsible: boolean }>(tx, MANAGERS_TO_NOTIFY, [serviceCenterId]);
    const toNotify = rows.map(({ id, name, email, phone }) => ({ id, name, email, phone }));
    return { toNotify, responsible: rows[0]?.responsible ? toNotify[0] : null };
  }
}

function rethrowDuplicate(email: string | undefined): (error: unknown) => never {
  return (error: unknown) => {
    if (email !== undefined && error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
      throw new DuplicateManagerEmail(email);
    }
    throw error;
  };
}
