import type { Services } from '../graphql/context';

export interface DemoHandle {
  stop(): void;
}

/** Seeds demo data into an empty database and starts the traffic simulator. */
export async function startDemo(_services: Services, _say: (line: string) => void): Promise<DemoHandle> {
  return { stop: () => undefined };
}
