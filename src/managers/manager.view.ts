/** A manager as the API shows it. */
export class ManagerView {
  id: string;
  name: string;
  email: string;
  /** E.164, e.g. +74232300811. */
  phone: string | null;
  /** Free text, e.g. "Москва". */
  office: string | null;
  createdAt: Date;
}

/**
 * The responsible manager of a service center, as acts and e-mails show it
 * (`assignedManager` of an act): whom the service center contacts.
 */
export class AssignedManagerView {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}
