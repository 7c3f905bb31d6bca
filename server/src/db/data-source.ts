import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { AgentEntity } from '../agents/agent.entity';
import { ModelPriceOverrideEntity } from '../pricing/model-price-override.entity';
import { Budgets1764202000000 } from './migrations/1764202000000-Budgets';
import { RowLevelSecurity1764202100000 } from './migrations/1764202100000-RowLevelSecurity';
import { CompactRollups1764202200000 } from './migrations/1764202200000-CompactRollups';
import { Initial1764201600000 } from './migrations/1764201600000-Initial';
import { Integrations1764201800000 } from './migrations/1764201800000-Integrations';
import { Monitoring1764201900000 } from './migrations/1764201900000-Monitoring';

export const ENTITIES = [WorkspaceEntity, ApiKeyEntity, AgentEntity, ModelPriceOverrideEntity];
export const MIGRATIONS = [Initial1764201600000, Integrations1764201800000, Monitoring1764201900000, Budgets1764202000000, RowLevelSecurity1764202100000, CompactRollups1764202200000];

/** The one DataSource shape used by the gateway, the tests and the migration CLI. */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, idle_in_transaction_session_timeout: 60000 },
  });
}

export async function openDatabase(url: string, poolSize?: number): Promise<DataSource> {
  const dataSource = createDataSource(url, poolSize);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
