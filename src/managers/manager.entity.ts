import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A member of the distributor's staff who reviews acts. */
@Entity('managers')
export class Manager {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Stored in lower case; unique. */
  @Column({ type: 'text', unique: true })
  email: string;

  /** E.164, like a service center's phone. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  /** Free text, e.g. "Москва" or "Владивосток". */
  @Column({ type: 'text', nullable: true })
  office: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
