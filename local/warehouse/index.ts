// The local warehouse: PGlite behind the Warehouse port, running the project's Redshift SQL and COPY
// from a local mirror of S3.
export type { CopyProgress, CopyTimes } from './copy/copy';
export { openLocalWarehouse, type LocalWarehouse, type LocalWarehouseOptions } from './localWarehouse';
