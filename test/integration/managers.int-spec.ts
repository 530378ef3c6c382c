import { ManagersCoreModule } from '../../src/managers/managers-core.module';
import { assignedManagerSql, ManagersRepository, RESPONSIBLE_MANAGER_JOIN } from '../../src/managers/managers.repository';
import { seedManager, SeededManager, seedServiceCenter } from '../support/seed';
import { createServiceTest, ServiceTest } from '../support/service-test';

const NO_SUCH_SC = '00000000-0000-4000-8000-000000000000';

/**
 * Who is responsible for a service center and whom to e-mail about its acts, on a database of the
 * suite's own (so "every manager" is exactly the managers seeded here).
 */
describe('ManagersRepository: the responsible manager', () => {
  let t: ServiceTest;
  let managers: ManagersRepository;
  let olga: SeededManager;
  let ivan: SeededManager;
  let anna: SeededManager;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [ManagersCoreModule] });
    managers = t.get(ManagersRepository);
    // Seeded out of name order: the lists come back by name.
    olga = await seedManager(t.db, { name: 'Ольга Петрова', phone: '+74232300811' });
    anna = await seedManager(t.db, { name: 'Анна Смирнова' });
    ivan = await seedManager(t.db, { name: 'Иван Соколов' });
  });
  afterAll(() => t?.close());

  const contact = (m: SeededManager) => ({ id: m.id, name: m.name, email: m.email, phone: m.phone });

  describe('responsibleManagerOf', () => {
    it("is the service center's manager, with name, e-mail and phone", async () => {
      const sc = await seedServiceCenter(t.db, { managerId: olga.id });
      expect(await managers.responsibleManagerOf(sc.id)).toEqual({ id: olga.id, name: 'Ольга Петрова', email: olga.email, phone: '+74232300811' });
    });

    it('is null when the service center has none, or there is no such service center', async () => {
      const sc = await seedServiceCenter(t.db);
      expect(await managers.responsibleManagerOf(sc.id)).toBeNull();
      expect(await managers.responsibleManagerOf(NO_SUCH_SC)).toBeNull();
    });

    it("reads in the caller's transaction", async () => {
      await t.db.transaction(async (tx) => {
        const sc = await seedServiceCenter(tx, { managerId: ivan.id });
        expect(await managers.responsibleManagerOf(sc.id, tx)).toEqual(contact(ivan));
      });
    });
  });

  describe('managersToNotify', () => {
    it('is the responsible manager alone when there is one', async () => {
      const sc = await seedServiceCenter(t.db, { managerId: ivan.id });
      expect(await managers.managersToNotify(sc.id)).toEqual([contact(ivan)]);
    });

    it('is every manager, by name, when there is none', async () => {
      const sc = await seedServiceCenter(t.db);
      expect(await managers.managersToNotify(sc.id)).toEqual([contact(anna), contact(ivan), contact(olga)]);
    });

    it('is nobody for an unknown service center', async () => {
      expect(await managers.managersToNotify(NO_SUCH_SC)).toEqual([]);
    });
  });

  describe('SQL for the acts queries', () => {
    it('assignedManagerSql gives the responsible manager as one json value, or null', async () => {
      const assigned = await seedServiceCenter(t.db, { managerId: olga.id });
      const unassigned = await seedServiceCenter(t.db);
      const rows: { id: string; assigned_manager: unknown }[] = await t.db.query(
        `SELECT x.id, ${assignedManagerSql('x.id')} AS assigned_manager FROM service_centers x WHERE x.id = ANY($1::uuid[])`,
        [[assigned.id, unassigned.id]],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, r.assigned_manager]))).toEqual({
        [assigned.id]: contact(olga),
        [unassigned.id]: null,
      });
    });

    it('RESPONSIBLE_MANAGER_JOIN adds the manager as rm next to the service center sc', async () => {
      const assigned = await seedServiceCenter(t.db, { managerId: anna.id });
      const unassigned = await seedServiceCenter(t.db);
      const rows: { id: string; manager_name: string | null }[] = await t.db.query(
        `SELECT sc.id, rm.name AS manager_name FROM service_centers sc ${RESPONSIBLE_MANAGER_JOIN} WHERE sc.id = ANY($1::uuid[])`,
        [[assigned.id, unassigned.id]],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, r.manager_name]))).toEqual({ [assigned.id]: anna.name, [unassigned.id]: null });
    });
  });
});
