import { createDataSource } from './server/src/db/data-source';

/** For the TypeORM CLI: `npx typeorm -d ormconfig.ts migration:show`. */
export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally');
