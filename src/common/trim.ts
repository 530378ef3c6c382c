import { Transform } from 'class-transformer';

/** Trims surrounding white space of a string field before validation. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
