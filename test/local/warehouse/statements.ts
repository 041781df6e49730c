// Test helper: waits for a submitted batch of the local warehouse to end.
import { IN_PROGRESS_STATUSES, type StatementDescription, type Warehouse } from '../../../functions/lib/ports/warehouse';

/** Describes the statement until its status is final (describe itself waits while it runs). */
export async function finalDescription(warehouse: Warehouse, id: string): Promise<StatementDescription> {
  let description = await warehouse.describe(id);
  while (IN_PROGRESS_STATUSES.includes(description.status)) description = await warehouse.describe(id);
  return description;
}
