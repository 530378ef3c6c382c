import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Principal, tenantOf } from './auth/principal';

/**
 * Tenant scoping lives in the query, never in loading-then-checking: an SC's query is limited to
 * its own service center's rows; a manager's is not limited. The one place that writes the
 * predicate, for query builders and for fixed SQL texts alike.
 */
export function scopeToTenant<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  principal: Principal | undefined,
): SelectQueryBuilder<T> {
  const tenant = principal && tenantOf(principal);
  return tenant ? qb.andWhere(`${column} = :tenant`, { tenant }) : qb;
}

/** The same predicate in a fixed SQL text; the placeholder (`$2`) takes tenantParam(principal). */
export function tenantPredicate(column: string, placeholder: string): string {
  return `(${placeholder}::uuid IS NULL OR ${column} = ${placeholder})`;
}

/** The value for tenantPredicate's placeholder: the SC's id, or null for managers. */
export function tenantParam(principal: Principal | undefined): string | null {
  return (principal && tenantOf(principal)) ?? null;
}
