/** Child process of bench/search-scale.ts: seeds the catalog described by argv[2] (JSON), prints the result as JSON. */
import { seedCatalog, type SeedRequest } from './search-catalog.js';

const result = await seedCatalog(JSON.parse(process.argv[2]) as SeedRequest);
process.stdout.write(JSON.stringify(result));
