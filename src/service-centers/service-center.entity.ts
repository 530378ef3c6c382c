import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A partner workshop that files warranty acts. */
@Entity('service_centers')
export class ServiceCenter {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Where status changes and manager comments are e-mailed. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  /** E.164. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** The responsible manager; null: every manager is. */
  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
